"""Load the meetings and activities of a demo data set (the "meetings" and "activities" sections).

Called by `manage.py loaddemo` after the registry is loaded. Loading twice creates nothing:

- every meeting gets a calendar UID derived from its owner, date and type (or, for an upcoming
  meeting, from its stable "key"), and a meeting whose UID exists is left as it is – also when
  staff have edited it since;
- an activity is known by its group, type and first day.

Upcoming meetings are given as "the <weekday> in <in_weeks> weeks" from the day the loader runs,
so the public pages always show some; their UID is keyed, so a run on another day adds nothing.
"""

import datetime
import uuid

from django.db import transaction
from django.utils import timezone

from core.demo import DemoDataError, LoadSummary, validated_save
from networks.models import Forum, NetworkGroup, NetworkKind, Organisation

from .models import Activity, ActivityType, Meeting, MeetingStatus, MeetingType, Visibility

# Demo meetings' UIDs live in their own namespace, so they never clash with random ones.
DEMO_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://lokalsamverkan.example.org/demo/meetings")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MEETING_VALUES = (
    "place",
    "agenda",
    "notes",
    "follow_up",
    "participant_count",
    "visibility",
)
ACTIVITY_VALUES = ("name", "area", "end_date", "theme", "participant_count", "description")


def demo_meeting_uid(key: str) -> uuid.UUID:
    """Return the calendar UID of the demo meeting with `key`: the same on every run."""
    return uuid.uuid5(DEMO_NAMESPACE, key)


def upcoming_date(*, in_weeks: int, weekday: str, today: datetime.date) -> datetime.date:
    """Return the first `weekday` on or after the day `in_weeks` weeks from `today`."""
    if weekday not in WEEKDAYS:
        raise DemoDataError(f"Unknown weekday {weekday!r}; expected one of {WEEKDAYS}")
    start = today + datetime.timedelta(weeks=in_weeks)
    return start + datetime.timedelta(days=(WEEKDAYS.index(weekday) - start.weekday()) % 7)


class _Owners:
    """Look up forums, kinds and groups by slug, each once."""

    def __init__(self):
        self.forums = {forum.slug: forum for forum in Forum.objects.all()}
        self.kinds = {kind.slug: kind for kind in NetworkKind.objects.all()}
        self.groups = {
            (group.kind.slug, group.slug): group
            for group in NetworkGroup.objects.select_related("kind")
        }
        self.organisations = {org.name: org for org in Organisation.objects.all()}

    def group(self, item) -> NetworkGroup:
        found = self.groups.get((item.get("kind"), item.get("group")))
        if found is None:
            raise DemoDataError(f"Unknown group {item.get('kind')}/{item.get('group')}: {item}")
        return found

    def owner(self, item) -> tuple[dict, str]:
        """Return the owner fields of a meeting and the owner's part of its key."""
        if "forum" in item:
            if item["forum"] not in self.forums:
                raise DemoDataError(f"Unknown forum {item['forum']!r}: {item}")
            return {"forum": self.forums[item["forum"]]}, f"forum:{item['forum']}"
        if "group" in item:
            return {"group": self.group(item)}, f"group:{item['kind']}/{item['group']}"
        if item.get("kind") not in self.kinds:
            raise DemoDataError(f"Unknown kind {item.get('kind')!r}: {item}")
        return {"kind": self.kinds[item["kind"]]}, f"kind:{item['kind']}"

    def organisation_list(self, names) -> list[Organisation]:
        missing = [name for name in names if name not in self.organisations]
        if missing:
            raise DemoDataError(f"Unknown organisations {missing}: add them to 'organisations'.")
        return [self.organisations[name] for name in names]


def _time(value):
    return datetime.time.fromisoformat(value) if value else None


def _meeting(item: dict, owners: _Owners, today: datetime.date) -> tuple[uuid.UUID, Meeting]:
    """Return the UID of a meeting entry and the unsaved meeting it describes."""
    owner, owner_key = owners.owner(item)
    meeting_type = item.get("type", MeetingType.ORDINARY)
    if "key" in item:
        date = upcoming_date(in_weeks=item["in_weeks"], weekday=item["weekday"], today=today)
        uid = demo_meeting_uid(f"upcoming:{item['key']}")
        status = item.get("status", MeetingStatus.PLANNED)
    else:
        date = datetime.date.fromisoformat(item["date"])
        uid = demo_meeting_uid(f"{owner_key}:{date.isoformat()}:{meeting_type}")
        status = item.get("status", MeetingStatus.HELD)
    meeting = Meeting(
        uid=uid,
        date=date,
        type=meeting_type,
        status=status,
        start_time=_time(item.get("start_time")),
        end_time=_time(item.get("end_time")),
        notes_visibility=item.get("notes_visibility", Visibility.CONFIDENTIAL),
        **owner,
        **{name: item[name] for name in MEETING_VALUES if name in item},
    )
    return uid, meeting


def _load_meetings(items: list, owners: _Owners, today: datetime.date, summary: LoadSummary):
    """Create the meetings whose calendar UID is not taken yet."""
    entries = [(item, *_meeting(item, owners, today)) for item in items]
    uids = [uid for _item, uid, _meeting_ in entries]
    if len(set(uids)) != len(uids):
        raise DemoDataError("Two meetings have the same owner, date and type (or key).")
    existing = set(Meeting.objects.filter(uid__in=uids).values_list("uid", flat=True))
    for item, uid, meeting in entries:
        created = uid not in existing
        if created:
            validated_save(meeting)
            meeting.organisations.set(owners.organisation_list(item.get("organisations", [])))
        summary.count(Meeting._meta.verbose_name_plural, created)


def _activity(item: dict, group: NetworkGroup, start: datetime.date) -> Activity:
    """Return the unsaved activity an entry describes."""
    values = {name: item[name] for name in ACTIVITY_VALUES if name in item}
    if "end_date" in values:
        values["end_date"] = datetime.date.fromisoformat(values["end_date"])
    return Activity(
        group=group,
        type=item["type"],
        start_date=start,
        is_special=item.get("is_special", False),
        visibility=item.get("visibility", Visibility.PUBLIC),
        **values,
    )


def _load_activities(items: list, owners: _Owners, summary: LoadSummary):
    """Create the activities not there yet, known by their group, type and first day."""
    for item in items:
        group = owners.group(item)
        if item.get("type") not in ActivityType.values:
            raise DemoDataError(f"Unknown activity type {item.get('type')!r}: {item}")
        start = datetime.date.fromisoformat(item["start_date"])
        found = Activity.objects.filter(group=group, type=item["type"], start_date=start).exists()
        if not found:
            activity = validated_save(_activity(item, group, start))
            activity.partners.set(owners.organisation_list(item.get("partners", [])))
        summary.count(Activity._meta.verbose_name_plural, not found)


@transaction.atomic
def demo_meetings_load(*, data: dict, today: datetime.date | None = None) -> LoadSummary:
    """Load the meetings and activities of a demo data set; skip those already there.

    Dated meetings without a status are held; upcoming ones are planned. Any error saves nothing.
    """
    summary = LoadSummary()
    meetings_data, activities_data = data.get("meetings", []), data.get("activities", [])
    if not meetings_data and not activities_data:
        return summary
    owners = _Owners()
    _load_meetings(meetings_data, owners, today or timezone.localdate(), summary)
    _load_activities(activities_data, owners, summary)
    return summary
