import re

import pytest
from django.core import mail

from networks.models import Organisation
from networks.permissions import Role
from tests.factories.accounts import coordinator_of, user_with_role
from tests.factories.networks import (
    MunicipalityFactory,
    NetworkGroupFactory,
    NetworkKindFactory,
    OrganisationFactory,
)


@pytest.fixture
def world(db):
    """Two groups of a kind, a (municipal) coordinator of each, the network developer, an
    association and a municipal administration."""
    MunicipalityFactory()
    kind = NetworkKindFactory(name="Nätverk barn och unga", slug="barn-och-unga")
    group_a = NetworkGroupFactory(kind=kind, name="Grupp A", slug="grupp-a")
    group_b = NetworkGroupFactory(kind=kind, name="Grupp B", slug="grupp-b")
    return {
        "group_a": group_a,
        "group_b": group_b,
        "coordinator_a": coordinator_of(group_a, username="samordnare_a"),
        "coordinator_b": coordinator_of(group_b, username="samordnare_b"),
        "developer": user_with_role(Role.NETWORK_DEVELOPER),
        "association": OrganisationFactory(
            name="Föreningen Gården", type=Organisation.Type.CIVIL_SOCIETY
        ),
        "administration": OrganisationFactory(
            name="Fritidsförvaltningen", type=Organisation.Type.MUNICIPAL_ADMINISTRATION
        ),
    }


def link_in(message) -> str:
    """Return the path of the invitation link in a mail (text and HTML must carry the same)."""
    found = re.findall(r"https?://[^/\s]+(/konto/inbjudan/[\w-]+/)", message.body)
    html = message.alternatives[0][0]
    assert found and found[0] in html, message.body
    return found[0]


@pytest.fixture
def outbox():
    return mail.outbox
