"""Writes to meetings and activities. Views validate with a form, then call these."""

import datetime

from django.db import transaction

from core.services import model_update

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
    "visibility",
    "participant_count",
    "agenda",
    "notes",
    "notes_visibility",
    "follow_up",
    "organisations",
)
# What an activity is made of: the activity form's fields, in its order.
ACTIVITY_FIELDS = (
    "type",
    "name",
    "group",
    "area",
    "start_date",
    "end_date",
    "theme",
    "participant_count",
    "partners",
    "description",
    "is_special",
    "visibility",
)


@transaction.atomic
def meeting_create(*, organisations=(), series=None, **values) -> Meeting:
    """Create a meeting from validated values; `organisations` are those present."""
    return model_update(
        instance=Meeting(series=series),
        fields=MEETING_FIELDS,
        data={**values, "organisations": organisations},
    )


@transaction.atomic
def meeting_update(*, meeting: Meeting, **values) -> Meeting:
    """Change a meeting; its calendar UID stays, so subscribers see the event replaced.

    Every save moves `updated_at` on, which raises the event's SEQUENCE in the feeds.
    """
    return model_update(instance=meeting, fields=MEETING_FIELDS, data=values)


def meeting_cancel(*, meeting: Meeting) -> Meeting:
    """Cancel a meeting. It stays in lists and feeds, marked as cancelled."""
    return model_update(
        instance=meeting, fields=("status",), data={"status": MeetingStatus.CANCELLED}
    )


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
    """Record an activity from validated values; `partners` are the organisations with it."""
    return model_update(
        instance=Activity(), fields=ACTIVITY_FIELDS, data={**values, "partners": partners}
    )


@transaction.atomic
def activity_update(*, activity: Activity, **values) -> Activity:
    """Change an activity; `partners`, when given, replace the organisations with it."""
    return model_update(instance=activity, fields=ACTIVITY_FIELDS, data=values)
