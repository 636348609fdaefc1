import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.urls import reverse

from meetings.models import Meeting
from networks import permissions
from networks.demo import DemoDataError, demo_data_load
from networks.models import (
    District,
    Forum,
    GroupRole,
    Municipality,
    NetworkGroup,
    NetworkKind,
    Organisation,
    Person,
)

pytestmark = pytest.mark.django_db

REGISTRY = (Municipality, District, Organisation, NetworkKind, NetworkGroup, Person, GroupRole)


def row_counts():
    return {model.__name__: model.objects.count() for model in REGISTRY} | {
        "User": get_user_model().objects.count()
    }


def districts_of(kind_slug, group_slug):
    group = NetworkGroup.objects.get(kind__slug=kind_slug, slug=group_slug)
    return sorted(group.districts.values_list("name", flat=True))


@pytest.fixture
def boras(db):
    call_command("loaddemo", stdout=io.StringIO())


def test_boras_has_twenty_groups_in_three_kinds(boras):
    """The demo is Borås 2017: 9 + 7 + 4 groups."""
    counts = {kind.slug: kind.groups.count() for kind in NetworkKind.objects.all()}
    assert counts == {"barn-och-unga": 9, "omradesnatverk": 7, "ortsrad": 4}


@pytest.mark.parametrize(
    ("kind", "group", "districts"),
    [
        ("barn-och-unga", "boda", ["Brämhult", "Hulta", "Hässleholmen"]),
        (
            "barn-och-unga",
            "dalsjofors",
            ["Aplared", "Dannike", "Gånghester", "Målsryd", "Rångedala", "Äspered"],
        ),
        ("omradesnatverk", "hassleholmen", ["Boda"]),
        ("omradesnatverk", "trandared", ["Bergsbo", "Bergsäter", "Brotorp"]),
        ("ortsrad", "fristad", ["Borgstena", "Bredared", "Frufällan", "Sparsör"]),
        (
            "ortsrad",
            "viskafors",
            ["Bogryd", "Kinnarumma", "Rydboholm", "Seglora", "Svaneholm"],
        ),
    ],
)
def test_groups_cover_the_districts_of_the_annual_report(boras, kind, group, districts):
    """Each group covers exactly the districts seed 000 lists, spelt correctly."""
    assert districts_of(kind, group) == sorted(districts)


def test_rural_councils_are_run_by_their_associations(boras):
    """Each ortsråd is run by its local association, a civil-society organisation."""
    runners = {
        group.slug: group.running_organisation
        for group in NetworkGroup.objects.filter(kind__slug="ortsrad")
    }
    assert runners["fristad"].name == "Framtid Fristad"
    assert runners["dalsjofors"].name == "Attraktiva Toarp"
    assert all(org.type == Organisation.Type.CIVIL_SOCIETY for org in runners.values())


def test_every_group_has_a_public_convener_with_a_fictional_address(boras):
    """Every demo group has a convener, and demo people use example.org addresses only."""
    for group in NetworkGroup.objects.all():
        assert group.roles.filter(role=GroupRole.Role.CONVENER).exists(), group
    assert not Person.objects.exclude(email__endswith="@example.org").exists()
    assert Person.objects.filter(public_consent=False, group_roles__isnull=False).exists()


def test_loading_twice_duplicates_nothing(boras):
    """A second `make run` finds the demo loaded and creates no row."""
    before = row_counts()
    call_command("loaddemo", stdout=io.StringIO())
    assert row_counts() == before


def test_demo_accounts_have_their_roles(boras):
    """The demo accounts log in with their documented passwords and roles."""
    User = get_user_model()
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.check_password("demo")
    developer = User.objects.get(username="utvecklare")
    assert developer.is_staff and developer.has_perm("networks.change_networkgroup")
    head = User.objects.get(username="chef")
    assert head.has_perm("networks.view_networkgroup")
    assert not head.has_perm("networks.change_networkgroup")
    coordinator = User.objects.get(username="samordnare")
    assert not coordinator.is_staff
    assert set(coordinator.person.group_roles.values_list("group__slug", flat=True)) >= {
        "boda",
        "hassleholmen",
    }


def test_sjomarken_finds_both_sandared_groups(boras, client):
    """On the demo, "sjomarken" finds the Sandared groups of both kinds that cover it."""
    response = client.get(reverse("portal:search"), {"q": "sjomarken"})
    found = {(r["group"].kind.slug, r["group"].slug) for r in response.context["results"]}
    assert found == {("barn-och-unga", "sandared"), ("ortsrad", "sandared")}


def test_harryda_loads_through_the_same_loader(boras):
    """Another municipality's data set loads beside Borås's without clashing."""
    kinds_before = NetworkKind.objects.count()
    call_command("loaddemo", "harryda-2024", stdout=io.StringIO())
    assert NetworkKind.objects.count() > kinds_before
    assert get_user_model().objects.filter(username__startswith="harryda-").exists()
    before = row_counts()
    call_command("loaddemo", "harryda-2024", stdout=io.StringIO())
    assert row_counts() == before


def test_a_broken_data_set_saves_nothing(db, settings):
    """A data set with an error is refused whole: no half-loaded registry."""
    data = json.loads((settings.BASE_DIR / "demo" / "boras-2017.json").read_text())
    data["kinds"][-1]["groups"][-1]["roles"].append(
        {"person": "nobody@example.org", "role": "convener"}
    )
    with pytest.raises(DemoDataError, match="nobody@example.org"):
        demo_data_load(data=data)
    assert all(count == 0 for count in row_counts().values())


def test_reloading_keeps_what_staff_changed(boras):
    """Restarting `make run` does not undo edits made in the admin."""
    group = NetworkGroup.objects.get(kind__slug="ortsrad", slug="fristad")
    group.description = "Ändrad i admin."
    group.save()
    group.districts.remove(District.objects.get(name="Sparsör"))
    call_command("loaddemo", stdout=io.StringIO())
    group.refresh_from_db()
    assert group.description == "Ändrad i admin."
    assert "Sparsör" not in districts_of("ortsrad", "fristad")


def test_unknown_data_set_is_refused_with_the_available_names(db):
    """Asking for a data set that does not exist names the ones that do."""
    with pytest.raises(CommandError, match="boras-2017"):
        call_command("loaddemo", "malmo-2030", stdout=io.StringIO())


def test_the_crime_prevention_councils_members_read_its_confidential_meetings(boras):
    """The demo's forum with members: a police officer in it reads its confidential meetings, a
    member of a group outside it does not."""
    forum = Forum.objects.get(slug="bra")
    confidential = Meeting.objects.filter(forum=forum, visibility="confidential").first()
    assert confidential is not None
    officer = forum.members.get(organisation__type="police")
    outsider = Person.objects.exclude(forums=forum).filter(group_roles__isnull=False).first()
    users = get_user_model().objects
    officer.user = users.create_user("polis", password="pw")
    officer.save()
    outsider.user = users.create_user("utanfor", password="pw")
    outsider.save()
    assert permissions.can_view_meeting(officer.user, confidential)
    assert not permissions.can_view_meeting(outsider.user, confidential)
