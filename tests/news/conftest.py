"""The world of the news tests: two groups of a kind, a person in each role, and a third group of
another kind."""

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
)

# The roles of the tier × role matrix, in its columns' order.
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


def person_user(username, group, *, role, organisation_type):
    """Create a user whose person has `role` in `group`, working for an organisation of
    `organisation_type`."""
    user = get_user_model().objects.create_user(username, f"{username}@example.org", "pw")
    GroupRoleFactory(
        group=group,
        role=role,
        person__user=user,
        person__organisation__type=organisation_type,
    )
    return user


@pytest.fixture
def world():
    """Group A (whose news the matrix reads) and B of one kind; a person in every role."""
    MunicipalityFactory()
    kind = NetworkKindFactory(name="Nätverk barn och unga", slug="barn-och-unga")
    other_kind = NetworkKindFactory(name="Ortsråd", slug="ortsrad")
    group_a = NetworkGroupFactory(kind=kind, name="Boda", slug="boda")
    group_b = NetworkGroupFactory(kind=kind, name="Sjöbo", slug="sjobo")
    group_c = NetworkGroupFactory(kind=other_kind, name="Fristad", slug="fristad")
    association = Organisation.Type.CIVIL_SOCIETY
    municipal = Organisation.Type.MUNICIPAL_ADMINISTRATION
    member, convener = GroupRole.Role.MEMBER, GroupRole.Role.CONVENER
    users = {
        "anonymous": None,
        "association_member": person_user(
            "forening", group_a, role=member, organisation_type=association
        ),
        "municipal_member": person_user(
            "kommun", group_a, role=member, organisation_type=municipal
        ),
        "association_coordinator": person_user(
            "foreningssamordnare", group_a, role=convener, organisation_type=association
        ),
        "municipal_coordinator": person_user(
            "samordnare", group_a, role=convener, organisation_type=municipal
        ),
        "other_coordinator": person_user(
            "annan", group_b, role=convener, organisation_type=municipal
        ),
        "head": user_with_role(Role.HEAD_OF_ADMINISTRATION),
        "developer": user_with_role(Role.NETWORK_DEVELOPER),
    }
    return {
        "kind": kind,
        "other_kind": other_kind,
        "group_a": group_a,
        "group_b": group_b,
        "group_c": group_c,
        "users": users,
    }


@pytest.fixture
def as_role(client, world):
    """Log the test client in as a role of the world ("anonymous": logged out)."""

    def log_in(role):
        client.logout()
        user = world["users"][role]
        if user is not None:
            client.force_login(user)
        return client

    return log_in
