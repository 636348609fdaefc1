"""The meeting calendar: the year grid of bilaga 2 and the days of a month.

`year_grid` builds plain data that both the calendar page and the PDF of the reports render with
the same template, `components/_year_grid.html`. Each costs a fixed number of queries, however
many meetings there are.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from networks.models import Forum, NetworkGroup, NetworkKind
from networks.permissions import Reach

from .models import Activity, ActivityType, Meeting, MeetingStatus

# Bilaga 2's own column labels ("Jan Feb Mars April …"), not the abbreviations of date formats.
MONTH_LABELS = (
    pgettext_lazy("year grid column", "Jan"),
    pgettext_lazy("year grid column", "Feb"),
    pgettext_lazy("year grid column", "Mar"),
    pgettext_lazy("year grid column", "Apr"),
    pgettext_lazy("year grid column", "May"),
    pgettext_lazy("year grid column", "Jun"),
    pgettext_lazy("year grid column", "Jul"),
    pgettext_lazy("year grid column", "Aug"),
    pgettext_lazy("year grid column", "Sep"),
    pgettext_lazy("year grid column", "Oct"),
    pgettext_lazy("year grid column", "Nov"),
    pgettext_lazy("year grid column", "Dec"),
)
MARK = "*"
FOOTNOTE = _("* Citizen dialogues, theme days, conferences etc.")

# The activities the grid shows beside the months; other types (e.g. stormöten) stay out.
SAFETY_WALK_TYPES = frozenset({ActivityType.SAFETY_WALK})
ACTIVITY_DAY_TYPES = frozenset({ActivityType.ACTIVITY_DAY, ActivityType.CITIZEN_DIALOGUE})

# Swedish alphabetical order puts å, ä, ö after z ("Hylte" before "Håby"), whatever the
# database's collation says.
_SWEDISH_ORDER = str.maketrans({"å": "{", "ä": "|", "æ": "|", "ö": "}", "ø": "}"})


def swedish_sort_key(name: str) -> str:
    """Return a key that sorts names the Swedish way."""
    return name.casefold().translate(_SWEDISH_ORDER)


class RowLevel(StrEnum):
    FORUM = "forum"
    KIND = "kind"
    GROUP = "group"


@dataclass(frozen=True)
class GridRow:
    """One row of the grid: a forum, a kind's joint meetings or a group."""

    label: str
    level: RowLevel
    # Twelve cells, January first: the month's dates as bilaga 2 writes them ("6/4, 27/4").
    months: tuple[str, ...]
    safety_walks: str = ""
    activity_days: str = ""
    meeting_count: int = 0

    @property
    def is_kind_row(self) -> bool:
        return self.level == RowLevel.KIND


@dataclass(frozen=True)
class YearGrid:
    """The meeting calendar of a year (bilaga 2 "Mötesdatum"), ready to render."""

    year: int
    kind: NetworkKind | None
    rows: tuple[GridRow, ...]
    month_labels: tuple = MONTH_LABELS
    footnote: str = FOOTNOTE

    @property
    def meeting_count(self) -> int:
        """Return how many meetings the grid shows."""
        return sum(row.meeting_count for row in self.rows)

    @property
    def sections(self) -> list[tuple[GridRow, ...]]:
        """Return the rows in blocks: the forums, then each kind with its groups."""
        blocks: list[list[GridRow]] = []
        for row in self.rows:
            if not blocks or row.is_kind_row:
                blocks.append([])
            blocks[-1].append(row)
        return [tuple(block) for block in blocks]

    def row(self, label: str, level: RowLevel | None = None) -> GridRow:
        """Return the first row with `label` (and `level`, when given)."""
        for row in self.rows:
            if row.label == label and (level is None or row.level == level):
                return row
        raise KeyError(label)


def format_date(day: datetime.date, marked: bool = False) -> str:
    """Return a date as bilaga 2 writes it: "6/4", or "24/8*" when marked."""
    return f"{day.day}/{day.month}{MARK if marked else ''}"


def format_days(days: Iterable[tuple[datetime.date, bool]]) -> str:
    """Return days written compactly, as bilaga 2's activity columns: "27, 28/5, 9/12*".

    Days of one month run together and end with the month; a marked day ends its run with "*",
    so a mark never hides which days it belongs to ("3/10, 10/10*, 24/10").
    """
    marked_days: dict[datetime.date, bool] = {}
    for day, marked in days:
        marked_days[day] = marked_days.get(day, False) or marked
    runs: list[tuple[int, bool, list[int]]] = []
    for day in sorted(marked_days):
        marked = marked_days[day]
        if runs and runs[-1][0] == day.month and runs[-1][1] == marked:
            runs[-1][2].append(day.day)
        else:
            runs.append((day.month, marked, [day.day]))
    return ", ".join(
        ", ".join(str(d) for d in numbers) + f"/{month}" + (MARK if marked else "")
        for month, marked, numbers in runs
    )


def _activity_days(activity: Activity, year: int) -> list[datetime.date]:
    """Return every day of `activity` that falls in `year`."""
    days, day = [], activity.start_date
    while day <= activity.last_day:
        if day.year == year:
            days.append(day)
        day += datetime.timedelta(days=1)
    return days


# What the public may read: a reader without a role.
PUBLIC = Reach()


def _year_meetings(year: int, kind: NetworkKind | None, reach: Reach):
    """Return the meetings the grid of `year` shows: not cancelled, of the tiers `reach` reads."""
    meetings = (
        Meeting.objects.in_year(year)
        .exclude(status=MeetingStatus.CANCELLED)
        .only("date", "start_time", "type", "group", "forum", "kind")
    )
    if kind is not None:
        meetings = meetings.of_kind(kind)
    return meetings.filter(reach.filter())


def _year_activities(year: int, kind: NetworkKind | None, reach: Reach):
    """Return the groups' safety walks and activity days with a day in `year`."""
    activities = Activity.objects.filter(
        Q(start_date__year=year) | Q(end_date__year=year),
        type__in=SAFETY_WALK_TYPES | ACTIVITY_DAY_TYPES,
        group__isnull=False,
    ).only("type", "start_date", "end_date", "group", "is_special")
    if kind is not None:
        activities = activities.filter(group__kind=kind)
    return activities.filter(reach.filter(kind=None, forum=None))


class _GridEntries:
    """The meetings of a year by owner and the activity days by group, made into rows."""

    def __init__(self, meetings, activities, year: int):
        self.meetings_of = defaultdict(list)  # (level, owner id) -> [meeting]
        for meeting in meetings:
            if meeting.group_id:
                self.meetings_of[RowLevel.GROUP, meeting.group_id].append(meeting)
            elif meeting.forum_id:
                self.meetings_of[RowLevel.FORUM, meeting.forum_id].append(meeting)
            else:
                self.meetings_of[RowLevel.KIND, meeting.kind_id].append(meeting)
        # group id -> [(day, marked)]
        self.walks_of, self.days_of = defaultdict(list), defaultdict(list)
        for activity in activities:
            column = self.walks_of if activity.type in SAFETY_WALK_TYPES else self.days_of
            column[activity.group_id].extend(
                (day, activity.is_marked) for day in _activity_days(activity, year)
            )

    def shown(self, level: RowLevel, owner) -> bool:
        """Return whether `owner` has a row: when active, or with something to show."""
        return (
            owner.active
            or (level, owner.pk) in self.meetings_of
            or (level == RowLevel.GROUP and (owner.pk in self.walks_of or owner.pk in self.days_of))
        )

    def row(self, level: RowLevel, owner, label: str) -> GridRow:
        """Return the row of `owner`: its meetings by month and, for a group, its activities."""
        meetings = sorted(
            self.meetings_of.get((level, owner.pk), ()),
            key=lambda m: (m.date, m.start_time or datetime.time.min, m.pk),
        )
        months = [[] for _month in range(12)]
        for meeting in meetings:
            months[meeting.date.month - 1].append(format_date(meeting.date, meeting.is_special))
        is_group = level == RowLevel.GROUP
        return GridRow(
            label=label,
            level=level,
            months=tuple(", ".join(cell) for cell in months),
            safety_walks=format_days(self.walks_of.get(owner.pk, ())) if is_group else "",
            activity_days=format_days(self.days_of.get(owner.pk, ())) if is_group else "",
            meeting_count=len(meetings),
        )


def year_grid(*, year: int, kind: NetworkKind | None = None, reach: Reach = PUBLIC) -> YearGrid:
    """Build the meeting calendar of `year`: forums, then per kind its joint meetings and groups.

    Cancelled meetings are left out; of the others only those `reach` (the reader's tiers,
    networks.permissions.reach_of) may read, by default the public ones. With `kind`, only
    that kind's rows. Active groups and forums always have a row, inactive ones only when they
    have something to show that year. Runs five queries (three with `kind`).
    """
    entries = _GridEntries(
        _year_meetings(year, kind, reach),
        _year_activities(year, kind, reach),
        year,
    )
    groups = NetworkGroup.objects.only("name", "kind", "active")
    if kind is not None:
        groups = groups.filter(kind=kind)
        kinds, forums = [kind], []
    else:
        kinds = list(NetworkKind.objects.all())
        forums = list(Forum.objects.all())
    rows = [
        entries.row(RowLevel.FORUM, forum, forum.label)
        for forum in forums
        if entries.shown(RowLevel.FORUM, forum)
    ]
    groups_of = defaultdict(list)
    for group in groups:
        if entries.shown(RowLevel.GROUP, group):
            groups_of[group.kind_id].append(group)
    for each_kind in kinds:
        rows.append(entries.row(RowLevel.KIND, each_kind, str(each_kind.label)))
        for group in sorted(groups_of[each_kind.pk], key=lambda g: swedish_sort_key(g.name)):
            rows.append(entries.row(RowLevel.GROUP, group, group.name))
    return YearGrid(year=year, kind=kind, rows=tuple(rows))


@dataclass
class CalendarDay:
    """A day of the month view with its meetings and activities."""

    date: datetime.date
    meetings: list[Meeting] = field(default_factory=list)
    activities: list[Activity] = field(default_factory=list)


def month_days(*, year: int, month: int, reach: Reach = PUBLIC) -> list[CalendarDay]:
    """Return the days of a month that have meetings or activities, in order.

    Cancelled meetings are included (the page marks them); an activity over several days is on
    each of its days. Only what `reach` may read, by default the public ones. Two queries.
    """
    first = datetime.date(year, month, 1)
    last = (first + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
    meetings = (
        Meeting.objects.filter(date__range=(first, last))
        .with_owner()
        .order_by("date", "start_time", "pk")
    )
    activities = (
        Activity.objects.filter(start_date__lte=last)
        .filter(Q(end_date__gte=first) | Q(end_date__isnull=True, start_date__gte=first))
        .select_related("group", "group__kind")
        .order_by("start_date", "name", "pk")
    )
    meetings = meetings.filter(reach.filter())
    activities = activities.filter(reach.filter(kind=None, forum=None))
    days: dict[datetime.date, CalendarDay] = {}

    def day_of(date):
        return days.setdefault(date, CalendarDay(date=date))

    for meeting in meetings:
        day_of(meeting.date).meetings.append(meeting)
    for activity in activities:
        day = max(activity.start_date, first)
        while day <= min(activity.last_day, last):
            day_of(day).activities.append(activity)
            day += datetime.timedelta(days=1)
    return [days[date] for date in sorted(days)]
