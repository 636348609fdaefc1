"""The world of the document tests: a group A with a person in each role, a group B with its
own coordinator, and the staff roles."""

import pytest
from django.contrib.auth import get_user_model

from networks.models import GroupRole, Organisation
from networks.permissions import Role
from tests.factories.accounts import user_with_role
from tests.factories.networks import (
    GroupRoleFactory,
    MunicipalityFactory,
    NetworkGroupFactory,
    NetworkKindFactory,
    OrganisationFactory,
    PersonFactory,
)

ASSOCIATION = Organisation.Type.CIVIL_SOCIETY
MUNICIPAL = Organisation.Type.MUNICIPAL_ADMINISTRATION
CONVENER, MEMBER = GroupRole.Role.CONVENER, GroupRole.Role.MEMBER

# The roles of the tier × role matrix, in the order of its rows.
ROLES = (
    "anonymous",
    "association_member",
    "municipal_member",
    "association_coordinator",
    "municipal_coordinator",
    "other_coordinator",
    "head",
    "developer",
)


def person_user(username, group, role, organisation_type):
    """Create a user whose person has `role` in `group`, from an organisation of that type."""
    user = get_user_model().objects.create_user(username, f"{username}@example.org", "pw")
    person = PersonFactory(user=user, organisation=OrganisationFactory(type=organisation_type))
    GroupRoleFactory(group=group, person=person, role=role)
    return user


@pytest.fixture
def world(db):
    MunicipalityFactory()
    kind = NetworkKindFactory(name="Nätverk barn och unga", short_name="Barn och unga")
    group_a = NetworkGroupFactory(kind=kind, name="Boda", slug="boda")
    group_b = NetworkGroupFactory(kind=kind, name="Norrby", slug="norrby")
    users = {
        "anonymous": None,
        "association_member": person_user("forening", group_a, MEMBER, ASSOCIATION),
        "municipal_member": person_user("kommun", group_a, MEMBER, MUNICIPAL),
        "association_coordinator": person_user(
            "foreningssamordnare", group_a, CONVENER, ASSOCIATION
        ),
        "municipal_coordinator": person_user("samordnare", group_a, CONVENER, MUNICIPAL),
        "other_coordinator": person_user("samordnare_b", group_b, CONVENER, MUNICIPAL),
        "head": user_with_role(Role.HEAD_OF_ADMINISTRATION),
        "developer": user_with_role(Role.NETWORK_DEVELOPER),
    }
    return {"kind": kind, "group_a": group_a, "group_b": group_b, "users": users}


@pytest.fixture
def as_role(client):
    """Return a function that logs the client in as a role of the world (or out)."""

    def log_in(world, role):
        client.logout()
        user = world["users"][role]
        if user is not None:
            client.force_login(user)
        return client

    return log_in
