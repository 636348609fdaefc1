"""What the annual report and the meeting calendar show, gathered from every app.

Each function costs a fixed number of queries, however many groups, meetings and activities a
year has: counts are aggregated in the database, lists are fetched once and grouped in Python.
Nothing here reads meeting notes, agendas or follow-up points: no PDF ever shows them.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from budget.models import BudgetYear
from budget.selectors import BudgetOverview, budget_overview
from meetings.calendar import YearGrid, swedish_sort_key, year_grid
from meetings.models import Activity, ActivityType, Meeting, MeetingStatus
from meetings.terms import LAST_SPRING_MONTH
from networks.models import Forum, Municipality, NetworkGroup, NetworkKind

from .models import AnnualReportText, KindReportText

# The order §7 of the annual report lists activities in, with its headings.
ACTIVITY_SECTIONS = (
    (ActivityType.ACTIVITY_DAY, _("Activity days")),
    (ActivityType.CITIZEN_DIALOGUE, _("Citizen dialogues")),
    (ActivityType.GENERAL_MEETING, _("General meetings (stormöten)")),
    (ActivityType.SAFETY_WALK, _("Safety walks")),
)


def short_date(day: datetime.date) -> str:
    """Return a date as the report writes it in lists: "6/4"."""
    return f"{day.day}/{day.month}"


def date_span(first: datetime.date, last: datetime.date | None) -> str:
    """Return an activity's days as the report writes them: "20/5" or "27/5–28/5"."""
    if last is None or last == first:
        return short_date(first)
    return f"{short_date(first)}–{short_date(last)}"


# --- meetings against the guideline --------------------------------------------------------


@dataclass(frozen=True)
class MeetingTally:
    """A group's (or a kind's joint) meetings of the year, by status and term."""

    held: int = 0
    planned: int = 0
    cancelled: int = 0
    participants: int = 0
    held_spring: int = 0
    held_autumn: int = 0

    @property
    def total(self) -> int:
        return self.held + self.planned + self.cancelled


@dataclass(frozen=True)
class GroupSummary:
    group: NetworkGroup
    districts: list[str]
    tally: MeetingTally
    cadence_min: int | None

    @property
    def terms_behind(self) -> list[str]:
        """Return the terms in which the group held fewer meetings than its guideline asks."""
        if self.cadence_min is None:
            return []
        behind = []
        if self.tally.held_spring < self.cadence_min:
            behind.append("spring")
        if self.tally.held_autumn < self.cadence_min:
            behind.append("autumn")
        return behind

    @property
    def follows_guideline(self) -> bool | None:
        """Return whether both terms reached the guideline's least number; None without one."""
        if self.cadence_min is None:
            return None
        return not self.terms_behind


@dataclass
class KindChapter:
    """One chapter of the report: a kind with its texts, groups and meetings."""

    kind: NetworkKind
    groups: list[GroupSummary]
    joint: MeetingTally
    experiences: str = ""
    challenges: str = ""

    @property
    def totals(self) -> MeetingTally:
        tallies = [summary.tally for summary in self.groups]
        return MeetingTally(
            held=sum(t.held for t in tallies),
            planned=sum(t.planned for t in tallies),
            cancelled=sum(t.cancelled for t in tallies),
            participants=sum(t.participants for t in tallies),
            held_spring=sum(t.held_spring for t in tallies),
            held_autumn=sum(t.held_autumn for t in tallies),
        )

    @property
    def groups_behind(self) -> int:
        return sum(1 for summary in self.groups if summary.follows_guideline is False)


def _tallies(meetings, key: str) -> dict[int, MeetingTally]:
    """Return the meetings' counts per `key` (group or kind id), in one query."""
    held = Q(status=MeetingStatus.HELD)
    rows = (
        meetings.values(key)
        .order_by(key)
        .annotate(
            held=Count("pk", filter=held),
            planned=Count("pk", filter=Q(status=MeetingStatus.PLANNED)),
            cancelled=Count("pk", filter=Q(status=MeetingStatus.CANCELLED)),
            participants=Sum("participant_count", filter=held),
            held_spring=Count("pk", filter=held & Q(date__month__lte=LAST_SPRING_MONTH)),
            held_autumn=Count("pk", filter=held & Q(date__month__gt=LAST_SPRING_MONTH)),
        )
    )
    return {
        row[key]: MeetingTally(
            held=row["held"],
            planned=row["planned"],
            cancelled=row["cancelled"],
            participants=row["participants"] or 0,
            held_spring=row["held_spring"],
            held_autumn=row["held_autumn"],
        )
        for row in rows
    }


# --- activities -------------------------------------------------------------------------


@dataclass(frozen=True)
class ActivityLine:
    """An area and its dates, as §7 lists them: "Norrby 3/10, 10/10, 24/10"."""

    area: str
    dates: list[str]
    themes: list[str]
    participants: int | None


@dataclass
class ActivitySection:
    type: str
    heading: str
    # (kind or None for activities of no group, lines), kinds in their order.
    by_kind: list[tuple[NetworkKind | None, list[ActivityLine]]] = field(default_factory=list)


def _public_activities(year: int):
    """Return the year's public activities in date order, with only what §7 shows."""
    return (
        Activity.objects.public()
        .in_year(year)
        .select_related("group__kind")
        .only(
            "type",
            "area",
            "start_date",
            "end_date",
            "theme",
            "participant_count",
            "group__kind__name",
            "group__kind__order",
            "group__kind__short_name",
            "group__kind__slug",
        )
        .order_by("start_date", "pk")
    )


def _activity_line(area: str, items: list[Activity]) -> ActivityLine:
    """Return one area's activities as a line: their days, themes and participants in all."""
    counts = [item.participant_count for item in items if item.participant_count]
    return ActivityLine(
        area=area,
        dates=[date_span(item.start_date, item.end_date) for item in items],
        themes=sorted({item.theme for item in items if item.theme}),
        participants=sum(counts) if counts else None,
    )


def activity_sections(*, year: int) -> list[ActivitySection]:
    """Return the year's public activities by type, then by the organising group's kind.

    One line per area with its dates in order, as §7 of the annual report writes them. One query.
    """
    grouped: dict[str, dict] = defaultdict(lambda: defaultdict(lambda: defaultdict(list)))
    kinds: dict[int | None, NetworkKind | None] = {}
    for activity in _public_activities(year):
        kind = activity.group.kind if activity.group_id else None
        kinds[kind.pk if kind else None] = kind
        grouped[activity.type][kind.pk if kind else None][activity.area].append(activity)

    def kind_order(kind_id):
        kind = kinds[kind_id]
        return (1, 0, "") if kind is None else (0, kind.order, swedish_sort_key(kind.name))

    sections = []
    for activity_type, heading in ACTIVITY_SECTIONS:
        if activity_type not in grouped:
            continue
        section = ActivitySection(type=activity_type, heading=str(heading))
        for kind_id in sorted(grouped[activity_type], key=kind_order):
            lines = [
                _activity_line(area, items)
                for area, items in grouped[activity_type][kind_id].items()
            ]
            section.by_kind.append((kinds[kind_id], lines))
        sections.append(section)
    return sections


# --- the budget --------------------------------------------------------------------------


def budget_for_report(*, year: int) -> BudgetOverview | None:
    """Return the year's budget overview, or None when the year has no budget (yet).

    None too while the budget overview cannot be computed, so a report renders without its
    budget section rather than not at all.
    """
    budget_year = BudgetYear.objects.filter(year=year).first()
    if budget_year is None:
        return None
    try:
        return budget_overview(budget_year=budget_year)
    except NotImplementedError:
        return None


# --- the whole report ----------------------------------------------------------------------


@dataclass
class AnnualReport:
    """Everything the annual report of a year shows, ready for its template."""

    year: int
    municipality: Municipality | None
    text: AnnualReportText | None
    chapters: list[KindChapter]
    budget: BudgetOverview | None
    activities: list[ActivitySection]
    grid: YearGrid
    forum_meetings: list[tuple[str, MeetingTally]]

    @property
    def group_count(self) -> int:
        return sum(len(chapter.groups) for chapter in self.chapters)

    @property
    def next_year(self) -> int:
        return self.year + 1


def _texts_per_kind(text: AnnualReportText | None) -> dict[int, KindReportText]:
    """Return the narrative's texts per kind id (none while the year has no narrative)."""
    if text is None:
        return {}
    return {item.kind_id: item for item in KindReportText.objects.filter(report=text)}


def _groups_by_kind(group_tallies: dict[int, MeetingTally]) -> dict[int, list[NetworkGroup]]:
    """Return the groups the report shows, per kind id and by name: active ones and any that met."""
    groups = (
        NetworkGroup.objects.select_related("running_organisation")
        .prefetch_related("districts")
        .order_by()
    )
    groups_of = defaultdict(list)
    for group in sorted(groups, key=lambda g: swedish_sort_key(g.name)):
        if group.active or group.pk in group_tallies:
            groups_of[group.kind_id].append(group)
    return groups_of


def _group_summary(group: NetworkGroup, kind: NetworkKind, tally: MeetingTally) -> GroupSummary:
    """Return a group's line in its kind's tables: districts, meetings and the guideline."""
    return GroupSummary(
        group=group,
        districts=sorted(
            (district.name for district in group.districts.all()), key=swedish_sort_key
        ),
        tally=tally,
        cadence_min=kind.meetings_per_term_min,
    )


def _chapter(
    kind: NetworkKind,
    groups: list[NetworkGroup],
    *,
    group_tallies: dict[int, MeetingTally],
    joint: MeetingTally,
    kind_text: KindReportText | None,
) -> KindChapter:
    """Return a kind's chapter: its groups' meetings, its joint meetings and its texts."""
    return KindChapter(
        kind=kind,
        groups=[
            _group_summary(group, kind, group_tallies.get(group.pk, MeetingTally()))
            for group in groups
        ],
        joint=joint,
        experiences=kind_text.experiences if kind_text else "",
        challenges=kind_text.challenges if kind_text else "",
    )


def _forum_meetings(forum_tallies: dict[int, MeetingTally]) -> list[tuple[str, MeetingTally]]:
    """Return the forums that had meetings in the year, each with its tally."""
    return [
        (forum.label, forum_tallies[forum.pk])
        for forum in Forum.objects.filter(pk__in=list(forum_tallies))
    ]


def annual_report(*, year: int) -> AnnualReport:
    """Gather the annual report of `year`: narrative, organisation, budget, meetings, activities.

    Meetings are counted whatever their visibility (a count reveals nothing), but the lists and
    the calendar appendix show public meetings and activities only: a published report is a
    public record. A fixed number of queries.
    """
    text = AnnualReportText.objects.filter(year=year).first()
    kind_texts = _texts_per_kind(text)
    meetings = Meeting.objects.in_year(year)
    group_tallies = _tallies(meetings.filter(group__isnull=False), "group")
    joint_tallies = _tallies(meetings.filter(kind__isnull=False), "kind")
    forum_tallies = _tallies(meetings.filter(forum__isnull=False), "forum")
    groups_of = _groups_by_kind(group_tallies)
    chapters = [
        _chapter(
            kind,
            groups_of[kind.pk],
            group_tallies=group_tallies,
            joint=joint_tallies.get(kind.pk, MeetingTally()),
            kind_text=kind_texts.get(kind.pk),
        )
        for kind in NetworkKind.objects.all()
    ]
    return AnnualReport(
        year=year,
        municipality=Municipality.objects.first(),
        text=text,
        chapters=chapters,
        budget=budget_for_report(year=year),
        activities=activity_sections(year=year),
        grid=year_grid(year=year),
        forum_meetings=_forum_meetings(forum_tallies),
    )
