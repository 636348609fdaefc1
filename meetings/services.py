"""Writes to meetings and activities. Views validate with a form, then call these."""

import datetime

from django.db import transaction

from .models import Activity, Meeting, MeetingSeries, MeetingStatus

MEETING_FIELDS = (
    "group",
    "forum",
    "kind",
    "date",
    "start_time",
    "end_time",
    "place",
    "type",
    "status",
    "is_internal",
    "participant_count",
    "agenda",
    "notes",
    "notes_visibility",
    "follow_up",
)
ACTIVITY_FIELDS = (
    "type",
    "name",
    "group",
    "area",
    "start_date",
    "end_date",
    "theme",
    "participant_count",
    "description",
    "is_special",
    "is_internal",
)


def _assign(instance, fields, values):
    unknown = set(values) - set(fields) - {"organisations", "partners"}
    if unknown:
        raise TypeError(f"Unknown fields: {sorted(unknown)}")
    for name in fields:
        if name in values:
            setattr(instance, name, values[name])


@transaction.atomic
def meeting_create(*, organisations=(), series=None, **values) -> Meeting:
    """Create a meeting from validated values; `organisations` are those present."""
    meeting = Meeting(series=series)
    _assign(meeting, MEETING_FIELDS, values)
    meeting.full_clean()
    meeting.save()
    meeting.organisations.set(organisations)
    return meeting


@transaction.atomic
def meeting_update(*, meeting: Meeting, organisations=None, **values) -> Meeting:
    """Change a meeting; its calendar UID stays, so subscribers see the event replaced."""
    _assign(meeting, MEETING_FIELDS, values)
    meeting.full_clean()
    meeting.save()
    if organisations is not None:
        meeting.organisations.set(organisations)
    return meeting


def meeting_cancel(*, meeting: Meeting) -> Meeting:
    """Cancel a meeting. It stays in lists and feeds, marked as cancelled."""
    meeting.status = MeetingStatus.CANCELLED
    meeting.full_clean()
    meeting.save()
    return meeting


def series_dates(*, first: datetime.date, last: datetime.date, every_weeks: int) -> list:
    """Return the dates from `first` to `last`, `every_weeks` weeks apart."""
    if every_weeks < 1:
        raise ValueError("every_weeks must be at least 1")
    step = datetime.timedelta(weeks=every_weeks)
    dates, day = [], first
    while day <= last:
        dates.append(day)
        day += step
    return dates


@transaction.atomic
def meeting_series_create(
    *, first: datetime.date, last: datetime.date, every_weeks: int, created_by=None, **values
) -> MeetingSeries:
    """Create planned meetings from `first` to `last`, each editable on its own afterwards.

    Either every meeting is created or, if one is invalid, none.
    """
    series = MeetingSeries.objects.create(
        created_by=created_by,
        description=f"{first:%Y-%m-%d}–{last:%Y-%m-%d}, var {every_weeks}:e vecka",
    )
    for day in series_dates(first=first, last=last, every_weeks=every_weeks):
        meeting_create(series=series, date=day, status=MeetingStatus.PLANNED, **values)
    return series


@transaction.atomic
def activity_create(*, partners=(), **values) -> Activity:
    activity = Activity()
    _assign(activity, ACTIVITY_FIELDS, values)
    activity.full_clean()
    activity.save()
    activity.partners.set(partners)
    return activity


@transaction.atomic
def activity_update(*, activity: Activity, partners=None, **values) -> Activity:
    _assign(activity, ACTIVITY_FIELDS, values)
    activity.full_clean()
    activity.save()
    if partners is not None:
        activity.partners.set(partners)
    return activity
