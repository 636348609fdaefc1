import re

import pytest
from django.urls import reverse

from networks.models import GroupRole
from tests.factories.networks import (
    DistrictFactory,
    GroupRoleFactory,
    MunicipalityFactory,
    NetworkGroupFactory,
    NetworkKindFactory,
    PersonFactory,
)
from tests.text import sv

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry():
    MunicipalityFactory()
    kind = NetworkKindFactory(name="Områdesnätverk", slug="omradesnatverk", goal="Öka inflytandet.")
    hassleholmen = DistrictFactory(name="Hässleholmen")
    boda = DistrictFactory(name="Boda")
    group = NetworkGroupFactory(
        kind=kind, name="Hässleholmen", slug="hassleholmen", districts=[boda, hassleholmen]
    )
    hidden = NetworkGroupFactory(
        kind=kind, name="Vilande gruppen", slug="vilande", active=False, districts=[boda]
    )
    return {"kind": kind, "group": group, "hidden": hidden}


def public_urls(registry):
    group, kind = registry["group"], registry["kind"]
    return [
        reverse("portal:overview"),
        kind.get_absolute_url(),
        group.get_absolute_url(),
        reverse("portal:search") + "?q=boda",
    ]


def text_of(response):
    return response.content.decode()


def test_overview_lists_kinds_with_goal_and_groups_with_districts(client, registry):
    """The overview shows each kind's goal and each group with its districts."""
    response = client.get(reverse("portal:overview"))
    assert response.status_code == 200
    html = text_of(response)
    assert "Områdesnätverk" in html
    assert "Öka inflytandet." in html
    assert registry["group"].get_absolute_url() in html
    assert "Boda, Hässleholmen" in html
    assert 'action="/lokalsamverkan/sok/"' in html


def test_group_page_shows_kind_districts_and_running_organisation(client, registry):
    """A group's page names its kind, its districts and who runs it."""
    group = registry["group"]
    group.running_organisation = PersonFactory().organisation
    group.save()
    html = text_of(client.get(group.get_absolute_url()))
    assert "<h1>Hässleholmen</h1>" in html
    assert "Områdesnätverk" in html
    assert "<li>Boda</li>" in html and "<li>Hässleholmen</li>" in html
    assert group.running_organisation.name in html
    assert sv("Upcoming meetings") in html


def test_inactive_group_is_hidden_everywhere(client, registry):
    """An inactive group is on no public page, and its own page is a Swedish 404."""
    for url in public_urls(registry):
        assert "Vilande gruppen" not in text_of(client.get(url)), url
    response = client.get(registry["hidden"].get_absolute_url())
    assert response.status_code == 404
    assert sv("Page not found") in text_of(response)


def test_consenting_contacts_are_shown_with_their_details(client, registry):
    """A convener who consented is shown with name, role, organisation, e-mail and phone."""
    role = GroupRoleFactory(
        group=registry["group"],
        role=GroupRole.Role.CONVENER,
        person__name="Alva Exempelsson",
        person__email="alva.exempelsson@example.org",
        person__phone="070-174 06 10",
        person__organisation__name="Fritidsförvaltningen",
    )
    html = text_of(client.get(registry["group"].get_absolute_url()))
    assert "Alva Exempelsson" in html
    assert str(GroupRole.Role.CONVENER.label) in html
    assert role.person.organisation.name in html
    assert 'href="mailto:alva.exempelsson@example.org"' in html
    assert 'href="tel:0701740610"' in html


@pytest.mark.parametrize("role", [GroupRole.Role.CONVENER, GroupRole.Role.CONTACT_PERSON])
def test_contacts_without_consent_never_appear_on_public_pages(client, registry, role):
    """A contact who did not consent is on no public page: not the name, e-mail or phone."""
    GroupRoleFactory(
        group=registry["group"],
        role=role,
        person__name="Hemlig Hemligsson",
        person__email="hemlig.marker@example.org",
        person__phone="070-174 06 99",
        person__public_consent=False,
    )
    for url in public_urls(registry):
        html = text_of(client.get(url))
        for secret in ("Hemlig Hemligsson", "hemlig.marker", "174 06 99"):
            assert secret not in html, (url, secret)


def test_members_are_not_listed_as_contacts(client, registry):
    """Ordinary members are not published as contacts, even with consent."""
    GroupRoleFactory(group=registry["group"], role=GroupRole.Role.MEMBER, person__name="Medlem Ett")
    assert "Medlem Ett" not in text_of(client.get(registry["group"].get_absolute_url()))


def test_group_page_points_to_the_municipality_when_no_contact_consented(client, registry):
    """With no published contact, the page offers the municipality's address instead."""
    html = text_of(client.get(registry["group"].get_absolute_url()))
    assert sv("The network has no published contact details.") in html
    assert "mailto:kontakt@example.org" in html


def test_group_url_needs_the_right_kind(client, registry):
    """A group is found under its own kind only: group names repeat across kinds."""
    other_kind = NetworkKindFactory(slug="barn-och-unga")
    url = reverse(
        "portal:group_detail",
        kwargs={"kind_slug": other_kind.slug, "group_slug": registry["group"].slug},
    )
    assert client.get(url).status_code == 404


def test_kind_page_shows_purpose_guidelines_and_groups(client, registry):
    """A kind's page quotes its goal, purpose and guidelines and lists its active groups."""
    html = text_of(client.get(registry["kind"].get_absolute_url()))
    assert "Att samverka." in html
    assert "<li>Nätverket träffas 3-4 gånger/termin.</li>" in html
    assert registry["group"].get_absolute_url() in html


@pytest.mark.parametrize("page", range(4))
def test_every_public_page_is_swedish_with_skip_link_and_one_h1(client, registry, page):
    """Each public page is lang="sv", has a skip link to the main content and one h1."""
    html = text_of(client.get(public_urls(registry)[page]))
    assert '<html lang="sv">' in html
    assert 'href="#main"' in html and 'id="main"' in html
    assert len(re.findall(r"<h1[ >]", html)) == 1


def test_unknown_address_is_a_swedish_404(client, db):
    """An address that leads nowhere answers 404 in Swedish, with a way onwards."""
    response = client.get("/lokalsamverkan/finns-inte/alls/")
    assert response.status_code == 404
    html = text_of(response)
    assert sv("Page not found") in html
    assert reverse("portal:search") in html


def test_home_leads_to_the_overview(client, db):
    """The site's root sends visitors to the overview of networks."""
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:overview")
