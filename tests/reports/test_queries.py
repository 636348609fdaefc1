"""Building a report costs a fixed number of queries, however many meetings the year has."""

import datetime

import pytest

from budget.models import KindAllocation
from meetings.models import Activity, ActivityType, Meeting, MeetingStatus
from networks.models import Forum
from reports.build import report_html
from reports.models import ReportKind
from reports.narrative import annual_report_text_save
from tests.factories.budget import BudgetYearFactory
from tests.factories.networks import DistrictFactory, NetworkGroupFactory, NetworkKindFactory

pytestmark = pytest.mark.django_db

# The annual report: narrative + its kind texts (2); kinds; meeting counts per group, per kind
# and per forum (3); groups with their organisations + their districts (2); forums with
# meetings; the municipality; the budget year and budget_overview's own fixed queries (7 today);
# the activities; the year grid (5: kinds, forums, meetings, activities, groups) – 23 in all.
# The budget overview is budget's to change, so the bound leaves it room; the point is that the
# count is the same at both sizes.
ANNUAL_QUERIES_MAX = 30
# The calendar: the year grid (5) + the municipality for the metadata.
CALENDAR_QUERIES = 6


def build_year(groups_per_kind: int, meetings_per_group: int):
    """Make three kinds of groups with districts, meetings all year, activities and a budget."""
    budget_year = BudgetYearFactory(year=2017)
    for _kind_number in range(3):
        kind = NetworkKindFactory()
        KindAllocation.objects.create(budget_year=budget_year, kind=kind, amount_per_group=10000)
        for _group_number in range(groups_per_kind):
            group = NetworkGroupFactory(
                kind=kind,
                districts=DistrictFactory.create_batch(2),
            )
            Meeting.objects.bulk_create(
                Meeting(
                    group=group,
                    date=datetime.date(2017, 1, 1) + datetime.timedelta(days=(n * 7) % 360),
                    status=MeetingStatus.CANCELLED if n % 9 == 0 else MeetingStatus.HELD,
                    participant_count=8,
                )
                for n in range(meetings_per_group)
            )
            Activity.objects.create(
                type=ActivityType.SAFETY_WALK,
                group=group,
                area=group.name,
                start_date=datetime.date(2017, 10, 3),
            )
        Meeting.objects.create(kind=kind, date=datetime.date(2017, 10, 20))
    forum = Forum.objects.create(
        name=f"Forum {Forum.objects.count()}", slug=f"forum-{Forum.objects.count()}"
    )
    Meeting.objects.create(forum=forum, date=datetime.date(2017, 3, 15))
    annual_report_text_save(year=2017, introduction="Inledning.")


def test_building_a_report_does_not_query_per_meeting_or_group(query_count):
    """At 30 meetings and at 2 400 more the reports run the same few queries."""
    build_year(groups_per_kind=2, meetings_per_group=5)
    html, small = query_count(report_html, kind=ReportKind.ANNUAL, year=2017)
    assert "Inledning." in html
    _html, queries = query_count(report_html, kind=ReportKind.CALENDAR, year=2017)
    assert queries == CALENDAR_QUERIES
    build_year(groups_per_kind=20, meetings_per_group=40)
    assert Meeting.objects.count() > 2400
    _html, queries = query_count(report_html, kind=ReportKind.ANNUAL, year=2017)
    assert queries == small <= ANNUAL_QUERIES_MAX
    _html, queries = query_count(report_html, kind=ReportKind.CALENDAR, year=2017)
    assert queries == CALENDAR_QUERIES
