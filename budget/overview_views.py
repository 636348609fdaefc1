"""The budget overview, its CSV export, and setting up and closing years.

Every view asks networks.permissions: the figures are for every staff role and coordinator
(can_view_budget) – every group's only for those bound by professional secrecy
(sees_every_budget); an association's coordinator sees their own groups'. Setting up and
closing years is for the network developer (can_manage_budget). A visitor who is not logged
in is sent to the login page; a logged-in user without a role gets a 403 that says why – the
budget is internal, but its pages are no secret.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.views import allowed
from networks import permissions
from networks.models import NetworkKind

from . import services
from .csv_export import overview_csv_response
from .forms import BudgetYearForm
from .models import Application, BudgetYear, default_budget_year
from .selectors import budget_overview
from .views import NO_BUDGET_ACCESS, NOT_EVERY_BUDGET

NOT_BUDGET_MANAGER = gettext_lazy(
    "Only the network developer can set up and close budget years. You can see the budget "
    "but not change it."
)


# --- the overview ---------------------------------------------------------------------------


@allowed(permissions.can_view_budget, NO_BUDGET_ACCESS)
def overview_current(request):
    """Go to this year's budget, or the latest year's when this year has none yet."""
    budget_year = default_budget_year(BudgetYear.objects.all())
    if budget_year is not None:
        return redirect("budget:overview", year=budget_year.year)
    return render(
        request,
        "budget/overview.html",
        {"can_manage": permissions.can_manage_budget(request.user), "years": []},
    )


@allowed(permissions.can_view_budget, NO_BUDGET_ACCESS)
def overview(request, year):
    """Show a year's budget: the lines as decided, and allocated, granted, spent and remaining
    per kind, per group and in total, with the external funding."""
    user = request.user
    budget_year = get_object_or_404(BudgetYear, year=year)
    result = budget_overview(budget_year=budget_year)
    can_manage = permissions.can_manage_budget(user)
    mine = permissions.coordinated_group_ids(user)
    return render(
        request,
        "budget/overview.html",
        {
            "budget_year": budget_year,
            "overview": result,
            "years": list(BudgetYear.objects.order_by("-year").values_list("year", "is_closed")),
            "can_manage": can_manage,
            "my_group_ids": mine,
            "sees_every_budget": permissions.sees_every_budget(user),
            "my_lines": [line for line in result.groups if line.group.pk in mine],
            "undecided_count": (
                Application.objects.filter(budget_year=budget_year).undecided().count()
                if can_manage
                else None
            ),
        },
    )


@allowed(permissions.can_view_budget, NO_BUDGET_ACCESS)
@allowed(permissions.sees_every_budget, NOT_EVERY_BUDGET)
def overview_csv(request, year):
    """Download a year's overview for Excel: per group, per kind and in total."""
    budget_year = get_object_or_404(BudgetYear, year=year)
    return overview_csv_response(budget_overview(budget_year=budget_year))


# --- setting up a year ----------------------------------------------------------------------


def _kinds_with_group_counts():
    """Return the kinds, each with how many active groups it has."""
    return NetworkKind.objects.annotate(
        active_group_count=Count("groups", filter=Q(groups__active=True))
    ).order_by("order", "name")


@allowed(permissions.can_manage_budget, NOT_BUDGET_MANAGER, methods=["GET", "POST"])
def year_create(request):
    """Set up a new budget year, starting from the latest year's lines."""
    previous = BudgetYear.objects.order_by("-year").first()
    kinds = _kinds_with_group_counts()
    form = BudgetYearForm(request.POST or None, kinds=kinds, previous=previous)
    if request.method == "POST" and form.is_valid():
        try:
            budget_year = services.budget_year_set_up(
                year=form.cleaned_data["year"],
                pool_amount=form.cleaned_data["pool_amount"],
                pool_description=form.cleaned_data["pool_description"].strip(),
                lines=form.lines(),
            )
        except ValidationError as error:
            # Two developers saving the same year at once: the second is told, nothing saved.
            form.add_error(None, error.messages)
        else:
            messages.success(
                request,
                _(
                    "The budget for %(year)s is set up. Change single groups' allocations and "
                    "add external funding in the administration."
                )
                % {"year": budget_year.year},
            )
            return redirect("budget:overview", year=budget_year.year)
    return render(
        request,
        "budget/year_form.html",
        {"form": form, "previous": previous},
    )


# --- closing a year -------------------------------------------------------------------------


@allowed(permissions.can_manage_budget, NOT_BUDGET_MANAGER, methods=["GET", "POST"])
def year_close(request, year):
    """Ask to confirm, then close a year: its spending and decisions are locked for good."""
    budget_year = get_object_or_404(BudgetYear, year=year)
    if request.method == "POST" and not budget_year.is_closed:
        try:
            services.budget_year_close(budget_year=budget_year, closed_by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("The budget year %(year)s is closed. Its figures can no longer change.")
                % {"year": budget_year.year},
            )
        return redirect("budget:overview", year=budget_year.year)
    return render(
        request,
        "budget/year_close.html",
        {
            "budget_year": budget_year,
            "overview": budget_overview(budget_year=budget_year),
            "undecided_count": Application.objects.filter(budget_year=budget_year)
            .undecided()
            .count(),
            "overview_url": reverse("budget:overview", kwargs={"year": budget_year.year}),
        },
    )
