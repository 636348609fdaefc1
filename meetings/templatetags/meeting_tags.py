"""Template filters for the coordinators' pages: ask the permissions module, format times."""

from django import template

from networks import permissions

register = template.Library()


@register.filter
def editable_by(item, user) -> bool:
    """Return whether `user` may change the meeting or activity `item`."""
    if item._meta.model_name == "activity":
        return permissions.can_edit_activity(user, item)
    return permissions.can_edit_meeting(user, item)


@register.filter
def time_span(meeting) -> str:
    """Return a meeting's times the Swedish way: "15.00–17.00", "15.00" or ""."""
    start, end = meeting.start_time, meeting.end_time
    if start and end:
        return f"{start:%H.%M}–{end:%H.%M}"
    if start:
        return f"{start:%H.%M}"
    return ""
