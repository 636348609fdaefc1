"""Forms of the budget pages: expenses, applications for pooled funds and their decisions,
the lists' filters and setting up a year.

They validate; the views hand the values to budget.services. The group fields offer only the
groups the user may spend for (networks.permissions), so a forged group is refused like any
other invalid choice.
"""

from decimal import Decimal

from crispy_forms.layout import Fieldset
from django import forms
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.forms import (
    DateInput,
    ListFilterForm,
    all_choice,
    capitalised,
    form_layout,
    side_by_side,
)
from core.years import FIRST_YEAR, LAST_YEAR
from meetings.models import Activity
from networks import permissions
from networks.models import NetworkGroup
from submissions.forms import SubmittedOnce

from .forms_fields import MoneyField
from .models import (
    MAX_AMOUNT,
    ZERO,
    ApplicationStatus,
    BudgetYear,
    Expense,
    ExpenseCategory,
    default_budget_year,
)
from .money import format_sek
from .receipts import ACCEPT, receipt_file_name, validate_receipt

MORE_THAN_ZERO = _("The amount must be more than 0 kr.")
YEAR_CLOSED = _("The budget year %(year)s is closed: nothing in it can be changed.")
ONE_ORE = Decimal("0.01")


def money_field(label, **kwargs):
    """Return a field for kronor, more than 0 and at most what the database holds."""
    field = MoneyField(label=label, min_value=ONE_ORE, max_value=MAX_AMOUNT, **kwargs)
    field.error_messages["min_value"] = MORE_THAN_ZERO
    return field


def spendable_groups(user, current=None):
    """Return the active groups the user may spend for, and `current` even if inactive."""
    current_id = current.pk if current is not None else None
    return (
        permissions.editable_groups(user)
        .filter(Q(active=True) | Q(pk=current_id))
        .select_related("kind")
    )


def _group_field(form, user, current, refused):
    field = form.fields["group"]
    field.queryset = spendable_groups(user, current)
    field.label_from_instance = lambda group: group.choice_label
    field.empty_label = _("Choose a group")
    field.error_messages["invalid_choice"] = refused
    field.error_messages["required"] = _("Choose a group.")
    if current is None and len(field.queryset) == 1:
        form.initial.setdefault("group", field.queryset[0].pk)


class ExpenseForm(SubmittedOnce, forms.ModelForm):
    """Record or change an expense of a group: the date decides the budget year."""

    amount = money_field(_("Amount"), help_text=_("In kronor, e.g. 1 250 or 1 250,50."))
    receipt = forms.FileField(
        label=_("Receipt"),
        required=False,
        widget=forms.FileInput(attrs={"accept": ACCEPT}),
        help_text=_("Optional. A PDF, or a photo of the receipt (JPEG or PNG), at most 5 MB."),
    )
    remove_receipt = forms.BooleanField(label=_("Remove the saved receipt"), required=False)

    class Meta:
        model = Expense
        fields = ["group", "date", "amount", "category", "description"]
        widgets = {"date": DateInput, "category": forms.RadioSelect}
        help_texts = {"description": _("What the money was for, e.g. “Fika at the April meeting”.")}

    def __init__(self, *args, user, preselect_group=None, **kwargs):
        super().__init__(*args, **kwargs)
        editing = self.instance.pk is not None
        current = self.instance.group if editing else None
        _group_field(
            self, user, current, _("You can only record expenses for the groups you coordinate.")
        )
        self.fields["category"].choices = capitalised(ExpenseCategory.choices)
        if editing:
            self.stored_year = self.instance.budget_year
            self.fields["date"].help_text = _(
                "The date must stay in %(year)s. An expense of another year is recorded anew."
            ) % {"year": self.stored_year.year}
        else:
            self.stored_year = None
            self.initial.setdefault("date", timezone.localdate())
            if preselect_group is not None:
                self.initial.setdefault("group", preselect_group)
        has_receipt = editing and bool(self.instance.receipt)
        if has_receipt:
            self.fields["receipt"].label = _("Replace the receipt")
        else:
            del self.fields["remove_receipt"]
        self.helper = form_layout(
            Fieldset(
                _("Expense"),
                "group",
                side_by_side("date", "amount"),
                "category",
                "description",
                "receipt",
                *(["remove_receipt"] if has_receipt else []),
            )
        )

    def clean_receipt(self):
        uploaded = self.cleaned_data.get("receipt")
        if uploaded:
            kind = validate_receipt(uploaded)
            uploaded.name = receipt_file_name(uploaded.name, kind)
        return uploaded

    def clean_date(self):
        day = self.cleaned_data["date"]
        if self.stored_year is not None:
            if day.year != self.stored_year.year:
                raise forms.ValidationError(
                    _("The date must fall in the budget year %(year)s.")
                    % {"year": self.stored_year.year}
                )
            self.budget_year = self.stored_year
            return day
        self.budget_year = BudgetYear.objects.filter(year=day.year).first()
        if self.budget_year is None:
            raise forms.ValidationError(
                _(
                    "There is no budget for %(year)s, so no expense can be recorded on that "
                    "date. Check the date, or ask the network developer to set up the year."
                )
                % {"year": day.year}
            )
        if self.budget_year.is_closed:
            raise forms.ValidationError(YEAR_CLOSED % {"year": day.year})
        return day

    def service_values(self) -> dict:
        """Return the keyword arguments for expense_create / expense_update."""
        values = {name: self.cleaned_data[name] for name in self.Meta.fields}
        receipt = self.cleaned_data.get("receipt")
        if receipt:
            values["receipt"] = receipt
        elif self.cleaned_data.get("remove_receipt"):
            values["receipt"] = ""
        return values


class ApplicationForm(SubmittedOnce, forms.Form):
    """Apply for pooled funds for a group: how much, for what, and when."""

    budget_year = forms.ModelChoiceField(
        label=_("Budget year"),
        queryset=BudgetYear.objects.none(),
        empty_label=None,
        error_messages={
            "invalid_choice": _(
                "Applications can only be made for an open budget year. "
                "The year you chose is closed or has no budget."
            )
        },
    )
    group = forms.ModelChoiceField(label=_("Group"), queryset=NetworkGroup.objects.none())
    amount_requested = money_field(
        _("Amount applied for"), help_text=_("In kronor, e.g. 15 000 or 15 000,50.")
    )
    purpose = forms.CharField(
        label=_("Purpose"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What you want to do, for whom, and what it costs."),
    )
    activity = forms.ModelChoiceField(
        label=_("The activity it is for"),
        queryset=Activity.objects.none(),
        required=False,
        help_text=_("If the activity is already in the portal."),
        error_messages={
            "invalid_choice": _("Choose one of your groups' activities, or describe it below.")
        },
    )
    activity_description = forms.CharField(
        label=_("What it is for"),
        max_length=200,
        required=False,
        help_text=_("The activity or event the money is for, if it is not in the portal yet."),
    )
    planned_for = forms.CharField(
        label=_("When"),
        max_length=100,
        required=False,
        help_text=_("E.g. “week 26–27” or “autumn term”."),
    )

    def __init__(self, *args, user, open_years, preselect_group=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["budget_year"].queryset = open_years
        self.fields["budget_year"].label_from_instance = lambda year: str(year.year)
        years = list(open_years)
        # This year's budget if it is open, else the latest open one.
        preferred = default_budget_year(years)
        if preferred is not None:
            self.initial.setdefault("budget_year", preferred.pk)
        _group_field(self, user, None, _("You can only apply for the groups you coordinate."))
        if preselect_group is not None:
            self.initial.setdefault("group", preselect_group)
        groups = self.fields["group"].queryset
        activity = self.fields["activity"]
        first = min((year.year for year in years), default=timezone.localdate().year)
        activity.queryset = (
            Activity.objects.filter(group__in=groups, start_date__year__gte=first)
            .select_related("group", "group__kind")
            .order_by("start_date", "name", "pk")
        )
        activity.empty_label = _("No activity chosen")
        activity.label_from_instance = _activity_label
        self.helper = form_layout(
            Fieldset(
                _("Application"),
                "group",
                side_by_side("budget_year", "amount_requested", widths=("col-sm-4", "col-sm-8")),
                "purpose",
            ),
            Fieldset(_("What and when"), "activity", "activity_description", "planned_for"),
        )

    def clean(self):
        cleaned = super().clean()
        group, activity = cleaned.get("group"), cleaned.get("activity")
        if group and activity and activity.group_id != group.pk:
            self.add_error(
                "activity",
                _("The activity belongs to another group. Choose an activity of %(group)s.")
                % {"group": group.name},
            )
        return cleaned

    def service_values(self) -> dict:
        """Return the keyword arguments for application_create."""
        return dict(self.cleaned_data)


def _activity_label(activity) -> str:
    name = activity.name or activity.get_type_display().capitalize()
    return f"{name}, {activity.group.name}, {activity.start_date:%Y-%m-%d}"


class Decision(models.TextChoices):
    GRANT_ALL = "grant_all", _("Grant the whole amount")
    GRANT_PART = "grant_part", _("Grant part of the amount")
    DECLINE = "decline", _("Decline")


class DecisionForm(forms.Form):
    """Decide an application: grant all, grant part, or decline with a reason."""

    decision = forms.ChoiceField(
        label=_("Decision"), choices=Decision.choices, widget=forms.RadioSelect
    )
    amount = money_field(
        _("Amount granted"),
        required=False,
        help_text=_("Only when you grant part of the amount."),
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required when you decline. The applicant sees it."),
    )

    def __init__(self, *args, application, **kwargs):
        super().__init__(*args, **kwargs)
        self.application = application
        self.fields["decision"].choices = [
            (
                Decision.GRANT_ALL,
                _("Grant the whole amount (%(amount)s)")
                % {"amount": format_sek(application.amount_requested)},
            ),
            (Decision.GRANT_PART, Decision.GRANT_PART.label),
            (Decision.DECLINE, Decision.DECLINE.label),
        ]
        self.helper = form_layout("decision", "amount", "reason")

    def clean(self):
        cleaned = super().clean()
        decision, amount = cleaned.get("decision"), cleaned.get("amount")
        if decision == Decision.GRANT_PART and not self.has_error("amount"):
            if amount is None:
                self.add_error("amount", _("Write how much of the amount you grant."))
            elif amount >= self.application.amount_requested:
                self.add_error(
                    "amount",
                    _(
                        "A part must be less than the %(amount)s applied for. "
                        "To grant it all, choose “Grant the whole amount”."
                    )
                    % {"amount": format_sek(self.application.amount_requested)},
                )
        if decision == Decision.DECLINE and not cleaned.get("reason", "").strip():
            self.add_error("reason", _("Say why the application is declined."))
        return cleaned

    def amount_granted(self) -> Decimal:
        """Return the amount to grant: all, the part, or 0 to decline."""
        decision = self.cleaned_data["decision"]
        if decision == Decision.GRANT_ALL:
            return self.application.amount_requested
        if decision == Decision.GRANT_PART:
            return self.cleaned_data["amount"]
        return Decimal("0.00")

    def service_field(self, name: str) -> str | None:
        """Return the field where a service error on `name` belongs."""
        if name == "amount_granted":
            return (
                "amount" if self.cleaned_data.get("decision") == Decision.GRANT_PART else "decision"
            )
        if name == "decision_reason":
            return "reason"
        return None


class ExpenseFilterForm(ListFilterForm):
    """The expense list's filters: year and group (choices from the view)."""

    filters = {"year": "in_year", "group": "of_group"}


class ApplicationFilterForm(ListFilterForm):
    """The application list's filters: year, group and status."""

    status = forms.ChoiceField(
        label=_("Status"),
        choices=all_choice(_("All")) + capitalised(ApplicationStatus.choices),
        required=False,
    )

    filters = {"year": "in_year", "group": "of_group", "status": "with_status"}


class BudgetYearForm(forms.Form):
    """A year's budget: per kind an amount per group and a text, and the pooled funds.

    The fields start from the latest year's budget, so a year like the last one takes a glance
    and a click. A kind left empty gets no line that year.
    """

    year = forms.IntegerField(
        label=_("Year"),
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": _("Write the year the budget is for, for example 2027."),
            "invalid": _("Write the year with four digits, for example 2027."),
        },
    )
    pool_amount = MoneyField(
        label=_("Pooled funds (övriga medel), kr"),
        min_value=ZERO,
        max_value=MAX_AMOUNT,
        help_text=_(
            "Money that groups and local actors apply for separately. Write 0 if there is none."
        ),
        error_messages={"required": _("Write the pooled funds in kronor, or 0.")},
    )
    pool_description = forms.CharField(
        label=_("About the pooled funds"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the pooled funds are for and how to apply."),
    )

    def __init__(self, *args, kinds, previous: BudgetYear | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.kinds = list(kinds)
        # The bounds are filled in here, in the language of the request.
        out_of_range = _("Write a year from %(first)s to %(last)s.") % {
            "first": FIRST_YEAR,
            "last": LAST_YEAR,
        }
        self.fields["year"].error_messages.update(min_value=out_of_range, max_value=out_of_range)
        kind_fieldsets = [self._add_kind_fields(kind) for kind in self.kinds]
        self._start_from(previous)
        self.helper = form_layout(
            "year",
            *kind_fieldsets,
            Fieldset(_("Pooled funds"), "pool_amount", "pool_description"),
        )

    def _add_kind_fields(self, kind) -> Fieldset:
        """Add a kind's amount per group and text; return them as the kind's fieldset."""
        groups = kind.active_group_count
        self.fields[f"amount_{kind.pk}"] = MoneyField(
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
        self.fields[f"description_{kind.pk}"] = forms.CharField(
            label=_("%(kind)s: what the money is for") % {"kind": kind.name},
            required=False,
            widget=forms.Textarea(attrs={"rows": 2}),
        )
        return Fieldset(kind.name, f"amount_{kind.pk}", f"description_{kind.pk}")

    def _start_from(self, previous: BudgetYear | None) -> None:
        """Start the fields from the previous year's budget, or at this year when there is none."""
        if previous is None:
            self.initial.setdefault("year", timezone.localdate().year)
            return
        for line in previous.kind_allocations.all():
            if f"amount_{line.kind_id}" in self.fields:
                self.initial.setdefault(f"amount_{line.kind_id}", line.amount_per_group)
                self.initial.setdefault(f"description_{line.kind_id}", line.description)
        self.initial.setdefault("year", previous.year + 1)
        self.initial.setdefault("pool_amount", previous.pool_amount)
        self.initial.setdefault("pool_description", previous.pool_description)

    def clean_year(self):
        year = self.cleaned_data["year"]
        if BudgetYear.objects.filter(year=year).exists():
            raise forms.ValidationError(
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
