"""The budget in the admin: years with their lines, overrides and external funding; spending
and applications to look through, with their history of changes.

Who may do what is asked of networks.permissions, not of Django's model permissions: the network
developer manages the budget (can_manage_budget), the head of administration reads it. A closed
year is read-only here too. Expenses and applications are read-only in the admin: they are
written on the budget pages, through the services that lock the year and guard the pool.
"""

from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from networks import permissions

from .forms_fields import MoneyField
from .models import (
    MAX_AMOUNT,
    ZERO,
    Application,
    BudgetYear,
    Expense,
    ExternalFunding,
    GroupAllocation,
    KindAllocation,
)
from .money import format_sek
from .services import pool_granted


def _may_read(request) -> bool:
    # The admin is for staff accounts; of those, the budget managers and the head of
    # administration (who reads everything) may look at the budget.
    return permissions.can_manage_budget(request.user) or (
        permissions.role_of(request.user) == permissions.Role.HEAD_OF_ADMINISTRATION
    )


def _is_closed(obj) -> bool:
    if obj is None:
        return False
    year = obj if isinstance(obj, BudgetYear) else obj.budget_year
    return year.is_closed


class BudgetPermissions:
    """Read for the budget's readers; change only for its managers, and never in a closed year."""

    def has_module_permission(self, request):
        return _may_read(request)

    def has_view_permission(self, request, obj=None):
        return _may_read(request)

    def has_add_permission(self, request, *args):
        return permissions.can_manage_budget(request.user)

    def has_change_permission(self, request, obj=None):
        return permissions.can_manage_budget(request.user) and not _is_closed(obj)

    def has_delete_permission(self, request, obj=None):
        return permissions.can_manage_budget(request.user) and not _is_closed(obj)


class InlinePermissions(BudgetPermissions):
    """An inline follows its year: `obj` is the year being edited."""


def money_form_field(label):
    """Return a form field for kronor typed the Swedish way (10 000,50), as on the pages."""
    return MoneyField(label=label, min_value=ZERO, max_value=MAX_AMOUNT)


class KindAllocationForm(forms.ModelForm):
    amount_per_group = money_form_field(_("amount per group"))

    class Meta:
        model = KindAllocation
        fields = ["kind", "amount_per_group", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2, "cols": 50})}


class GroupAllocationForm(forms.ModelForm):
    amount = money_form_field(_("amount"))

    class Meta:
        model = GroupAllocation
        fields = ["group", "amount", "reason"]


class ExternalFundingForm(forms.ModelForm):
    amount = money_form_field(_("amount"))

    class Meta:
        model = ExternalFunding
        fields = [
            "name",
            "funder",
            "amount",
            "co_financing_percent",
            "period",
            "description",
        ]


class KindAllocationInline(InlinePermissions, admin.TabularInline):
    model = KindAllocation
    form = KindAllocationForm
    extra = 0
    fields = ["kind", "amount_per_group", "description"]


class GroupAllocationInline(InlinePermissions, admin.TabularInline):
    model = GroupAllocation
    form = GroupAllocationForm
    extra = 0
    fields = ["group", "amount", "reason"]
    autocomplete_fields = ["group"]


class ExternalFundingInline(InlinePermissions, admin.StackedInline):
    model = ExternalFunding
    form = ExternalFundingForm
    extra = 0
    fields = [
        ("name", "funder"),
        ("amount", "co_financing_percent", "period"),
        "description",
    ]


class BudgetYearAdminForm(forms.ModelForm):
    pool_amount = money_form_field(_("pooled funds"))

    class Meta:
        model = BudgetYear
        fields = ["year", "pool_amount", "pool_description"]

    def clean_pool_amount(self):
        amount = self.cleaned_data["pool_amount"]
        if self.instance.pk is not None:
            granted = pool_granted(self.instance.pk)
            if amount is not None and amount < granted:
                raise forms.ValidationError(
                    _("%(granted)s has already been granted: the pooled funds cannot be less.")
                    % {"granted": format_sek(granted)}
                )
        return amount


@admin.register(BudgetYear)
class BudgetYearAdmin(BudgetPermissions, admin.ModelAdmin):
    form = BudgetYearAdminForm
    list_display = ["year", "pool_display", "status_display"]
    list_filter = ["is_closed"]
    list_select_related = ["closed_by"]
    fields = ["year", "pool_amount", "pool_description", "status_display"]
    readonly_fields = ["status_display"]
    inlines = [KindAllocationInline, GroupAllocationInline, ExternalFundingInline]

    @admin.display(description=_("pooled funds"), ordering="pool_amount")
    def pool_display(self, budget_year):
        return format_sek(budget_year.pool_amount)

    @admin.display(description=_("status"), ordering="is_closed")
    def status_display(self, budget_year):
        # Closing is done on the budget page, through the service that locks the year.
        if not budget_year.is_closed:
            return _("Open: close the year on the budget page.")
        closed_at = budget_year.closed_at
        return _("Closed %(date)s by %(user)s") % {
            "date": date_format(timezone.localtime(closed_at), "j F Y") if closed_at else "",
            "user": budget_year.closed_by or "–",
        }

    def view_on_site(self, budget_year):
        return reverse("budget:overview", kwargs={"year": budget_year.year})


class ReadOnlyHistoryAdmin(BudgetPermissions, SimpleHistoryAdmin):
    """Look through and search; the changes are made on the budget pages."""

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_history_or_change_history_permission(self, request, obj=None):
        return permissions.can_view_history(request.user)


@admin.register(Expense)
class ExpenseAdmin(ReadOnlyHistoryAdmin):
    list_display = ["date", "group", "category", "amount_display", "description", "budget_year"]
    list_filter = ["budget_year", "category", "group__kind", "group"]
    list_select_related = ["group__kind", "budget_year"]
    search_fields = ["description", "group__name"]
    date_hierarchy = "date"

    @admin.display(description=_("amount"), ordering="amount")
    def amount_display(self, expense):
        return format_sek(expense.amount)


@admin.register(Application)
class ApplicationAdmin(ReadOnlyHistoryAdmin):
    list_display = [
        "submitted_at",
        "group",
        "requested_display",
        "status",
        "granted_display",
        "budget_year",
    ]
    list_filter = ["budget_year", "status", "group__kind", "group"]
    list_select_related = ["group__kind", "budget_year"]
    search_fields = ["purpose", "activity_description", "decision_reason", "group__name"]

    @admin.display(description=_("amount applied for"), ordering="amount_requested")
    def requested_display(self, application):
        return format_sek(application.amount_requested)

    @admin.display(description=_("amount granted"), ordering="amount_granted")
    def granted_display(self, application):
        return format_sek(application.amount_granted)
