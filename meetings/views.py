"""The coordinators' pages: my networks, meetings and their history, and activities.

Every view asks networks.permissions what the user may see and do: a rule about the user guards
the view with `allowed`, a rule about the meeting or activity it loaded raises PermissionDenied.
The forms validate and the services in meetings/services.py write.
"""

import copy
import itertools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from core.views import allowed, form_for_user, int_or_none, page_of, posted, saved
from meetings.terms import Term
from networks import permissions
from networks.models import Forum, NetworkGroup, NetworkKind, Visibility

from . import services
from .forms import (
    ActivityFilterForm,
    ActivityForm,
    MeetingFilterForm,
    MeetingForm,
    MeetingSeriesForm,
)
from .history import meeting_history_entries
from .models import Activity, Meeting, MeetingSeries, MeetingStatus

# Mina nätverk shows the next few meetings and the latest notes still missing per group;
# the counts beside them tell how many more there are.
UPCOMING_SHOWN = 3
MISSING_SHOWN = 5
OTHER_UPCOMING_SHOWN = 10
COUNTED_STATUSES = (MeetingStatus.PLANNED, MeetingStatus.HELD)


# --- helpers ------------------------------------------------------------------------------


NOT_YOUR_GROUP = gettext_lazy(
    "You can only change the meetings and activities of the groups you coordinate. "
    "Meetings of central forums and joint meetings are changed by the network developer."
)
NO_ROLE = gettext_lazy(
    "Your account has no role in the portal yet. My networks is for the conveners "
    "and contact persons of network groups, the network developer and the head of "
    "administration. Ask the network developer to link your account to your group."
)
ONLY_COORDINATORS_ADD_MEETINGS = gettext_lazy(
    "Only coordinators and the network developer add meetings."
)
ONLY_COORDINATORS_ADD_ACTIVITIES = gettext_lazy(
    "Only coordinators and the network developer add activities."
)
HISTORY_FOR_DEVELOPER = gettext_lazy(
    "The history of changes is shown to the network developer only."
)


def _owner_field(name):
    """Return the meeting form's one owner field for the group, forum or kind a service names."""
    return "owner" if name in ("group", "forum", "kind") else None


def _visible_meeting_or_404(request, pk):
    """Return the meeting if the user may see it at all; internal ones are 404 for the public."""
    meeting = get_object_or_404(
        Meeting.objects.with_owner().prefetch_related("organisations"), pk=pk
    )
    if not permissions.can_view_meeting(request.user, meeting):
        raise Http404
    return meeting


# --- the guideline ------------------------------------------------------------------------


def _term_progress(group):
    """Return how the group's meetings this term stand against its kind's guideline."""
    low = group.kind.meetings_per_term_min
    missing = max(0, low - group.term_count) if low is not None else 0
    return {"count": group.term_count, "held": group.term_held, "missing": missing}


def _my_groups(user, today):
    """Return the groups Mina nätverk shows, each with its term count and meeting lists.

    The lists are sliced prefetches and the counts one aggregate over the groups' meetings
    (by the indexed group column, not a join of every meeting onto the group rows), so the page
    costs the same few queries however many groups and meetings there are.
    """
    groups = permissions.member_groups(user)
    term = Term.of(today)
    # Only the meetings the user may see are listed and counted (a member from an
    # association does not learn that a confidential meeting exists).
    visible = Meeting.objects.filter(permissions.visible_meetings_filter(user))
    upcoming = visible.upcoming(today).order_by("date", "start_time", "pk")
    missing = visible.lacking_notes().order_by("-date", "-start_time", "-pk")
    unlogged = visible.filter(status=MeetingStatus.PLANNED, date__lt=today).order_by(
        "-date", "-start_time", "-pk"
    )
    groups = list(
        groups.select_related("kind").prefetch_related(
            Prefetch("meetings", upcoming[:UPCOMING_SHOWN], to_attr="upcoming_meetings"),
            Prefetch("meetings", missing[:MISSING_SHOWN], to_attr="meetings_missing_notes"),
            Prefetch("meetings", unlogged[:MISSING_SHOWN], to_attr="unlogged_meetings"),
        )
    )
    in_term = Q(date__range=(term.start, term.end), status__in=COUNTED_STATUSES)
    counts = {
        row.pop("group_id"): row
        for row in visible.filter(group__in=[group.pk for group in groups])
        .order_by()
        .values("group_id")
        .annotate(
            term_count=Count("pk", filter=in_term),
            term_held=Count("pk", filter=in_term & Q(status=MeetingStatus.HELD)),
            upcoming_count=Count("pk", filter=Q(date__gte=today, status__in=COUNTED_STATUSES)),
            missing_count=Count("pk", filter=Q(status=MeetingStatus.HELD, notes="")),
            unlogged_count=Count("pk", filter=Q(status=MeetingStatus.PLANNED, date__lt=today)),
        )
    }
    none = dict.fromkeys(
        ("term_count", "term_held", "upcoming_count", "missing_count", "unlogged_count"), 0
    )
    for group in groups:
        for name, value in counts.get(group.pk, none).items():
            setattr(group, name, value)
    return term, groups


# --- Mina nätverk -------------------------------------------------------------------------


@allowed(permissions.works_in_portal, NO_ROLE)
def my_networks(request):
    """Show the user's groups: upcoming meetings, missing notes and this term's count."""
    user = request.user
    today = timezone.localdate()
    term, groups = _my_groups(user, today)
    for group in groups:
        group.progress = _term_progress(group)
        group.manages_members = permissions.can_manage_members(user, group)
    kinds = [
        {"kind": kind, "groups": list(members)}
        for kind, members in itertools.groupby(groups, key=lambda group: group.kind)
    ]
    other_upcoming = []
    if permissions.manages_everything(user) or (
        permissions.role_of(user) == permissions.Role.HEAD_OF_ADMINISTRATION
    ):
        other_upcoming = list(
            Meeting.objects.upcoming(today)
            .filter(permissions.visible_meetings_filter(user), group__isnull=True)
            .with_owner()
            .order_by("date", "start_time", "pk")[:OTHER_UPCOMING_SHOWN]
        )
    return render(
        request,
        "meetings/my_networks.html",
        {
            "kinds": kinds,
            "term": term,
            "behind": [group for group in groups if group.progress["missing"]],
            "other_upcoming": other_upcoming,
            "forums": _my_forums(user),
            "can_create": permissions.can_create_meetings(user),
            "is_coordinator": permissions.role_of(user) == permissions.Role.COORDINATOR,
            "is_member": permissions.role_of(user) == permissions.Role.MEMBER,
            "today": today,
        },
    )


def _my_forums(user):
    """Return the central forums whose pages (documents) My networks links: every active one
    for the staff roles, else those the user is a member of."""
    reach = permissions.reach_of(user)
    if reach.everywhere != Visibility.PUBLIC:
        return list(Forum.objects.filter(active=True))
    if not reach.forums:  # most people: no query
        return []
    return list(Forum.objects.filter(pk__in=reach.forums, active=True))


# --- meetings -----------------------------------------------------------------------------


def meeting_list(request):
    """List the meetings the user may see, filtered by year, kind, group, type and status."""
    user = request.user
    today = timezone.localdate()
    visible = Meeting.objects.filter(permissions.visible_meetings_filter(user))
    years = sorted({day.year for day in visible.dates("date", "year")} | {today.year}, reverse=True)
    staff = permissions.works_in_portal(user)
    form = MeetingFilterForm(
        request.GET,
        years=years,
        kinds=NetworkKind.objects.all(),
        groups=NetworkGroup.objects.active().select_related("kind"),
        default_year=today.year,
        staff=staff,
    )
    meetings = form.filter(visible)
    series = None
    series_id = int_or_none(request.GET.get("series"))
    if series_id is not None:
        series = MeetingSeries.objects.filter(pk=series_id).first()
        meetings = meetings.filter(series_id=series_id)
    page = page_of(request, meetings.with_owner().order_by("date", "start_time", "pk"))
    return render(
        request,
        "meetings/meeting_list.html",
        {
            "form": form,
            "page_obj": page,
            "meetings": page.object_list,
            "series": series,
            "staff": staff,
            "can_create": permissions.can_create_meetings(user),
            "filtered": bool(form.chosen()) or series is not None,
            "today": today,
        },
    )


def meeting_detail(request, pk):
    """Show a meeting; its notes only to those who may read them."""
    meeting = _visible_meeting_or_404(request, pk)
    user = request.user
    can_edit = permissions.can_edit_meeting(user, meeting)
    return render(
        request,
        "meetings/meeting_detail.html",
        {
            "meeting": meeting,
            "can_view_notes": permissions.can_view_notes(user, meeting),
            "can_edit": can_edit,
            "can_cancel": can_edit and not meeting.is_cancelled,
            "can_view_history": permissions.can_view_history(user),
            "staff": permissions.works_in_portal(user),
            "today": timezone.localdate(),
        },
    )


@allowed(permissions.can_create_meetings, ONLY_COORDINATORS_ADD_MEETINGS)
def meeting_create(request):
    """Plan a meeting, or log one just held with its notes (?status=held, ?group=<id>)."""
    logging_held = request.GET.get("status") == MeetingStatus.HELD
    form = form_for_user(
        request,
        MeetingForm,
        initial={"status": MeetingStatus.HELD if logging_held else MeetingStatus.PLANNED},
    )
    meeting = saved(
        form, lambda: services.meeting_create(**form.service_values()), field_for=_owner_field
    )
    if meeting is not None:
        messages.success(request, _("The meeting has been saved."))
        return redirect(meeting)
    title = _("Log a held meeting") if logging_held else _("New meeting")
    return render(
        request,
        "meetings/meeting_form.html",
        {"form": form, "title": title, "meeting": None},
    )


@login_required
def meeting_edit(request, pk):
    """Change a meeting the user may edit, e.g. write its notes after it was held."""
    meeting = _visible_meeting_or_404(request, pk)
    if not permissions.can_edit_meeting(request.user, meeting):
        raise PermissionDenied(NOT_YOUR_GROUP)
    # The form changes its instance while it validates; the page heading shows the stored one.
    stored = copy.copy(meeting)
    form = MeetingForm(*posted(request), instance=meeting, user=request.user)
    changed = saved(
        form,
        lambda: services.meeting_update(meeting=meeting, **form.service_values()),
        field_for=_owner_field,
    )
    if changed is not None:
        messages.success(request, _("The changes have been saved."))
        return redirect(changed)
    return render(
        request,
        "meetings/meeting_form.html",
        {"form": form, "title": _("Change meeting"), "meeting": stored},
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_cancel(request, pk):
    """Ask, then cancel a meeting; it stays in lists and feeds, marked as cancelled."""
    meeting = _visible_meeting_or_404(request, pk)
    if not permissions.can_edit_meeting(request.user, meeting):
        raise PermissionDenied(NOT_YOUR_GROUP)
    if request.method == "POST":
        if not meeting.is_cancelled:
            services.meeting_cancel(meeting=meeting)
            messages.success(request, _("The meeting has been cancelled."))
        return redirect(meeting)
    return render(request, "meetings/meeting_confirm_cancel.html", {"meeting": meeting})


@allowed(permissions.can_create_meetings, ONLY_COORDINATORS_ADD_MEETINGS)
def meeting_series_create(request):
    """Plan a series of meetings at once, e.g. every third Thursday this term."""
    user = request.user
    form = form_for_user(request, MeetingSeriesForm)
    series = saved(
        form,
        lambda: services.meeting_series_create(created_by=user, **form.service_values()),
        field_for=_owner_field,
    )
    if series is not None:
        count = series.meetings.count()
        messages.success(
            request,
            _("%(count)s meetings have been planned. Change each one on its own below.")
            % {"count": count},
        )
        return redirect(f"{reverse('meetings:meeting_list')}?series={series.pk}&year=")
    return render(request, "meetings/meeting_series_form.html", {"form": form})


# --- history ------------------------------------------------------------------------------


@allowed(permissions.can_view_history, HISTORY_FOR_DEVELOPER)
def meeting_history(request, pk):
    """Show who changed what on a meeting and when, for the network developer."""
    meeting = get_object_or_404(Meeting.objects.with_owner(), pk=pk)
    show_notes = permissions.can_view_notes(request.user, meeting)
    return render(
        request,
        "meetings/meeting_history.html",
        {"meeting": meeting, "entries": meeting_history_entries(meeting, show_notes=show_notes)},
    )


# --- activities ---------------------------------------------------------------------------


def activity_list(request):
    """List the activities the user may see, filtered by year, type and group."""
    user = request.user
    today = timezone.localdate()
    visible = Activity.objects.filter(permissions.visible_activities_filter(user))
    years = sorted(
        {day.year for day in visible.dates("start_date", "year")} | {today.year}, reverse=True
    )
    form = ActivityFilterForm(
        request.GET,
        years=years,
        groups=NetworkGroup.objects.active().select_related("kind"),
        default_year=today.year,
    )
    page = page_of(
        request,
        form.filter(visible)
        .select_related("group", "group__kind")
        .prefetch_related("partners")
        .order_by("start_date", "name", "pk"),
    )
    return render(
        request,
        "meetings/activity_list.html",
        {
            "form": form,
            "page_obj": page,
            "activities": page.object_list,
            "can_create": permissions.can_create_meetings(user),
            "filtered": bool(form.chosen()),
        },
    )


@allowed(permissions.can_create_meetings, ONLY_COORDINATORS_ADD_ACTIVITIES)
def activity_create(request):
    """Record an activity of a group the user coordinates (?group=<id> preselects it)."""
    form = form_for_user(request, ActivityForm)
    if saved(form, lambda: services.activity_create(**form.service_values())) is not None:
        messages.success(request, _("The activity has been saved."))
        return redirect("meetings:activity_list")
    return render(
        request,
        "meetings/activity_form.html",
        {"form": form, "title": _("New activity"), "activity": None},
    )


@login_required
def activity_edit(request, pk):
    """Change an activity of a group the user coordinates."""
    activity = get_object_or_404(Activity.objects.select_related("group"), pk=pk)
    user = request.user
    if not permissions.can_view_activity(user, activity):
        raise Http404
    if not permissions.can_edit_activity(user, activity):
        raise PermissionDenied(NOT_YOUR_GROUP)
    stored = copy.copy(activity)
    form = ActivityForm(*posted(request), instance=activity, user=user)
    changed = saved(
        form, lambda: services.activity_update(activity=activity, **form.service_values())
    )
    if changed is not None:
        messages.success(request, _("The changes have been saved."))
        year = changed.start_date.year
        return redirect(f"{reverse('meetings:activity_list')}?year={year}")
    return render(
        request,
        "meetings/activity_form.html",
        {"form": form, "title": _("Change activity"), "activity": stored},
    )
