"""The coordinators' pages: log, plan, cancel and find meetings; Mina nätverk; history."""

import datetime
import re

import pytest
from django.urls import reverse

from core.years import FIRST_YEAR
from meetings.models import (
    YEARS_AHEAD,
    Activity,
    ActivityType,
    Meeting,
    MeetingStatus,
    MeetingType,
)
from networks.permissions import Role
from tests.factories.accounts import coordinator_of, user_with_role
from tests.factories.meetings import MeetingFactory
from tests.factories.networks import (
    MunicipalityFactory,
    NetworkGroupFactory,
    NetworkKindFactory,
    OrganisationFactory,
)
from tests.submitted import fresh_key
from tests.text import sv

pytestmark = pytest.mark.django_db

# The messages some tests look for, by msgid: the Swedish wording may change.
END = "The meeting must end after it starts."
NEGATIVE_COUNT = "The number of participants cannot be negative."
IMPLAUSIBLE_DATE = "Check the date: it must be between %(first)s and %(last)s."


@pytest.fixture
def setting():
    MunicipalityFactory()
    kind = NetworkKindFactory(name="Nätverk barn och unga", short_name="Barn och unga")
    boda = NetworkGroupFactory(kind=kind, name="Boda", slug="boda")
    other = NetworkGroupFactory(kind=kind, name="Norrby", slug="norrby")
    return {"kind": kind, "boda": boda, "other": other, "coordinator": coordinator_of(boda)}


def html_of(response):
    return response.content.decode()


def text_of(html):
    """Return the page's text without tags, whitespace collapsed: what a reader sees."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def this_term(today):
    """Return the first and last day of today's term (spring Jan–Jun, autumn Jul–Dec)."""
    if today.month <= 6:
        return datetime.date(today.year, 1, 1), datetime.date(today.year, 6, 30)
    return datetime.date(today.year, 7, 1), datetime.date(today.year, 12, 31)


def held_meeting_data(group, **changes):
    data = {
        **fresh_key(),
        "owner": f"group:{group.pk}",
        "status": "held",
        "date": datetime.date.today().isoformat(),
        "start_time": "15:00",
        "end_time": "16:30",
        "place": "Bodaskolan",
        "type": "ordinary",
        "participant_count": "12",
        "notes": "Vi pratade om sommarlovet.",
        "visibility": "public",
        "notes_visibility": "confidential",
        "follow_up": "Boka lokal till nästa gång.",
        "agenda": "",
    }
    data.update(changes)
    return data


def field_error(html, field):
    """Return the error text tied to `field` (by aria-describedby), or None."""
    control = re.search(rf'<(?:input|select|textarea)[^>]*id="id_{field}"[^>]*>', html)
    assert control, f"no control for {field}"
    if f"id_{field}_error" not in control.group(0):
        return None
    block = re.search(rf'id="id_{field}_error"[^>]*>(.*?)</div>', html, re.S)
    return re.sub(r"<[^>]+>", "", block.group(1)).strip() if block else None


# --- logging a held meeting ------------------------------------------------------------


def test_create_form_is_ready_for_logging_on_a_phone(client, setting):
    """ "Logga genomfört möte" opens with status held, today's date and phone-friendly inputs."""
    client.force_login(setting["coordinator"])
    html = html_of(client.get(reverse("meetings:meeting_create"), {"status": "held"}))
    assert "<h1>Logga genomfört möte</h1>" in html
    assert re.search(r'<input type="radio"[^>]*value="held"[^>]*checked', html)
    today = datetime.date.today().isoformat()
    assert re.search(rf'<input type="date" name="date" value="{today}"', html)
    assert re.search(r'<input type="time" name="start_time"', html)
    assert re.search(r'<input type="number" name="participant_count"[^>]*inputmode="numeric"', html)
    assert re.search(r'<label\s+for="id_notes"', html)
    # A coordinator of one group has it chosen already.
    assert f'<option value="group:{setting["boda"].pk}" selected>' in html


def test_logging_a_held_meeting_with_notes_shows_up_everywhere(client, setting):
    """A held meeting logged with notes in one go is saved, listed and counted on Mina nätverk."""
    client.force_login(setting["coordinator"])
    organisation = OrganisationFactory(name="Polisen")
    response = client.post(
        reverse("meetings:meeting_create") + "?status=held",
        held_meeting_data(setting["boda"], organisations=[organisation.pk]),
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert response["Location"] == meeting.get_absolute_url()
    assert meeting.status == MeetingStatus.HELD
    assert meeting.notes == "Vi pratade om sommarlovet."
    assert list(meeting.organisations.all()) == [organisation]

    detail = html_of(client.get(meeting.get_absolute_url()))
    assert sv("The meeting has been saved.") in detail
    assert "Vi pratade om sommarlovet." in detail
    assert "Polisen" in detail

    listing = html_of(client.get(reverse("meetings:meeting_list")))
    assert meeting.get_absolute_url() in listing
    assert "Skrivna" in listing

    mine = text_of(html_of(client.get(reverse("meetings:my_networks"))))
    assert "1 av 3–4 möten denna termin (1 genomfört)." in mine
    assert "Anteckningar saknas" not in mine


def test_held_meeting_without_notes_is_flagged_until_written(client, setting):
    """A held meeting lacking notes is flagged on Mina nätverk and leaves the list once written."""
    client.force_login(setting["coordinator"])
    meeting = MeetingFactory(
        group=setting["boda"], date=datetime.date.today(), status=MeetingStatus.HELD
    )
    mine = html_of(client.get(reverse("meetings:my_networks")))
    assert "Anteckningar saknas (1)" in mine
    assert reverse("meetings:meeting_edit", args=[meeting.pk]) in mine
    client.post(
        reverse("meetings:meeting_edit", args=[meeting.pk]),
        held_meeting_data(setting["boda"], date=meeting.date.isoformat()),
    )
    assert "Anteckningar saknas" not in html_of(client.get(reverse("meetings:my_networks")))


@pytest.mark.parametrize(
    ("field", "value", "msgid"),
    [
        ("end_time", "14:00", END),
        ("date", "1917-05-04", IMPLAUSIBLE_DATE),
        ("date", "3017-05-04", IMPLAUSIBLE_DATE),
        ("participant_count", "-3", NEGATIVE_COUNT),
        ("date", "2099-01-01", IMPLAUSIBLE_DATE),
    ],
)
def test_invalid_meeting_is_refused_in_swedish_beside_the_field(
    client, setting, field, value, msgid
):
    """Each mistake gets a Swedish sentence tied to its field, and nothing is saved."""
    latest = datetime.date.today().year + YEARS_AHEAD
    message = sv(msgid, first=FIRST_YEAR, last=latest) if msgid == IMPLAUSIBLE_DATE else sv(msgid)
    client.force_login(setting["coordinator"])
    response = client.post(
        reverse("meetings:meeting_create"), held_meeting_data(setting["boda"], **{field: value})
    )
    html = html_of(response)
    assert response.status_code == 200
    assert message in field_error(html, field)
    assert html.count(message) == 2  # beside the field, and in the summary at the top
    assert "Inget sparades." in html
    assert Meeting.objects.count() == 0


def test_a_held_meeting_cannot_be_in_the_future(client, setting):
    """Logging a meeting as held on a date still to come is refused beside the date."""
    client.force_login(setting["coordinator"])
    tomorrow = (datetime.date.today() + datetime.timedelta(days=1)).isoformat()
    response = client.post(
        reverse("meetings:meeting_create"), held_meeting_data(setting["boda"], date=tomorrow)
    )
    assert sv(
        "A meeting cannot have been held on a date that has not come yet. "
        "Choose the status “planned” or change the date."
    ) in field_error(html_of(response), "date")
    assert not Meeting.objects.exists()


def test_editing_with_an_error_keeps_the_stored_meeting(client, setting):
    """A rejected edit changes nothing in the database."""
    client.force_login(setting["coordinator"])
    meeting = MeetingFactory(group=setting["boda"], place="Bodaskolan")
    response = client.post(
        reverse("meetings:meeting_edit", args=[meeting.pk]),
        held_meeting_data(
            setting["boda"],
            status="planned",
            date=meeting.date.isoformat(),
            place="Ny plats",
            end_time="14:00",
        ),
    )
    assert response.status_code == 200
    meeting.refresh_from_db()
    assert meeting.place == "Bodaskolan"


# --- series and cancelling ---------------------------------------------------------------


def test_series_plans_every_third_thursday_and_each_is_edited_alone(client, setting):
    """A series from a Thursday to the end of term plans every third Thursday, each on its own."""
    client.force_login(setting["coordinator"])
    response = client.post(
        reverse("meetings:meeting_series_create"),
        {
            **fresh_key(),
            "owner": f"group:{setting['boda'].pk}",
            "first": "2017-01-05",
            "last": "2017-06-30",
            "every_weeks": "3",
            "start_time": "15:00",
            "end_time": "16:30",
            "place": "Bodaskolan",
            "type": "ordinary",
            "visibility": "public",
            "agenda": "Läget i skolorna.",
        },
    )
    assert response.status_code == 302
    dates = [m.date.strftime("%-d/%-m") for m in Meeting.objects.order_by("date")]
    assert dates == ["5/1", "26/1", "16/2", "9/3", "30/3", "20/4", "11/5", "1/6", "22/6"]
    assert {m.status for m in Meeting.objects.all()} == {MeetingStatus.PLANNED}
    listing = html_of(client.get(response["Location"]))
    planned = "%(count)s meetings have been planned. Change each one on its own below."
    assert sv(planned, count=9) in listing
    assert "9 möten" in listing

    second = Meeting.objects.order_by("date")[1]
    client.post(
        reverse("meetings:meeting_edit", args=[second.pk]),
        held_meeting_data(
            setting["boda"], status="planned", date="2017-01-27", place="Fritidsgården", notes=""
        ),
    )
    second.refresh_from_db()
    assert (second.date, second.place) == (datetime.date(2017, 1, 27), "Fritidsgården")
    others = Meeting.objects.exclude(pk=second.pk)
    assert set(others.values_list("place", flat=True)) == {"Bodaskolan"}
    assert others.filter(date=datetime.date(2017, 1, 26)).count() == 0


def test_series_with_last_before_first_is_refused(client, setting):
    """A series ending before it starts is refused beside the last date; nothing is planned."""
    client.force_login(setting["coordinator"])
    response = client.post(
        reverse("meetings:meeting_series_create"),
        {
            **fresh_key(),
            "owner": f"group:{setting['boda'].pk}",
            "first": "2017-06-01",
            "last": "2017-01-05",
            "every_weeks": "3",
            "type": "ordinary",
        },
    )
    assert sv("The last date cannot be before the first.") in field_error(html_of(response), "last")
    assert not Meeting.objects.exists()


def test_cancel_asks_first_then_keeps_the_meeting_marked_cancelled(client, setting):
    """Cancelling asks for confirmation; afterwards the meeting stays, marked cancelled."""
    client.force_login(setting["coordinator"])
    meeting = MeetingFactory(group=setting["boda"])
    url = reverse("meetings:meeting_cancel", args=[meeting.pk])
    confirm = html_of(client.get(url))
    assert "Ställa in mötet?" in confirm
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.PLANNED

    response = client.post(url)
    assert response["Location"] == meeting.get_absolute_url()
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CANCELLED
    assert "Mötet är inställt." in html_of(client.get(meeting.get_absolute_url()))
    listing = html_of(client.get(reverse("meetings:meeting_list"), {"year": meeting.date.year}))
    assert "<strong>Inställt</strong>" in listing


# --- Mina nätverk: the term against the guideline ------------------------------------


def test_term_count_against_the_guideline_and_who_is_behind(client, setting):
    """This term's held and planned meetings are counted against 3–4; a group below is named."""
    today = datetime.date.today()
    first_day, last_day = this_term(today)
    boda, other = setting["boda"], setting["other"]
    MeetingFactory(group=boda, date=today, status=MeetingStatus.HELD, notes="Klart.")
    MeetingFactory(group=boda, date=last_day, status=MeetingStatus.PLANNED)
    MeetingFactory(group=boda, date=last_day, status=MeetingStatus.CANCELLED)
    MeetingFactory(group=boda, date=first_day - datetime.timedelta(days=1))  # last term
    for _n in range(3):
        MeetingFactory(group=other, date=last_day)
    client.force_login(user_with_role(Role.NETWORK_DEVELOPER))
    html = html_of(client.get(reverse("meetings:my_networks")))
    boda_card = html[html.index(f'id="group-{boda.pk}"') :]
    boda_card = text_of(boda_card[: boda_card.index("</article>")])
    other_card = html[html.index(f'id="group-{other.pk}"') :]
    other_card = text_of(other_card[: other_card.index("</article>")])
    assert "2 av 3–4 möten denna termin (1 genomfört)." in boda_card
    assert "Ligger efter riktlinjen:" in boda_card
    assert "planera minst 1 möte till denna termin." in boda_card
    assert "3 av 3–4 möten denna termin" in other_card
    assert "Ligger efter" not in other_card
    summary = html[html.index('id="behind-heading"') : html.index('id="kind-')]
    assert "Boda (Barn och unga)" in summary and "Norrby" not in summary


def test_coordinator_sees_only_their_groups(client, setting):
    """Mina nätverk shows a coordinator their own groups and quick actions for them."""
    client.force_login(setting["coordinator"])
    html = html_of(client.get(reverse("meetings:my_networks")))
    assert "<h3" in html and ">Boda</h3>" in html
    assert "Norrby" not in html
    assert (
        f"{reverse('meetings:meeting_create')}?group={setting['boda'].pk}&amp;status=held" in html
    )


# --- the meeting list's filters ----------------------------------------------------------


def test_list_filters_by_year_kind_group_type_and_status(client, setting):
    """Each filter of the meeting list narrows it to the matching meetings."""
    other_kind = NetworkKindFactory(name="Områdesnätverk")
    area_group = NetworkGroupFactory(kind=other_kind, name="Hässleholmen")
    boda = setting["boda"]
    m2017 = MeetingFactory(group=boda, date=datetime.date(2017, 4, 6), status=MeetingStatus.HELD)
    dialogue = MeetingFactory(
        group=boda, date=datetime.date(2018, 4, 27), type=MeetingType.CITIZEN_DIALOGUE
    )
    area = MeetingFactory(group=area_group, date=datetime.date(2018, 5, 2))
    joint = MeetingFactory(group=None, kind=other_kind, date=datetime.date(2018, 10, 25))
    cancelled = MeetingFactory(
        group=setting["other"], date=datetime.date(2018, 3, 1), status=MeetingStatus.CANCELLED
    )
    client.force_login(user_with_role(Role.NETWORK_DEVELOPER))

    def shown(**filters):
        response = client.get(reverse("meetings:meeting_list"), filters)
        return set(response.context["meetings"])

    assert shown(year=2017) == {m2017}
    assert shown(year="") == {m2017, dialogue, area, joint, cancelled}
    assert shown(year=2018, kind=other_kind.pk) == {area, joint}
    assert shown(year="", group=boda.pk) == {m2017, dialogue}
    assert shown(year="", type=MeetingType.CITIZEN_DIALOGUE) == {dialogue}
    assert shown(year="", status=MeetingStatus.CANCELLED) == {cancelled}
    assert shown(year="", status="lacking_notes") == {m2017}
    html = html_of(
        client.get(reverse("meetings:meeting_list"), {"year": 2018, "kind": other_kind.pk})
    )
    assert f'<option value="{other_kind.pk}" selected>' in html


def test_list_pages_by_fifty_and_keeps_the_filters(client, setting):
    """The list shows 50 meetings a page; the next page link keeps the filters."""
    Meeting.objects.bulk_create(
        Meeting(group=setting["boda"], date=datetime.date(2017, 1, 1) + datetime.timedelta(days=n))
        for n in range(60)
    )
    response = client.get(reverse("meetings:meeting_list"), {"year": 2017})
    assert len(response.context["meetings"]) == 50
    assert "?year=2017&amp;page=2" in html_of(response)
    assert (
        len(
            client.get(reverse("meetings:meeting_list"), {"year": 2017, "page": 2}).context[
                "meetings"
            ]
        )
        == 10
    )


def test_public_list_hides_internal_meetings(client, setting):
    """Visitors do not see internal meetings in the list, nor the notes filter."""
    public = MeetingFactory(group=setting["boda"])
    MeetingFactory(group=setting["boda"], visibility="confidential")
    response = client.get(reverse("meetings:meeting_list"), {"year": ""})
    assert set(response.context["meetings"]) == {public}
    assert "lacking_notes" not in html_of(response)


# --- activities ------------------------------------------------------------------------


def test_coordinator_records_an_activity_day_over_two_days(client, setting):
    """An activity day over two days with partners is saved and listed with its dates."""
    client.force_login(setting["coordinator"])
    partner = OrganisationFactory(name="Fritid Boda")
    response = client.post(
        reverse("meetings:activity_create"),
        {
            **fresh_key(),
            "type": ActivityType.ACTIVITY_DAY,
            "name": "Aktivitetsdag på Hässleholmen",
            "group": setting["boda"].pk,
            "area": "Hässleholmen",
            "visibility": "public",
            "start_date": "2017-05-27",
            "end_date": "2017-05-28",
            "participant_count": "200",
            "partners": [partner.pk],
            "description": "Lekar och grillning.",
        },
    )
    assert response.status_code == 302
    activity = Activity.objects.get()
    assert activity.last_day == datetime.date(2017, 5, 28)
    html = html_of(client.get(reverse("meetings:activity_list"), {"year": 2017}))
    assert "27–28 maj 2017" in html
    assert "Fritid Boda" in html


def test_citizen_dialogue_needs_a_theme(client, setting):
    """A citizen dialogue without a theme is refused beside the theme field."""
    client.force_login(setting["coordinator"])
    response = client.post(
        reverse("meetings:activity_create"),
        {
            **fresh_key(),
            "type": ActivityType.CITIZEN_DIALOGUE,
            "group": setting["boda"].pk,
            "area": "Boda",
            "visibility": "public",
            "start_date": "2017-03-01",
            "participant_count": "-1",
        },
    )
    html = html_of(response)
    assert sv("Give the theme of the citizen dialogue.") in field_error(html, "theme")
    assert sv(NEGATIVE_COUNT) in field_error(html, "participant_count")
    assert not Activity.objects.exists()


# --- history ---------------------------------------------------------------------------


def test_history_shows_who_changed_what_in_swedish(client, setting):
    """The history names the user and shows each changed field, before and after, in Swedish."""
    developer = user_with_role(Role.NETWORK_DEVELOPER)
    developer.first_name, developer.last_name = "Vera", "Utvecklare"
    developer.save()
    client.force_login(developer)
    today = datetime.date.today()
    client.post(
        reverse("meetings:meeting_create"),
        held_meeting_data(setting["boda"], status="planned", notes="", participant_count=""),
    )
    meeting = Meeting.objects.get()
    client.post(
        reverse("meetings:meeting_edit", args=[meeting.pk]),
        held_meeting_data(setting["boda"], date=today.isoformat(), notes_visibility="restricted"),
    )
    html = html_of(client.get(reverse("meetings:meeting_history", args=[meeting.pk])))
    assert "Vera Utvecklare" in html
    assert "lade in mötet." in html
    assert "ändrade:" in html
    assert "Status planerat → blev genomfört" in text_of(html)
    assert "Vi pratade om sommarlovet." in html  # the developer may read restricted notes
    assert "<dt>Antal deltagare</dt>" in html
    assert "begränsade (gruppens samordnare och verksamhetsutvecklaren)" in html


# --- query budgets -----------------------------------------------------------------------

# Every page: session + user + municipality (context processor) + the user's role (auth
# groups, organisation and forums in one query). A coordinator: + their roles in groups; then
# the groups + three sliced prefetches (upcoming, lacking notes, not yet logged) + one aggregate
# of the groups' meeting counts.
MY_NETWORKS_COORDINATOR = 10
# The developer: the groups + three prefetches + the counts + the upcoming meetings of the
# forums and the kinds' joint meetings + the forums (links to their documents).
MY_NETWORKS_DEVELOPER = 11
# + the years with meetings + kinds and groups for the filters (fetched once, so a chosen
# filter costs no query to validate) + the count and the page of meetings with their owners.
MEETING_LIST = 9
# + the meeting with its owner + its organisations + its documents the user may read.
MEETING_DETAIL = 7


def build_meetings(count, groups, kind):
    """Bulk-create `count` meetings spread over the groups, the kind and five years."""
    start = datetime.date.today() - datetime.timedelta(days=3 * 365)
    statuses = [MeetingStatus.PLANNED, MeetingStatus.HELD, MeetingStatus.CANCELLED]
    Meeting.objects.bulk_create(
        Meeting(
            group=None if n % 25 == 0 else groups[n % len(groups)],
            kind=kind if n % 25 == 0 else None,
            date=start + datetime.timedelta(days=(n * 37) % 1800),
            status=statuses[n % 3],
            notes="" if n % 2 else "Anteckningar",
            visibility="confidential" if n % 7 == 0 else "public",
        )
        for n in range(count)
    )


@pytest.mark.parametrize("meeting_count", [125, 10_000])
def test_query_budget_does_not_grow_with_meetings(client, setting, query_count, meeting_count):
    """My networks, the meeting list and a meeting cost the same at 125 and 10 000 meetings."""
    kind = setting["kind"]
    # More groups with more meetings, so that neither may add queries.
    extra_groups = 2 if meeting_count < 1000 else 20
    groups = [setting["boda"], setting["other"]] + [
        NetworkGroupFactory(kind=kind) for _n in range(extra_groups)
    ]
    build_meetings(meeting_count, groups, kind)
    meeting = Meeting.objects.filter(group=setting["boda"]).first()
    meeting.organisations.set(OrganisationFactory.create_batch(3))

    def queries_for(url, params=None):
        queries, _content = query_count.page(client, url, params)
        return queries

    coordinator = coordinator_of(*groups[:4], username="busy")
    client.force_login(coordinator)
    assert queries_for(reverse("meetings:my_networks")) == MY_NETWORKS_COORDINATOR

    client.force_login(user_with_role(Role.NETWORK_DEVELOPER))
    assert queries_for(reverse("meetings:my_networks")) == MY_NETWORKS_DEVELOPER
    for params in ({}, {"year": "", "kind": kind.pk}, {"year": "", "page": 3}):
        assert queries_for(reverse("meetings:meeting_list"), params) == MEETING_LIST
    assert queries_for(meeting.get_absolute_url()) == MEETING_DETAIL


def test_every_mistake_is_shown_at_once(client, setting):
    """With no owner chosen, the other mistakes are reported too, each beside its field."""
    client.force_login(setting["coordinator"])
    response = client.post(
        reverse("meetings:meeting_create"),
        held_meeting_data(setting["boda"], owner="", end_time="14:00", participant_count="-1"),
    )
    html = html_of(response)
    assert sv("This field is required.") in field_error(html, "owner")
    assert sv(END) in field_error(html, "end_time")
    assert sv(NEGATIVE_COUNT) in field_error(html, "participant_count")
    assert html.count(sv(END)) == 2  # beside it and in the summary
    assert not Meeting.objects.exists()
