"""Calendar pages: the month view and the year grid of bilaga 2.

Public: anyone sees the meetings that are not internal; staff see the internal ones too
(networks.permissions decides).
"""

import datetime

from django import forms
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.years import FIRST_YEAR
from meetings.calendar import month_days
from meetings.calendar import year_grid as build_year_grid
from meetings.models import YEARS_AHEAD
from networks import permissions
from networks.models import NetworkKind

from .public_cache import public_page


class KindFilterForm(forms.Form):
    """Narrow the year grid to one kind of network (the GET parameter `natverkstyp`)."""

    natverkstyp = forms.ModelChoiceField(
        queryset=NetworkKind.objects.all(),
        to_field_name="slug",
        required=False,
        label=_("Network kind"),
        empty_label=_("All kinds of network"),
        error_messages={
            "invalid_choice": _("There is no such kind of network. Choose one from the list.")
        },
    )


def _year_in_range(year: int) -> bool:
    """Return whether a meeting can fall in `year` (the window a meeting's date must keep to)."""
    return FIRST_YEAR <= year <= timezone.localdate().year + YEARS_AHEAD


def calendar_today(request):
    """Send the visitor to this month's calendar (Swedish time)."""
    today = timezone.localdate()
    return redirect("portal:calendar_month", year=today.year, month=today.month)


@public_page
def year_grid(request, year):
    """Show a year's meeting dates per forum, kind and group, as bilaga 2 of the annual report."""
    if not _year_in_range(year):
        raise Http404("No calendar for that year.")
    form = KindFilterForm(request.GET or None)
    kind = form.cleaned_data["natverkstyp"] if form.is_valid() else None
    grid = build_year_grid(year=year, kind=kind, reach=permissions.reach_of(request.user))
    return render(
        request,
        "portal/year_grid.html",
        {
            "grid": grid,
            "year": year,
            "form": form,
            "kind": kind,
            "kinds": list(NetworkKind.objects.all()),
            "kind_query": f"?natverkstyp={kind.slug}" if kind else "",
            "previous_year": year - 1 if _year_in_range(year - 1) else None,
            "next_year": year + 1 if _year_in_range(year + 1) else None,
            "months": [datetime.date(year, month, 1) for month in range(1, 13)],
        },
    )


@public_page
def month(request, year, month):
    """Show a month's meetings and activities day by day, cancelled ones marked."""
    if not (_year_in_range(year) and 1 <= month <= 12):
        raise Http404("No calendar for that month.")
    first = datetime.date(year, month, 1)
    previous = (first - datetime.timedelta(days=1)).replace(day=1)
    following = (first + datetime.timedelta(days=32)).replace(day=1)
    days = month_days(year=year, month=month, reach=permissions.reach_of(request.user))
    return render(
        request,
        "portal/calendar_month.html",
        {
            "first": first,
            "days": days,
            "previous": previous if _year_in_range(previous.year) else None,
            "following": following if _year_in_range(following.year) else None,
            "show_tiers": permissions.works_in_portal(request.user),
        },
    )
