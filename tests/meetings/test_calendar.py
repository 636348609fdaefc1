"""The year grid of bilaga 2 and the month view: what they show, to whom, at what cost."""

import datetime
import re

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from meetings.calendar import RowLevel, format_days, year_grid
from meetings.models import ActivityType, Meeting, MeetingStatus, MeetingType
from networks.models import Forum
from networks.permissions import Reach, Role
from tests.factories.accounts import coordinator_of, user_with_role
from tests.factories.meetings import ActivityFactory, MeetingFactory
from tests.factories.networks import (
    MunicipalityFactory,
    NetworkGroupFactory,
    NetworkKindFactory,
)
from tests.text import sv

pytestmark = pytest.mark.django_db

YEAR = 2017
MONTHS = ["Jan", "Feb", "Mars", "April", "Maj", "Juni", "Juli", "Aug", "Sep", "Okt", "Nov", "Dec"]


def day(day_month: str, year: int = YEAR) -> datetime.date:
    """Return the date of "d/m" in `year`, as bilaga 2 writes dates."""
    d, m = day_month.split("/")
    return datetime.date(year, int(m), int(d))


def cell(grid, label, month, level=None):
    return grid.row(label, level).months[month - 1]


@pytest.fixture
def registry(db):
    """Two forums, two kinds (in an order unlike their names) and their groups."""
    MunicipalityFactory()
    forums = {
        "bra": Forum.objects.create(
            name="Brottsförebyggande rådet", short_name="BRÅ", slug="bra", order=2
        ),
        "sotk": Forum.objects.create(name="Säker och trygg kommun", slug="sotk", order=1),
    }
    area = NetworkKindFactory(name="Områdesnätverk", short_name="Områdesnätverk", order=2)
    youth = NetworkKindFactory(name="Nätverk barn och unga", short_name="Nätverk 10–16 år", order=1)
    groups = {
        name: NetworkGroupFactory(kind=area, name=name)
        for name in ("Trandared", "Hässleholmen", "Hulta", "Brämhult")
    }
    groups["Boda"] = NetworkGroupFactory(kind=youth, name="Boda")
    groups["Norrby"] = NetworkGroupFactory(kind=youth, name="Norrby")
    return {"forums": forums, "area": area, "youth": youth, "groups": groups}


def held(when: str, **values):
    """Make a meeting on "d/m" of 2017, held unless `values` say otherwise."""
    return MeetingFactory(date=day(when), **{"status": MeetingStatus.HELD} | values)


# --- The grid as data -------------------------------------------------------------------------


def test_rows_follow_bilaga_2_forums_then_each_kind_with_its_groups(registry):
    """Forums come first in their order, then each kind's joint row and its groups A–Ö."""
    grid = year_grid(year=YEAR)
    assert [(row.level, row.label) for row in grid.rows] == [
        (RowLevel.FORUM, "Säker och trygg kommun"),
        (RowLevel.FORUM, "BRÅ"),
        (RowLevel.KIND, "Nätverk 10–16 år"),
        (RowLevel.GROUP, "Boda"),
        (RowLevel.GROUP, "Norrby"),
        (RowLevel.KIND, "Områdesnätverk"),
        (RowLevel.GROUP, "Brämhult"),
        # Swedish order: Hulta before Hässleholmen (ä comes after z), whatever the database says.
        (RowLevel.GROUP, "Hulta"),
        (RowLevel.GROUP, "Hässleholmen"),
        (RowLevel.GROUP, "Trandared"),
    ]
    assert all(len(row.months) == 12 for row in grid.rows)


def test_inactive_groups_keep_a_row_only_in_years_they_met(registry):
    """An inactive group disappears from new years but stays in the years it has meetings."""
    trandared = registry["groups"]["Trandared"]
    trandared.active = False
    trandared.save()
    held("8/2", group=trandared)
    assert cell(year_grid(year=YEAR), "Trandared", 2) == "8/2"
    assert "Trandared" not in [row.label for row in year_grid(year=YEAR + 1).rows]


def test_cells_list_the_month_dates_with_a_star_after_special_meetings(registry):
    """Each cell lists its month's dates in order, "*" after citizen dialogues, theme days etc."""
    norrby, hulta = registry["groups"]["Norrby"], registry["groups"]["Hulta"]
    held("27/4", group=norrby)
    held("6/4", group=norrby)
    held("4/4", group=hulta, type=MeetingType.THEME_DAY)
    held("19/9", forum=registry["forums"]["bra"], group=None, type=MeetingType.CONFERENCE)
    held("26/9", forum=registry["forums"]["bra"], group=None)
    held("20/10", kind=registry["youth"], group=None, type=MeetingType.CITIZEN_DIALOGUE)
    held("23/1", group=norrby, type=MeetingType.EXTRA)
    held("30/12", group=norrby, type=MeetingType.RESIDENTS_MEETING)
    grid = year_grid(year=YEAR)
    assert cell(grid, "Norrby", 4) == "6/4, 27/4"
    assert cell(grid, "Norrby", 1) == "23/1"
    assert cell(grid, "Norrby", 12) == "30/12"
    assert cell(grid, "Hulta", 4) == "4/4*"
    assert cell(grid, "BRÅ", 9) == "19/9*, 26/9"
    assert cell(grid, "Nätverk 10–16 år", 10) == "20/10*"
    assert cell(grid, "Boda", 4) == ""
    assert grid.meeting_count == 8
    assert str(grid.footnote) == "* Medborgardialoger, temadagar, konferenser etc."


def test_two_meetings_on_one_day_are_both_listed_in_time_order(registry):
    """A special and an ordinary meeting on the same day are two dates in the cell."""
    hassleholmen = registry["groups"]["Hässleholmen"]
    held("22/5", group=hassleholmen, start_time=datetime.time(18), end_time=datetime.time(19))
    held("22/5", group=hassleholmen, type=MeetingType.THEME_DAY, start_time=datetime.time(9))
    held("8/5", group=hassleholmen)
    assert cell(year_grid(year=YEAR), "Hässleholmen", 5) == "8/5, 22/5*, 22/5"


def test_cancelled_meetings_and_other_years_are_left_out(registry):
    """The grid shows the meetings of its year that were held or are planned, never cancelled."""
    boda = registry["groups"]["Boda"]
    held("26/1", group=boda)
    held("16/3", group=boda, status=MeetingStatus.CANCELLED)
    held("12/4", group=boda, status=MeetingStatus.PLANNED)
    MeetingFactory(group=boda, date=datetime.date(YEAR + 1, 1, 26))
    grid = year_grid(year=YEAR)
    assert grid.row("Boda").months[:4] == ("26/1", "", "", "12/4")


def test_internal_meetings_and_activities_only_when_asked_for(registry):
    """Internal meetings and activities are in the staff's grid only."""
    hulta = registry["groups"]["Hulta"]
    held("18/1", group=hulta)
    held("22/3", group=hulta, visibility="confidential")
    ActivityFactory(
        group=hulta,
        type=ActivityType.SAFETY_WALK,
        start_date=day("30/10"),
        visibility="confidential",
    )
    public = year_grid(year=YEAR)
    staff = year_grid(year=YEAR, reach=Reach(everywhere="confidential"))
    assert (cell(public, "Hulta", 3), public.row("Hulta").safety_walks) == ("", "")
    assert (cell(staff, "Hulta", 3), staff.row("Hulta").safety_walks) == ("22/3", "30/10")


def test_activity_columns_compress_days_of_a_month_as_bilaga_2(registry):
    """Safety walks and activity days are written "3, 10, 24/10" and "27, 28/5, 9/12*"."""
    norrby, hassleholmen = registry["groups"]["Norrby"], registry["groups"]["Hässleholmen"]
    for when in ("24/10", "3/10", "10/10"):
        ActivityFactory(group=norrby, type=ActivityType.SAFETY_WALK, start_date=day(when))
    ActivityFactory(
        group=norrby, type=ActivityType.ACTIVITY_DAY, start_date=day("26/8"), is_special=True
    )
    ActivityFactory(
        group=hassleholmen,
        type=ActivityType.ACTIVITY_DAY,
        start_date=day("27/5"),
        end_date=day("28/5"),
    )
    ActivityFactory(group=hassleholmen, type=ActivityType.CITIZEN_DIALOGUE, start_date=day("9/12"))
    ActivityFactory(
        group=hassleholmen, type=ActivityType.ACTIVITY_DAY, start_date=day("2/9", YEAR + 1)
    )
    # A stormöte is an activity, but not one of bilaga 2's columns.
    ActivityFactory(group=hassleholmen, type=ActivityType.GENERAL_MEETING, start_date=day("19/11"))
    grid = year_grid(year=YEAR)
    assert grid.row("Norrby").safety_walks == "3, 10, 24/10"
    assert grid.row("Norrby").activity_days == "26/8*"
    assert grid.row("Hässleholmen").activity_days == "27, 28/5, 9/12*"
    assert grid.row("Hässleholmen").safety_walks == ""


def test_an_activity_over_new_year_lists_only_the_days_of_the_year():
    """Each year's grid lists the days of a multi-day activity that fall in it."""
    group = NetworkGroupFactory(name="Sjöbo")
    ActivityFactory(group=group, start_date=day("30/12"), end_date=day("2/1", YEAR + 1))
    assert year_grid(year=YEAR).row("Sjöbo").activity_days == "30, 31/12"
    assert year_grid(year=YEAR + 1).row("Sjöbo").activity_days == "1, 2/1"


@pytest.mark.parametrize(
    ("days", "written"),
    [
        ([("3/10", False), ("10/10", False), ("24/10", False)], "3, 10, 24/10"),
        ([("9/12", True), ("27/5", False), ("28/5", False)], "27, 28/5, 9/12*"),
        ([("20/5", False), ("21/5", False)], "20, 21/5"),
        # A mark ends its run, so it is clear which day it belongs to.
        ([("3/10", False), ("10/10", True), ("24/10", False)], "3/10, 10/10*, 24/10"),
        # Two activities on one day are one date; marked if either is.
        ([("2/9", False), ("2/9", True)], "2/9*"),
        ([], ""),
    ],
)
def test_format_days(days, written):
    """Days are written in date order, compressed per month, as bilaga 2's activity columns."""
    assert format_days((day(d), marked) for d, marked in days) == written


def test_a_kind_alone_has_its_joint_row_and_groups_and_no_forums(registry):
    """Filtered by kind, the grid shows that kind only."""
    held("15/3", forum=registry["forums"]["sotk"], group=None)
    held("8/6", group=registry["groups"]["Norrby"])
    held("8/2", group=registry["groups"]["Brämhult"])
    grid = year_grid(year=YEAR, kind=registry["youth"])
    assert [row.label for row in grid.rows] == ["Nätverk 10–16 år", "Boda", "Norrby"]
    assert grid.meeting_count == 1


# --- Query budget -----------------------------------------------------------------------------

# forums + kinds + groups + meetings + activities; with a kind: groups + meetings + activities
GRID_QUERIES = 5
KIND_GRID_QUERIES = 3
# municipality (context processor) + the kinds of the filter form + the grid
YEAR_PAGE_QUERIES = 1 + 1 + GRID_QUERIES
# municipality + the month's meetings with their owners + the month's activities
MONTH_PAGE_QUERIES = 3


def build_year(meeting_count):
    """Make `meeting_count` meetings over 2017, shared by 20 groups, their kinds and two forums."""
    MunicipalityFactory()
    kinds = [NetworkKindFactory(order=n) for n in range(3)]
    groups = [NetworkGroupFactory(kind=kinds[n % 3]) for n in range(20)]
    forums = [Forum.objects.create(name=f"Forum {n}", slug=f"forum-{n}") for n in range(2)]
    owners = [{"group": g} for g in groups] + [{"kind": k} for k in kinds]
    owners += [{"forum": f} for f in forums]
    types = list(MeetingType)
    Meeting.objects.bulk_create(
        Meeting(
            date=datetime.date(YEAR, 1, 1) + datetime.timedelta(days=n % 365),
            type=types[n % len(types)],
            status=MeetingStatus.HELD,
            visibility="confidential" if n % 10 == 0 else "public",
            **owners[n % len(owners)],
        )
        for n in range(meeting_count)
    )
    for n, group in enumerate(groups):
        ActivityFactory(group=group, start_date=datetime.date(YEAR, 5, 1 + n))
        ActivityFactory(
            group=group, type=ActivityType.SAFETY_WALK, start_date=datetime.date(YEAR, 10, 3)
        )
    return kinds


@pytest.mark.parametrize("meeting_count", [125, 10_000])
def test_grid_query_count_does_not_grow(query_count, meeting_count):
    """At 125 and at 10 000 meetings the grid costs the same few queries."""
    kinds = build_year(meeting_count)
    grid, queries = query_count(year_grid, year=YEAR, reach=Reach(everywhere="confidential"))
    assert queries == GRID_QUERIES
    assert grid.meeting_count == meeting_count
    _grid, queries = query_count(year_grid, year=YEAR, kind=kinds[0])
    assert queries == KIND_GRID_QUERIES


@pytest.mark.parametrize("meeting_count", [125, 10_000])
def test_calendar_pages_query_count_does_not_grow(client, query_count, meeting_count):
    """At 125 and at 10 000 meetings the year and month pages cost the same few queries."""
    build_year(meeting_count)
    queries, _content = query_count.page(client, reverse("portal:year_grid", args=[YEAR]))
    assert queries == YEAR_PAGE_QUERIES
    queries, _content = query_count.page(client, reverse("portal:calendar_month", args=[YEAR, 5]))
    assert queries == MONTH_PAGE_QUERIES


# --- The pages --------------------------------------------------------------------------------


def h1s(response):
    return re.findall(r"<h1[^>]*>(.*?)</h1>", response.content.decode(), re.S)


def test_year_page_shows_the_grid_in_swedish(client, registry):
    """The year page has one h1, the grid with bilaga 2's month labels, and the footnote."""
    held("24/8", forum=registry["forums"]["bra"], group=None, type=MeetingType.THEME_DAY)
    response = client.get(reverse("portal:year_grid", args=[YEAR]))
    assert response.status_code == 200
    assert [h.strip() for h in h1s(response)] == ["Kalender 2017"]
    html = response.content.decode()
    assert "<caption" in html and "Mötesdatum 2017" in html
    headers = re.findall(r'<th scope="col">(.*?)</th>', html)
    assert headers[1:13] == MONTHS
    assert '<th scope="row" class="fw-bold">BRÅ</th>' in html
    assert "<td>24/8*</td>" in html
    assert "* Medborgardialoger, temadagar, konferenser etc." in html
    # The wide table scrolls inside a region a keyboard can reach.
    assert 'class="table-responsive" tabindex="0" role="region" aria-label=' in html


def test_year_page_links_to_neighbouring_years_and_the_months(client, registry):
    """The year page leads to the previous and next year and to each month, keeping the filter."""
    response = client.get(
        reverse("portal:year_grid", args=[YEAR]), {"natverkstyp": registry["youth"].slug}
    )
    html = response.content.decode()
    assert f'href="/kalender/2016/?natverkstyp={registry["youth"].slug}"' in html
    assert f'href="/kalender/2018/?natverkstyp={registry["youth"].slug}"' in html
    assert 'href="/kalender/2017/5/"' in html
    assert [row.label for row in response.context["grid"].rows][0] == "Nätverk 10–16 år"


def test_an_unknown_kind_is_explained_next_to_the_filter(client, registry):
    """A kind that does not exist gives a Swedish error beside the field and the whole grid."""
    response = client.get(reverse("portal:year_grid", args=[YEAR]), {"natverkstyp": "finns-inte"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Det finns ingen sådan nätverkstyp" in html
    assert 'aria-describedby="id_natverkstyp_error"' in html
    assert response.context["grid"].kind is None


@pytest.mark.parametrize("year", [1999, timezone.localdate().year + 6])
def test_years_no_meeting_can_have_are_not_found(client, year):
    """The calendar ends where a meeting's date must end: outside, 404."""
    assert client.get(reverse("portal:year_grid", args=[year])).status_code == 404
    assert client.get(reverse("portal:calendar_month", args=[year, 1])).status_code == 404


def test_month_thirteen_is_not_found(client):
    """A month outside 1–12 is a 404, not an error."""
    assert client.get(reverse("portal:calendar_month", args=[YEAR, 13])).status_code == 404


def test_confidential_meetings_only_for_those_who_reach_the_tier_on_both_pages(client, registry):
    """Anonymous visitors and another group's coordinator see no confidential meeting; the
    network developer, the head of administration and the group's own coordinator do."""
    hulta = registry["groups"]["Hulta"]
    held("22/3", group=hulta, visibility="confidential", place="Kommunhuset, rum 7")
    year_url = reverse("portal:year_grid", args=[YEAR])
    month_url = reverse("portal:calendar_month", args=[YEAR, 3])
    assert "22/3" not in client.get(year_url).content.decode()
    assert "Kommunhuset, rum 7" not in client.get(month_url).content.decode()
    client.force_login(coordinator_of(registry["groups"]["Boda"], username="boda"))
    assert "<td>22/3</td>" not in client.get(year_url).content.decode()
    assert "Kommunhuset, rum 7" not in client.get(month_url).content.decode()
    marked = sv("Not public: %(tier)s", tier=sv("confidential"))
    for user in [
        user_with_role(Role.NETWORK_DEVELOPER),
        user_with_role(Role.HEAD_OF_ADMINISTRATION),
        coordinator_of(hulta, username="hulta"),
    ]:
        client.force_login(user)
        assert "<td>22/3</td>" in client.get(year_url).content.decode(), user
        month_html = client.get(month_url).content.decode()
        assert "Kommunhuset, rum 7" in month_html and marked in month_html, user


def test_month_page_lists_each_day_with_its_meetings_and_activities(client, registry):
    """The month view has one h1 and each day's meetings with time, owner, place, type, status."""
    boda = registry["groups"]["Boda"]
    meeting = held(
        "18/5",
        group=boda,
        start_time=datetime.time(15),
        end_time=datetime.time(16, 30),
        place="Bodaskolan",
    )
    ActivityFactory(
        group=registry["groups"]["Hässleholmen"],
        name="Aktivitetsdagar på Hässleholmen",
        start_date=day("27/5"),
        end_date=day("28/5"),
    )
    response = client.get(reverse("portal:calendar_month", args=[YEAR, 5]))
    assert response.status_code == 200
    assert [h.strip() for h in h1s(response)] == ["Möten och aktiviteter i maj 2017"]
    html = response.content.decode()
    assert "Torsdag 18 maj" in html
    assert "15.00–16.30" in html
    assert f'href="{meeting.get_absolute_url()}"' in html
    assert "Bodaskolan" in html and "Ordinarie möte" in html and "genomfört" in html
    # An activity over two days is on both.
    assert "Lördag 27 maj" in html and "Söndag 28 maj" in html
    assert html.count("Aktivitetsdagar på Hässleholmen") == 2
    assert [d.date for d in response.context["days"]] == [day("18/5"), day("27/5"), day("28/5")]


def test_a_cancelled_meeting_is_struck_through_and_says_so(client, registry):
    """A cancelled meeting stays in the month view, struck through and "Inställt" in words."""
    held("12/4", group=registry["groups"]["Boda"], status=MeetingStatus.CANCELLED)
    html = client.get(reverse("portal:calendar_month", args=[YEAR, 4])).content.decode()
    assert re.search(r"<strong>Inställt:</strong> <s>.*Boda.*</s>", html, re.S)


def test_month_page_links_to_the_neighbouring_months_and_the_year(client):
    """The month view leads to the month before, the month after and the whole year."""
    html = client.get(reverse("portal:calendar_month", args=[YEAR, 1])).content.decode()
    assert 'href="/kalender/2016/12/"' in html
    assert 'href="/kalender/2017/2/"' in html
    assert 'href="/kalender/2017/"' in html
    assert "Inga möten eller aktiviteter den här månaden." in html


def test_calendar_opens_on_this_month_in_stockholm(client):
    """/kalender/ sends the visitor to the current month, Swedish time."""
    today = timezone.localdate()
    response = client.get(reverse("portal:calendar"))
    assert response.status_code == 302
    assert response.url == reverse("portal:calendar_month", args=[today.year, today.month])


def test_the_grid_component_renders_without_a_request(registry):
    """The PDF renders the same component with no request: it needs only the grid."""
    held("15/3", forum=registry["forums"]["sotk"], group=None)
    html = render_to_string("components/_year_grid.html", {"grid": year_grid(year=YEAR)})
    assert "<caption" in html and "Mötesdatum 2017" in html
    assert '<th scope="row" class="fw-bold">Säker och trygg kommun</th>' in html
    assert "<td>15/3</td>" in html
    # Forums, then one block per kind, so a kind's rows stay together.
    assert html.count("<tbody") == 3
