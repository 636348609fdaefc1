"""The budget overview, its CSV export, and setting up and closing years.

Every view asks networks.permissions: the figures are for every staff role (can_view_budget),
setting up and closing years for the network developer (can_manage_budget). A visitor who is
not logged in is sent to the login page; a logged-in user without a role gets a 403 that says
why – the budget is internal, but its pages are no secret.
"""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods

from core.views import forbidden
from networks import permissions
from networks.models import NetworkKind

from . import services
from .csv_export import overview_csv_response
from .forms_fields import MoneyField
from .models import MAX_AMOUNT, ZERO, Application, BudgetYear
from .selectors import budget_overview

NO_BUDGET_ACCESS = gettext_lazy(
    "The budget is for the staff of the networks: conveners and contact persons, the network "
    "developer and the head of administration. Ask the network developer to link your account "
    "to your group."
)
NOT_BUDGET_MANAGER = gettext_lazy(
    "Only the network developer can set up and close budget years. You can see the budget "
    "but not change it."
)


# --- the overview ---------------------------------------------------------------------------


@login_required
def overview_current(request):
    """Go to this year's budget, or the latest year's when this year has none yet."""
    if not permissions.can_view_budget(request.user):
        return forbidden(request, NO_BUDGET_ACCESS)
    years = BudgetYear.objects.order_by("-year")
    budget_year = years.filter(year=timezone.localdate().year).first() or years.first()
    if budget_year is not None:
        return redirect("budget:overview", year=budget_year.year)
    return render(
        request,
        "budget/overview.html",
        {"can_manage": permissions.can_manage_budget(request.user), "years": []},
    )


@login_required
def overview(request, year):
    """Show a year's budget: the lines as decided, and allocated, granted, spent and remaining
    per kind, per group and in total, with the external funding."""
    user = request.user
    if not permissions.can_view_budget(user):
        return forbidden(request, NO_BUDGET_ACCESS)
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
            "my_lines": [line for line in result.groups if line.group.pk in mine],
            "undecided_count": (
                Application.objects.filter(budget_year=budget_year).undecided().count()
                if can_manage
                else None
            ),
        },
    )


@login_required
def overview_csv(request, year):
    """Download a year's overview for Excel: per group, per kind and in total."""
    if not permissions.can_view_budget(request.user):
        return forbidden(request, NO_BUDGET_ACCESS)
    budget_year = get_object_or_404(BudgetYear, year=year)
    return overview_csv_response(budget_overview(budget_year=budget_year))


# --- setting up a year ----------------------------------------------------------------------


class BudgetYearForm(forms.Form):
    """A year's budget: per kind an amount per group and a text, and the pooled funds.

    The fields start from the latest year's budget, so a year like the last one takes a glance
    and a click. A kind left empty gets no line that year.
    """

    year = forms.IntegerField(
        label=gettext_lazy("Year"),
        min_value=2000,
        max_value=2100,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": gettext_lazy("Write the year the budget is for, for example 2027."),
            "invalid": gettext_lazy("Write the year with four digits, for example 2027."),
            "min_value": gettext_lazy("Write a year from 2000 to 2100."),
            "max_value": gettext_lazy("Write a year from 2000 to 2100."),
        },
    )
    pool_amount = MoneyField(
        label=gettext_lazy("Pooled funds (övriga medel), kr"),
        min_value=ZERO,
        max_value=MAX_AMOUNT,
        help_text=gettext_lazy(
            "Money that groups and local actors apply for separately. Write 0 if there is none."
        ),
        error_messages={"required": gettext_lazy("Write the pooled funds in kronor, or 0.")},
    )
    pool_description = forms.CharField(
        label=gettext_lazy("About the pooled funds"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("What the pooled funds are for and how to apply."),
    )

    def __init__(self, *args, kinds, previous: BudgetYear | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.kinds = list(kinds)
        previous_lines = (
            {line.kind_id: line for line in previous.kind_allocations.all()} if previous else {}
        )
        kind_fields = []
        for kind in self.kinds:
            amount_name, text_name = f"amount_{kind.pk}", f"description_{kind.pk}"
            groups = kind.active_group_count
            self.fields[amount_name] = MoneyField(
                label=_("%(kind)s: amount per group, kr") % {"kind": kind.name},
                required=False,
                min_value=ZERO,
                max_value=MAX_AMOUNT,
                help_text=ngettext(
                    "%(count)s active group. Leave empty if the kind gets no money this year.",
                    "%(count)s active groups. Leave empty if the kind gets no money this year.",
                    groups,
                )
                % {"count": groups},
            )
            self.fields[text_name] = forms.CharField(
                label=_("%(kind)s: what the money is for") % {"kind": kind.name},
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            line = previous_lines.get(kind.pk)
            if line is not None:
                self.initial.setdefault(amount_name, line.amount_per_group)
                self.initial.setdefault(text_name, line.description)
            kind_fields.append(Fieldset(kind.name, amount_name, text_name))
        if previous is not None:
            self.initial.setdefault("year", previous.year + 1)
            self.initial.setdefault("pool_amount", previous.pool_amount)
            self.initial.setdefault("pool_description", previous.pool_description)
        else:
            self.initial.setdefault("year", timezone.localdate().year)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            "year",
            *kind_fields,
            Fieldset(_("Pooled funds"), "pool_amount", "pool_description"),
        )

    def clean_year(self):
        year = self.cleaned_data["year"]
        if BudgetYear.objects.filter(year=year).exists():
            raise ValidationError(
                _("There is already a budget for %(year)s.") % {"year": year}, code="exists"
            )
        return year

    def lines(self) -> dict:
        """Return kind → (amount per group, text) for the kinds given an amount."""
        return {
            kind: (
                self.cleaned_data[f"amount_{kind.pk}"],
                self.cleaned_data[f"description_{kind.pk}"].strip(),
            )
            for kind in self.kinds
            if self.cleaned_data.get(f"amount_{kind.pk}") is not None
        }


def _kinds_with_group_counts():
    """Return the kinds, each with how many active groups it has."""
    return NetworkKind.objects.annotate(
        active_group_count=Count("groups", filter=Q(groups__active=True))
    ).order_by("order", "name")


@login_required
@require_http_methods(["GET", "POST"])
def year_create(request):
    """Set up a new budget year, starting from the latest year's lines."""
    if not permissions.can_manage_budget(request.user):
        return forbidden(request, NOT_BUDGET_MANAGER)
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


@login_required
@require_http_methods(["GET", "POST"])
def year_close(request, year):
    """Ask to confirm, then close a year: its spending and decisions are locked for good."""
    if not permissions.can_manage_budget(request.user):
        return forbidden(request, NOT_BUDGET_MANAGER)
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
