"""The demo's meetings and activities: the 2017 grid is bilaga 2 of seed 000, date for date."""

import datetime
import io
import json

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from meetings.calendar import RowLevel, year_grid
from meetings.demo import demo_meetings_load, upcoming_date
from meetings.models import Activity, ActivityType, Meeting, MeetingStatus, Visibility
from networks.permissions import Reach

pytestmark = pytest.mark.django_db

FORUM, KIND, GROUP = RowLevel.FORUM, RowLevel.KIND, RowLevel.GROUP

# Bilaga 2 "Mötesdatum 2017" of seed 000, row by row: (level, label, {month: cell}, safety walks,
# activity days). Transcribed from the seed with its misspellings corrected (Norby = Norrby,
# Dalorp = Daltorp, Vistafors = Viskafors, Brännhult = Brämhult, Hässelholmen = Hässleholmen,
# Tandared = Trandared, Kristineberg/Göta = Kristineberg) and the activity columns re-aligned
# to their rows. Hässleholmen's May cell "8,22/5*, 22/5" is read as 8/5, 22/5* and 22/5.
BILAGA_2 = [
    (FORUM, "Säker och trygg kommun", {3: "15/3", 9: "13/9"}, "", ""),
    (
        FORUM,
        "BRÅ",
        {4: "5/4", 6: "8/6", 8: "24/8*", 9: "19/9*, 26/9", 11: "23/11"},
        "",
        "",
    ),
    (KIND, "Nätverk 10–16 år", {1: "23/1", 4: "24/4", 10: "20/10*"}, "", ""),
    (
        GROUP,
        "Boda",
        {1: "26/1", 3: "16/3", 4: "12/4", 5: "18/5", 6: "9/6", 9: "5/9", 10: "6/10", 11: "6/11"}
        | {12: "8/12"},
        "",
        "",
    ),
    (GROUP, "Centrum", {3: "23/3", 5: "18/5", 9: "14/9", 11: "30/11"}, "", ""),
    (
        GROUP,
        "Dalsjöfors",
        {1: "27/1", 3: "20/3", 5: "30/5", 9: "5/9", 10: "24/10", 12: "7/12"},
        "",
        "",
    ),
    (GROUP, "Daltorp", {6: "20/6", 9: "29/9", 11: "7/11", 12: "1/12"}, "", ""),
    (GROUP, "Fristad", {3: "30/3", 5: "22/5", 11: "10/11"}, "", ""),
    (
        GROUP,
        "Norrby",
        {4: "6/4, 27/4", 6: "8/6", 10: "12/10", 11: "9/11, 30/11"},
        "",
        "",
    ),
    (GROUP, "Sandared", {5: "18/5", 9: "15/9", 11: "17/11"}, "", ""),
    (GROUP, "Sjöbo", {10: "12/10", 11: "30/11"}, "", ""),
    (GROUP, "Viskafors", {3: "21/3", 5: "18/5", 9: "18/9", 11: "27/11"}, "", ""),
    (KIND, "Områdesnätverk", {1: "23/1", 4: "24/4", 10: "25/10*"}, "", ""),
    (GROUP, "Brämhult", {2: "8/2", 5: "9/5", 9: "20/9", 11: "15/11"}, "", ""),
    (
        GROUP,
        "Hulta",
        {1: "18/1", 3: "22/3", 4: "4/4*", 5: "15/5", 9: "18/9", 10: "16/10", 12: "4/12"},
        "30/10",
        "20/5",
    ),
    (
        GROUP,
        "Hässleholmen",
        {3: "2/3", 4: "4/4", 5: "8/5, 22/5*, 22/5", 9: "6/9", 10: "18/10", 11: "27/11"},
        "",
        "27, 28/5, 9/12*",
    ),
    (GROUP, "Kristineberg", {3: "29/3", 5: "11/5", 9: "19/9", 11: "13/11"}, "15/11", "9/9"),
    (
        GROUP,
        "Norrby",
        {4: "3/4", 5: "3/5*", 6: "1/6", 10: "3/10", 11: "14/11*", 12: "4/12"},
        "3, 10, 24/10",
        "26/8*",
    ),
    (
        GROUP,
        "Sjöbo",
        {1: "26/1", 3: "23/3", 5: "18/5", 8: "24/8", 10: "12/10", 11: "30/11"},
        "",
        "2/9",
    ),
    (GROUP, "Trandared", {2: "8/2", 4: "27/4", 9: "6/9", 11: "29/11"}, "", "13/5"),
    (
        KIND,
        "Ortsråd – landsbygdsnätverk",
        {1: "20/1", 3: "30/3*", 4: "3/4", 5: "29/5", 6: "27/6*", 9: "4/9", 10: "12/10*"}
        | {12: "4/12"},
        "",
        "",
    ),
    (
        GROUP,
        "Dalsjöfors",
        {2: "16/2, 27/2", 3: "15/3", 4: "19/4", 5: "16/5", 6: "7/6", 9: "5/9", 11: "7/11, 29/11"},
        "",
        "17/9*",
    ),
    (
        GROUP,
        "Fristad",
        {4: "18/4", 5: "30/5", 8: "21/8", 9: "25/9", 11: "13/11*", 12: "6/12"},
        "",
        "20, 21/5",
    ),
    (GROUP, "Sandared", {2: "23/2", 3: "29/3", 9: "14/9", 12: "7/12"}, "", "2/9"),
    (GROUP, "Viskafors", {1: "17/1", 4: "10/4", 9: "12/9", 10: "24/10"}, "", ""),
]
# Every date of bilaga 2's twelve month columns: 125 meetings.
BILAGA_2_MEETINGS = 125


def load():
    call_command("loaddemo", stdout=io.StringIO())


@pytest.fixture
def boras(db):
    load()


def expected_row(level, label, months, walks, days):
    return (level, label, tuple(months.get(m, "") for m in range(1, 13)), walks, days)


def test_the_2017_grid_is_bilaga_2_date_for_date(boras):
    """Every row, every month cell and both activity columns match bilaga 2 of seed 000."""
    grid = year_grid(year=2017)
    actual = [
        (row.level, row.label, row.months, row.safety_walks, row.activity_days) for row in grid.rows
    ]
    assert len(actual) == len(BILAGA_2)
    for got, (level, label, months, walks, days) in zip(actual, BILAGA_2, strict=True):
        assert got == expected_row(level, label, months, walks, days), label
    assert grid.meeting_count == BILAGA_2_MEETINGS


def test_the_transcription_counts_125_meetings():
    """The transcribed bilaga 2 itself holds 125 dates (the issue's "about 125")."""
    dates = sum(
        len(cell.split(", ")) for _l, _n, months, _w, _d in BILAGA_2 for cell in months.values()
    )
    assert dates == BILAGA_2_MEETINGS


def test_all_2017_meetings_were_held_and_none_is_hidden(boras):
    """The 2017 meetings are all held and public, so the public grid is bilaga 2 too."""
    meetings = Meeting.objects.in_year(2017)
    assert meetings.count() == BILAGA_2_MEETINGS
    assert not meetings.exclude(status=MeetingStatus.HELD).exists()
    assert year_grid(year=2017, reach=Reach()).meeting_count == BILAGA_2_MEETINGS


def test_the_joint_meetings_have_the_reports_times_places_and_numbers(boras):
    """20/10 at Pulsen 09.00–12.00 with about 50, 25/10 at Kulturhuset 17.30–20.00 with about 65."""
    pulsen = Meeting.objects.get(kind__slug="barn-och-unga", date=datetime.date(2017, 10, 20))
    assert (pulsen.place, pulsen.start_time, pulsen.end_time, pulsen.participant_count) == (
        "Pulsen",
        datetime.time(9),
        datetime.time(12),
        50,
    )
    culture = Meeting.objects.get(kind__slug="omradesnatverk", date=datetime.date(2017, 10, 25))
    assert (culture.place, culture.start_time, culture.end_time, culture.participant_count) == (
        "Kulturhuset",
        datetime.time(17, 30),
        datetime.time(20),
        65,
    )
    assert pulsen.is_special and culture.is_special
    assert pulsen.organisations.filter(name="Polismyndigheten").exists()


def test_the_demo_notes_show_every_visibility(boras):
    """Some demo meetings have public, some internal and some restricted notes."""
    with_notes = Meeting.objects.exclude(notes="")
    visibilities = set(with_notes.values_list("notes_visibility", flat=True))
    assert visibilities == set(Visibility.values)


def test_the_activities_of_section_7_are_there(boras):
    """§7's activity days, safety walks, citizen dialogue and the stormöte in Fristad exist."""
    activities = Activity.objects.in_year(2017)
    assert activities.filter(type=ActivityType.SAFETY_WALK).count() == 5
    dialogue = activities.get(type=ActivityType.CITIZEN_DIALOGUE)
    assert dialogue.start_date == datetime.date(2017, 12, 9)
    assert dialogue.theme == "Utveckling av Mötesplats Hässlehus"
    stormote = activities.get(type=ActivityType.GENERAL_MEETING)
    assert (stormote.group.kind.slug, stormote.group.slug, stormote.start_date) == (
        "ortsrad",
        "fristad",
        datetime.date(2017, 11, 19),
    )
    hassleholmen = activities.get(group__slug="hassleholmen", type=ActivityType.ACTIVITY_DAY)
    assert (hassleholmen.start_date, hassleholmen.end_date) == (
        datetime.date(2017, 5, 27),
        datetime.date(2017, 5, 28),
    )


def counts():
    return {
        "meetings": Meeting.objects.count(),
        "uids": sorted(Meeting.objects.values_list("uid", flat=True)),
        "activities": Activity.objects.count(),
        "organisations present": Meeting.organisations.through.objects.count(),
        "partners": Activity.partners.through.objects.count(),
    }


def test_loading_twice_duplicates_no_meeting_or_activity(boras):
    """A second `loaddemo` creates no meeting or activity."""
    before = counts()
    load()
    assert counts() == before


def test_loading_on_another_day_adds_no_upcoming_meeting(boras):
    """The upcoming meetings are keyed, so a run weeks later finds them and creates nothing."""
    before = counts()
    data = json.loads((settings.BASE_DIR / "demo" / "boras-2017.json").read_text())
    later = timezone.localdate() + datetime.timedelta(days=40)
    summary = demo_meetings_load(data=data, today=later)
    assert set(summary.created.values()) == {0}
    assert counts() == before


def test_reloading_keeps_what_staff_changed(boras):
    """A demo meeting edited since (even its type) is neither reset nor duplicated."""
    meeting = Meeting.objects.get(group__slug="boda", date=datetime.date(2017, 1, 26))
    meeting.type = "extra"
    meeting.notes = "Ändrat av samordnaren."
    meeting.save()
    load()
    meeting.refresh_from_db()
    assert (meeting.type, meeting.notes) == ("extra", "Ändrat av samordnaren.")
    assert Meeting.objects.filter(group__slug="boda", date=datetime.date(2017, 1, 26)).count() == 1


def test_public_group_pages_have_upcoming_planned_meetings(boras):
    """Several groups have public planned meetings ahead, with time and place."""
    upcoming = (
        Meeting.objects.public()
        .upcoming()
        .filter(status=MeetingStatus.PLANNED, group__isnull=False)
    )
    assert upcoming.count() >= 5
    assert upcoming.values("group").distinct().count() >= 4
    assert not upcoming.filter(start_time__isnull=True).exists()
    assert not upcoming.filter(place="").exists()
    assert upcoming.filter(group__slug="boda").exists()
    assert upcoming.filter(group__slug="hassleholmen").exists()
    # One upcoming meeting is cancelled, so the calendars and feeds show what that looks like.
    assert Meeting.objects.filter(
        date__gte=timezone.localdate(), status=MeetingStatus.CANCELLED
    ).exists()


@pytest.mark.parametrize(
    ("today", "in_weeks", "weekday", "expected"),
    [
        # A Wednesday; "thursday in 2 weeks" is the Thursday of the week two weeks on.
        (datetime.date(2025, 1, 1), 2, "thursday", datetime.date(2025, 1, 16)),
        (datetime.date(2025, 1, 1), 1, "wednesday", datetime.date(2025, 1, 8)),
        (datetime.date(2025, 1, 1), 1, "monday", datetime.date(2025, 1, 13)),
    ],
)
def test_upcoming_dates_are_the_weekday_weeks_ahead(today, in_weeks, weekday, expected):
    """An upcoming meeting falls on its weekday, at least `in_weeks` weeks after the load."""
    assert upcoming_date(in_weeks=in_weeks, weekday=weekday, today=today) == expected
