"""A meeting's history of changes, read from django-simple-history's records."""

import datetime

from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from networks.models import Forum, NetworkGroup, NetworkKind

from .models import Meeting, MeetingSeries

HISTORY_HIDDEN_FIELDS = {"uid", "created_at", "updated_at", "id"}
FIELD_ORDER = {field.name: n for n, field in enumerate(Meeting._meta.fields)}
OWNER_MODELS = {"group": NetworkGroup, "forum": Forum, "kind": NetworkKind, "series": MeetingSeries}


def _display_value(field, value, related):
    """Return a stored value as a person reads it."""
    if value in (None, ""):
        return ""
    if field.name in OWNER_MODELS:
        obj = related[field.name].get(value)
        return str(obj) if obj is not None else _("(removed)")
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime.date):
        return date_format(value, "l j F Y")
    if isinstance(value, datetime.time):
        return value.strftime("%H.%M")
    return str(value)


def meeting_history_entries(meeting, *, show_notes):
    """Return the meeting's history, newest first, each change as field, before and after."""
    records = list(
        meeting.history.select_related("history_user").order_by("-history_date", "-history_id")
    )
    pairs = list(zip(records, [*records[1:], None], strict=True))
    deltas = [
        (record, record.diff_against(older) if older is not None else None)
        for record, older in pairs
    ]
    # Resolve the owners and series the changes mention with one query per model.
    ids = {name: set() for name in OWNER_MODELS}
    for _record, delta in deltas:
        for change in delta.changes if delta else ():
            if change.field in OWNER_MODELS:
                ids[change.field].update(v for v in (change.old, change.new) if v is not None)
    related = {
        name: (OWNER_MODELS[name]._default_manager.in_bulk(ids[name]) if ids[name] else {})
        for name in OWNER_MODELS
    }
    if ids["group"]:
        related["group"] = NetworkGroup.objects.select_related("kind").in_bulk(ids["group"])
    entries = []
    for record, delta in deltas:
        changes = []
        # In the order of the form, not the order the library found them.
        in_order = sorted(delta.changes if delta else (), key=lambda c: FIELD_ORDER[c.field])
        for change in in_order:
            if change.field in HISTORY_HIDDEN_FIELDS:
                continue
            field = Meeting._meta.get_field(change.field)
            hidden = change.field == "notes" and not show_notes
            changes.append(
                {
                    "label": capfirst(field.verbose_name),
                    "old": "" if hidden else _display_value(field, change.old, related),
                    "new": "" if hidden else _display_value(field, change.new, related),
                    "hidden": hidden,
                    "long": field.get_internal_type() == "TextField",
                }
            )
        user = record.history_user
        entries.append(
            {
                "when": record.history_date,
                "who": (user.get_full_name() or user.get_username()) if user else None,
                "type": record.history_type,
                "changes": changes,
            }
        )
    return entries
