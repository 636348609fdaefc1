"""The permission matrix: each role against each meeting and activity view or action.

One table says what every role gets; each cell runs as its own test. Forged requests (a POST
to a page the user may not use) must answer 403/404 or a refused form, and change nothing.
"""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation

from meetings.models import Activity, Meeting, MeetingStatus, MeetingType, Visibility
from meetings.views import NO_ROLE, NOT_YOUR_GROUP
from networks.permissions import Role
from tests.factories.accounts import coordinator_of, user_with_role
from tests.factories.meetings import ActivityFactory, MeetingFactory
from tests.factories.networks import MunicipalityFactory, NetworkGroupFactory, NetworkKindFactory
from tests.submitted import fresh_key
from tests.text import sv

pytestmark = pytest.mark.django_db

PUBLIC_NOTES = "Offentliga anteckningar från Grupp A."
RESTRICTED_NOTES = "Begränsade anteckningar om en enskild elev i Grupp A."
INTERNAL_NOTES = "Interna anteckningar från ett internt möte."

ROLES = ("anonymous", "no_role", "coordinator_a", "coordinator_b", "developer", "head", "admin")

# Outcomes: an HTTP status, or "login" (sent to log in); for reading notes "shown"/"hidden"
# (the text on the page); for writes "done" when it happened, otherwise the status answered –
# so a write row's "403", "200" (the form refused) or "login" also means nothing changed.
# fmt: off
MATRIX = {
    #                          anonymous no_role coord A  coord B  develop. head     admin
    "view_list":             ("200",    "200",   "200",   "200",   "200",   "200",   "200"),
    "view_public_detail":    ("shown",  "shown", "shown", "shown", "shown", "shown", "shown"),
    "read_restricted_notes": ("hidden", "hidden", "shown", "hidden", "shown", "hidden", "shown"),
    "view_internal_meeting": ("404",    "404",   "200",   "404",   "200",   "200",   "200"),
    "create_for_a":          ("login",  "403",   "done",  "200",   "done",  "403",   "done"),
    "edit_meeting_of_a":     ("login",  "403",   "done",  "403",   "done",  "403",   "done"),
    "cancel_meeting_of_a":   ("login",  "403",   "done",  "403",   "done",  "403",   "done"),
    "view_history":          ("login",  "403",   "403",   "403",   "200",   "403",   "200"),
    "create_activity_for_a": ("login",  "403",   "done",  "200",   "done",  "403",   "done"),
    "edit_activity_of_a":    ("login",  "403",   "done",  "403",   "done",  "403",   "done"),
    "my_networks":           ("login",  "403",   "200",   "200",   "200",   "200",   "200"),
}
# fmt: on

CELLS = [
    pytest.param(role, action, expected[ROLES.index(role)], id=f"{action}-{role}")
    for action, expected in MATRIX.items()
    for role in ROLES
]


@pytest.fixture
def world():
    """Two groups of one kind, a coordinator of each, the staff roles, and A's meetings."""
    MunicipalityFactory()
    kind = NetworkKindFactory(name="Nätverk barn och unga")
    group_a = NetworkGroupFactory(kind=kind, name="Grupp A")
    group_b = NetworkGroupFactory(kind=kind, name="Grupp B")
    users = {
        "anonymous": None,
        "no_role": get_user_model().objects.create_user("vanlig", password="pw"),
        "coordinator_a": coordinator_of(group_a, username="samordnare_a"),
        "coordinator_b": coordinator_of(group_b, username="samordnare_b"),
        "developer": user_with_role(Role.NETWORK_DEVELOPER),
        "head": user_with_role(Role.HEAD_OF_ADMINISTRATION),
        "admin": user_with_role(Role.ADMINISTRATOR),
    }
    today = datetime.date.today()
    return {
        "group_a": group_a,
        "users": users,
        "public": MeetingFactory(
            group=group_a,
            date=today,
            status=MeetingStatus.HELD,
            notes=PUBLIC_NOTES,
            notes_visibility=Visibility.PUBLIC,
        ),
        "restricted": MeetingFactory(
            group=group_a,
            date=today,
            status=MeetingStatus.HELD,
            notes=RESTRICTED_NOTES,
            notes_visibility=Visibility.RESTRICTED,
        ),
        "internal": MeetingFactory(
            group=group_a, visibility="confidential", notes=INTERNAL_NOTES, place="Internt rum"
        ),
        "activity": ActivityFactory(group=group_a, area="Hulta"),
    }


def outcome(response):
    if response.status_code == 302 and response["Location"].startswith(reverse("login")):
        return "login"
    return str(response.status_code)


def write_outcome(response, happened):
    return "done" if happened else outcome(response)


def meeting_post_data(meeting, **changes):
    data = {
        **fresh_key(),
        "owner": f"group:{meeting.group_id}",
        "status": meeting.status,
        "date": meeting.date.isoformat(),
        "start_time": "15:00",
        "end_time": "17:00",
        "place": meeting.place,
        "type": meeting.type,
        "notes": meeting.notes,
        "visibility": meeting.visibility,
        "notes_visibility": meeting.notes_visibility,
        "agenda": "",
        "follow_up": "",
    }
    data.update(changes)
    return data


def activity_post_data(activity, **changes):
    data = {
        **fresh_key(),
        "type": activity.type,
        "name": activity.name,
        "group": activity.group_id,
        "area": activity.area,
        "visibility": activity.visibility,
        "start_date": activity.start_date.isoformat(),
        "end_date": "",
        "theme": "",
        "participant_count": "",
        "description": "",
    }
    data.update(changes)
    return data


def act(client, world, action):
    """Do `action` as the logged-in client and return the outcome as a word."""
    public, restricted = world["public"], world["restricted"]
    group_a = world["group_a"]
    if action == "view_list":
        return outcome(client.get(reverse("meetings:meeting_list")))
    if action == "view_public_detail":
        response = client.get(public.get_absolute_url())
        return "shown" if PUBLIC_NOTES in response.content.decode() else outcome(response)
    if action == "read_restricted_notes":
        response = client.get(restricted.get_absolute_url())
        assert response.status_code == 200
        return "shown" if RESTRICTED_NOTES in response.content.decode() else "hidden"
    if action == "view_internal_meeting":
        response = client.get(world["internal"].get_absolute_url())
        assert (INTERNAL_NOTES in response.content.decode()) == (response.status_code == 200)
        return outcome(response)
    if action == "create_for_a":
        before = Meeting.objects.count()
        data = meeting_post_data(public, place="Nytt möte", notes="", status="planned")
        data["date"] = (datetime.date.today() + datetime.timedelta(days=7)).isoformat()
        response = client.post(reverse("meetings:meeting_create"), data)
        return write_outcome(response, Meeting.objects.count() == before + 1)
    if action == "edit_meeting_of_a":
        response = client.post(
            reverse("meetings:meeting_edit", args=[public.pk]),
            meeting_post_data(public, place="Förfalskad plats"),
        )
        public.refresh_from_db()
        return write_outcome(response, public.place == "Förfalskad plats")
    if action == "cancel_meeting_of_a":
        response = client.post(reverse("meetings:meeting_cancel", args=[public.pk]))
        public.refresh_from_db()
        return write_outcome(response, public.status == MeetingStatus.CANCELLED)
    if action == "view_history":
        return outcome(client.get(reverse("meetings:meeting_history", args=[restricted.pk])))
    if action == "create_activity_for_a":
        before = Activity.objects.count()
        response = client.post(
            reverse("meetings:activity_create"),
            activity_post_data(world["activity"], area="Ny plats", group=group_a.pk),
        )
        return write_outcome(response, Activity.objects.count() == before + 1)
    if action == "edit_activity_of_a":
        activity = world["activity"]
        response = client.post(
            reverse("meetings:activity_edit", args=[activity.pk]),
            activity_post_data(activity, area="Förfalskat område"),
        )
        activity.refresh_from_db()
        return write_outcome(response, activity.area == "Förfalskat område")
    if action == "my_networks":
        return outcome(client.get(reverse("meetings:my_networks")))
    raise AssertionError(f"unknown action {action}")


@pytest.mark.parametrize(("role", "action", "expected"), CELLS)
def test_permission_matrix(client, world, role, action, expected):
    """Each role gets exactly what the matrix says for each meeting and activity action."""
    user = world["users"][role]
    if user is not None:
        client.force_login(user)
    assert act(client, world, action) == expected


def test_coordinator_of_b_cannot_reach_group_a_by_any_form(client, world):
    """A coordinator of B is refused in Swedish when forging A into the forms; nothing is saved."""
    client.force_login(world["users"]["coordinator_b"])
    data = meeting_post_data(world["public"], place="Smuggel", status="planned", notes="")
    for name in ("meeting_create", "meeting_series_create"):
        response = client.post(
            reverse(f"meetings:{name}"),
            {**data, "first": "2017-01-05", "last": "2017-03-30", "every_weeks": 3},
        )
        assert response.status_code == 200
        refused = sv("You can only add meetings for the groups you coordinate.")
        assert refused in response.content.decode()
    # Forum and joint meetings belong to the network developer, whatever the POST says.
    kind = world["group_a"].kind
    response = client.post(reverse("meetings:meeting_create"), {**data, "owner": f"kind:{kind.pk}"})
    assert response.status_code == 200
    assert not Meeting.objects.filter(place="Smuggel").exists()
    response = client.get(reverse("meetings:meeting_edit", args=[world["restricted"].pk]))
    assert response.status_code == 403
    assert RESTRICTED_NOTES not in response.content.decode()
    with translation.override("sv"):
        assert str(NOT_YOUR_GROUP) in response.content.decode()


def test_create_form_offers_only_the_users_own_groups(client, world):
    """A coordinator's owner choice lists their own groups only, preselecting ?group=."""
    client.force_login(world["users"]["coordinator_a"])
    group_a = world["group_a"]
    html = client.get(reverse("meetings:meeting_create"), {"group": group_a.pk}).content.decode()
    assert f'<option value="group:{group_a.pk}" selected>' in html
    assert "Grupp B" not in html
    client.force_login(world["users"]["developer"])
    html = client.get(reverse("meetings:meeting_create")).content.decode()
    assert "Grupp B" in html
    assert sv("Joint meeting: %(kind)s", kind="Nätverk barn och unga") in html


def test_head_of_administration_reads_but_sees_no_actions(client, world):
    """The head of administration reads meetings but is offered no edit, cancel or history."""
    client.force_login(world["users"]["head"])
    html = client.get(world["public"].get_absolute_url()).content.decode()
    assert PUBLIC_NOTES in html
    for name in ("meeting_edit", "meeting_cancel", "meeting_history"):
        assert reverse(f"meetings:{name}", args=[world["public"].pk]) not in html
    html = client.get(reverse("meetings:my_networks")).content.decode()
    assert reverse("meetings:meeting_create") not in html


def test_history_is_refused_before_the_meeting_is_looked_up(client, world):
    """Only the developer learns whether a meeting exists from its history page."""
    missing = reverse("meetings:meeting_history", args=[Meeting.objects.latest("pk").pk + 1])
    client.force_login(world["users"]["coordinator_a"])
    assert client.get(missing).status_code == 403
    client.force_login(world["users"]["developer"])
    assert client.get(missing).status_code == 404


def test_no_role_gets_a_swedish_explanation(client, world):
    """A logged-in user with no portal role is told in Swedish why Mina nätverk is closed."""
    client.force_login(world["users"]["no_role"])
    response = client.get(reverse("meetings:my_networks"))
    assert response.status_code == 403
    with translation.override("sv"):
        assert str(NO_ROLE) in response.content.decode()


def test_special_meeting_type_is_not_a_permission(client, world):
    """A joint meeting of the kind is the network developer's: a coordinator cannot edit it."""
    joint = MeetingFactory(group=None, kind=world["group_a"].kind, type=MeetingType.CONFERENCE)
    client.force_login(world["users"]["coordinator_a"])
    assert client.get(reverse("meetings:meeting_edit", args=[joint.pk])).status_code == 403
    client.force_login(world["users"]["developer"])
    assert client.get(reverse("meetings:meeting_edit", args=[joint.pk])).status_code == 200


def test_admin_keeps_restricted_notes_and_history_from_the_head(client, world):
    """In the admin the head of administration reads meetings but no restricted notes or history."""
    restricted = world["restricted"]
    change = reverse("admin:meetings_meeting_change", args=[restricted.pk])
    history = reverse("admin:meetings_meeting_history", args=[restricted.pk])
    client.force_login(world["users"]["head"])
    response = client.get(change)
    assert response.status_code == 200
    assert RESTRICTED_NOTES not in response.content.decode()
    assert client.get(history).status_code == 403
    searched = client.get(reverse("admin:meetings_meeting_changelist"), {"q": "enskild elev"})
    assert restricted.get_absolute_url() not in searched.content.decode()
    assert searched.context["cl"].result_count == 0

    client.force_login(world["users"]["developer"])
    assert RESTRICTED_NOTES in client.get(change).content.decode()
    assert client.get(history).status_code == 200
    searched = client.get(reverse("admin:meetings_meeting_changelist"), {"q": "enskild elev"})
    assert searched.context["cl"].result_count == 1


@pytest.mark.parametrize("model", ["meeting", "activity", "meetingseries"])
def test_admin_lists_meetings_activities_and_series_in_swedish(admin_client, world, model):
    """The admin lists, searches and filters meetings, activities and series, in Swedish."""
    response = admin_client.get(reverse(f"admin:meetings_{model}_changelist"), {"q": "a"})
    assert response.status_code == 200
    assert 'lang="sv"' in response.content.decode()
