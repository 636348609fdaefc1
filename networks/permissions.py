"""Who may do what: the one place that decides. Views, forms and templates ask it.

Roles:
- administrator: a superuser; everything.
- network developer (verksamhetsutvecklare): all groups, forums and joint meetings; all notes.
- head of administration (förvaltningschef): reads all meetings and public and internal notes;
  asks for the annual report and the calendar as PDF and publishes the annual report (the
  decision document they take to the board); changes nothing else. Restricted notes, with their
  meetings' agendas and follow-up points, stay with the group's coordinators and the network
  developer.
- coordinator: a person who is convener or contact person of a group; works on those groups only.
- anyone else, logged in or not: what is public.
"""

from enum import StrEnum

from django.db.models import Q, QuerySet

from .models import GroupRole, NetworkGroup, Visibility


class Role(StrEnum):
    ADMINISTRATOR = "administrator"
    NETWORK_DEVELOPER = "network_developer"
    HEAD_OF_ADMINISTRATION = "head_of_administration"
    COORDINATOR = "coordinator"
    PUBLIC = "public"


# The auth groups that carry the staff roles, with their admin permissions on the registry.
ROLE_GROUPS = {
    Role.NETWORK_DEVELOPER: ("Verksamhetsutvecklare", ("add", "change", "delete", "view")),
    Role.HEAD_OF_ADMINISTRATION: ("Förvaltningschef", ("view",)),
}


def role_of(user) -> Role:
    """Return the user's role, computed once per request and kept on the user object."""
    if not user.is_authenticated:
        return Role.PUBLIC
    cached = getattr(user, "_lokalsamverkan_role", None)
    if cached is not None:
        return cached
    if user.is_superuser:
        role = Role.ADMINISTRATOR
    else:
        names = set(user.groups.values_list("name", flat=True))
        if ROLE_GROUPS[Role.NETWORK_DEVELOPER][0] in names:
            role = Role.NETWORK_DEVELOPER
        elif ROLE_GROUPS[Role.HEAD_OF_ADMINISTRATION][0] in names:
            role = Role.HEAD_OF_ADMINISTRATION
        elif coordinated_group_ids(user):
            role = Role.COORDINATOR
        else:
            role = Role.PUBLIC
    user._lokalsamverkan_role = role
    return role


def coordinated_group_ids(user) -> frozenset[int]:
    """Return the ids of the groups where the user's person is convener or contact person."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_lokalsamverkan_groups", None)
    if cached is None:
        cached = frozenset(
            GroupRole.objects.filter(
                person__user=user, role__in=GroupRole.CONTACT_ROLES
            ).values_list("group_id", flat=True)
        )
        user._lokalsamverkan_groups = cached
    return cached


def requires_second_factor(user) -> bool:
    """Return whether a password login of `user` must also give a code from an app (TOTP).

    Those who may change everything: the administrators and the network developer. Signing in
    through the municipality's identity provider needs no code here (the provider asks for its
    own factors).
    """
    return role_of(user) in (Role.ADMINISTRATOR, Role.NETWORK_DEVELOPER)


def is_staff_role(user) -> bool:
    """Return whether the user works in the portal (any role but the public)."""
    return role_of(user) != Role.PUBLIC


def manages_everything(user) -> bool:
    """Return whether the user may change any group's, forum's or kind's meetings."""
    return role_of(user) in (Role.ADMINISTRATOR, Role.NETWORK_DEVELOPER)


def editable_groups(user) -> QuerySet[NetworkGroup]:
    """Return the groups whose meetings and activities the user may create and change."""
    if manages_everything(user):
        return NetworkGroup.objects.all()
    if role_of(user) == Role.COORDINATOR:
        return NetworkGroup.objects.filter(pk__in=coordinated_group_ids(user))
    return NetworkGroup.objects.none()


def can_edit_group_items(user, group) -> bool:
    """Return whether the user may create or change meetings and activities of `group`."""
    if manages_everything(user):
        return True
    return group is not None and group.pk in coordinated_group_ids(user)


def can_edit_meeting(user, meeting) -> bool:
    """Return whether the user may change or cancel `meeting`.

    Meetings of forums and joint meetings of a kind are the network developer's.
    """
    if manages_everything(user):
        return True
    return meeting.group_id is not None and meeting.group_id in coordinated_group_ids(user)


def can_create_meetings(user) -> bool:
    """Return whether the user may create meetings for at least one owner."""
    return manages_everything(user) or bool(coordinated_group_ids(user))


def can_view_meeting(user, meeting) -> bool:
    """Return whether the user may see `meeting` at all (internal ones: staff only)."""
    return not meeting.is_internal or is_staff_role(user)


def visible_meetings_filter(user) -> Q:
    """Return the filter for the meetings the user may see in lists, calendars and feeds."""
    if is_staff_role(user):
        return Q()
    return Q(is_internal=False)


def can_view_notes(user, meeting) -> bool:
    """Return whether the user may read the notes of `meeting`, given their visibility."""
    if not can_view_meeting(user, meeting):
        return False
    if meeting.notes_visibility == Visibility.PUBLIC:
        return True
    if meeting.notes_visibility == Visibility.INTERNAL:
        return is_staff_role(user)
    # Restricted: the group's own coordinators and those who manage everything.
    return can_edit_meeting(user, meeting)


def can_search_confidential_text(user) -> bool:
    """Return whether the user may filter, search and sort by the texts only some may read.

    Those are a model's `confidential_fields` (a meeting's agenda, notes and follow-up). Which
    rows a filter keeps tells what the texts say, so only those who may read every one may.
    """
    return manages_everything(user)


def can_view_history(user) -> bool:
    """Return whether the user may see who changed what on meetings and notes."""
    return manages_everything(user)


def can_view_activity(user, activity) -> bool:
    return not activity.is_internal or is_staff_role(user)


def can_edit_activity(user, activity) -> bool:
    """Return whether the user may change `activity` (a coordinator: their groups' only)."""
    if manages_everything(user):
        return True
    return activity.group_id is not None and activity.group_id in coordinated_group_ids(user)


# --- budget ------------------------------------------------------------------------------


def can_view_budget(user) -> bool:
    """Return whether the user may see budget figures (every role but the public)."""
    return is_staff_role(user)


def can_spend_for(user, group) -> bool:
    """Return whether the user may record expenses and apply for pooled funds for `group`."""
    return can_edit_group_items(user, group)


def can_manage_budget(user) -> bool:
    """Return whether the user may set up years, decide applications and close years."""
    return manages_everything(user)


def budget_groups(user) -> QuerySet[NetworkGroup]:
    """Return the groups whose spending and applications the user may see."""
    if manages_everything(user) or role_of(user) == Role.HEAD_OF_ADMINISTRATION:
        return NetworkGroup.objects.all()
    return editable_groups(user)


# --- reports -----------------------------------------------------------------------------


def can_create_reports(user) -> bool:
    """Return whether the user may ask for the annual report and the calendar as PDF.

    The head of administration and the network developer (and administrators); they may also
    download every report, published or not, and publish the annual report.
    """
    return role_of(user) in (
        Role.ADMINISTRATOR,
        Role.NETWORK_DEVELOPER,
        Role.HEAD_OF_ADMINISTRATION,
    )


def can_download_report(user, job) -> bool:
    """Return whether the user may download the PDF of `job` (anyone: a published one)."""
    return job.is_done and (job.is_published or can_create_reports(user))


def can_publish_reports(user) -> bool:
    """Return whether the user may publish an annual report (make it a public download)."""
    return can_create_reports(user)


def can_edit_report_text(user) -> bool:
    """Return whether the user may write the narrative of the annual report."""
    return manages_everything(user)
