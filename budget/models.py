"""A year's budget: allocations per kind and group, the pooled funds, spending and applications."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.years import year_validators
from meetings.models import Activity
from networks.models import NetworkGroup, NetworkKind

ZERO = Decimal("0.00")
MAX_AMOUNT = Decimal("99999999.99")


def money_field(verbose_name, **kwargs):
    """Return a DecimalField for kronor: two places, never negative."""
    return models.DecimalField(
        verbose_name,
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(ZERO), MaxValueValidator(MAX_AMOUNT)],
        **kwargs,
    )


def sum_of(field, **filters):
    """Return an aggregate expression: the sum of `field`, 0.00 when there is nothing."""
    return Coalesce(
        Sum(field, filter=Q(**filters) if filters else None),
        ZERO,
        output_field=models.DecimalField(max_digits=12, decimal_places=2),
    )


class BudgetYear(models.Model):
    """The budget of one calendar year. Closing it locks spending and decisions."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True, validators=year_validators())
    pool_amount = money_field(_("pooled funds"), default=ZERO)
    pool_description = models.TextField(
        _("about the pooled funds"),
        blank=True,
        help_text=_("What the pooled funds (övriga medel) are for and how to apply."),
    )
    is_closed = models.BooleanField(_("closed"), default=False)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
    )

    class Meta:
        verbose_name = _("budget year")
        verbose_name_plural = _("budget years")
        ordering = ["-year"]

    def __str__(self):
        return str(self.year)


def default_budget_year(budget_years) -> BudgetYear | None:
    """Return the year a budget page opens on: this year if it has a budget, else the latest."""
    budget_years = list(budget_years)
    this_year = timezone.localdate().year
    current = next((by for by in budget_years if by.year == this_year), None)
    return current or max(budget_years, key=lambda by: by.year, default=None)


class KindAllocation(models.Model):
    """A budget line for a kind: an amount for each of its groups."""

    budget_year = models.ForeignKey(
        BudgetYear,
        on_delete=models.CASCADE,
        related_name="kind_allocations",
        verbose_name=_("budget year"),
    )
    kind = models.ForeignKey(
        NetworkKind, on_delete=models.PROTECT, related_name="allocations", verbose_name=_("kind")
    )
    amount_per_group = money_field(_("amount per group"))
    description = models.TextField(
        _("description"), blank=True, help_text=_("How the money is handled and what it is for.")
    )

    class Meta:
        verbose_name = _("allocation per kind")
        verbose_name_plural = _("allocations per kind")
        ordering = ["budget_year", "kind__order"]
        constraints = [
            models.UniqueConstraint(fields=["budget_year", "kind"], name="one_line_per_kind")
        ]

    def __str__(self):
        return f"{self.kind} {self.budget_year}"


class GroupAllocation(models.Model):
    """An override of one group's allocation; without one, the group gets its kind's amount."""

    budget_year = models.ForeignKey(
        BudgetYear,
        on_delete=models.CASCADE,
        related_name="group_allocations",
        verbose_name=_("budget year"),
    )
    group = models.ForeignKey(
        NetworkGroup,
        on_delete=models.PROTECT,
        related_name="allocations",
        verbose_name=_("group"),
    )
    amount = money_field(_("amount"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("allocation for a group")
        verbose_name_plural = _("allocations for groups")
        constraints = [
            models.UniqueConstraint(fields=["budget_year", "group"], name="one_override_per_group")
        ]

    def __str__(self):
        return f"{self.group} {self.budget_year}"


class ExternalFunding(models.Model):
    """Money from outside, e.g. a Leader project, with the administration's co-financing."""

    budget_year = models.ForeignKey(
        BudgetYear,
        on_delete=models.CASCADE,
        related_name="external_funding",
        verbose_name=_("budget year"),
    )
    name = models.CharField(_("name"), max_length=200)
    funder = models.CharField(_("funder"), max_length=200, blank=True)
    amount = money_field(_("amount"))
    co_financing_percent = models.DecimalField(
        _("co-financed by the administration, %"),
        max_digits=5,
        decimal_places=2,
        default=ZERO,
        validators=[MinValueValidator(ZERO), MaxValueValidator(Decimal("100"))],
    )
    period = models.CharField(_("period"), max_length=100, blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("external funding")
        verbose_name_plural = _("external funding")
        ordering = ["budget_year", "name"]

    def __str__(self):
        return self.name

    @property
    def co_financing_amount(self):
        """Return the administration's share in kronor."""
        return (self.amount * self.co_financing_percent / 100).quantize(Decimal("0.01"))


class ExpenseCategory(models.TextChoices):
    HOSTING = "hosting", _("hosting")
    STUDY_VISIT = "study_visit", _("study visit")
    SPEAKER = "speaker", _("speaker")
    MATERIAL = "material", _("material")
    PREMISES = "premises", _("premises")
    OTHER = "other", _("other")


def receipt_path(expense, filename):
    return f"receipts/{expense.budget_year.year}/{expense.group_id}/{filename}"


class BudgetRowQuerySet(models.QuerySet):
    """Rows that a group has in a budget year: expenses and applications."""

    def in_year(self, year: int):
        return self.filter(budget_year__year=year)

    def of_group(self, group_id: int):
        return self.filter(group_id=group_id)


class Expense(models.Model):
    """Money a group spent from its allocation or a grant."""

    budget_year = models.ForeignKey(
        BudgetYear,
        on_delete=models.PROTECT,
        related_name="expenses",
        verbose_name=_("budget year"),
    )
    group = models.ForeignKey(
        NetworkGroup, on_delete=models.PROTECT, related_name="expenses", verbose_name=_("group")
    )
    date = models.DateField(_("date"))
    amount = money_field(_("amount"))
    category = models.CharField(_("category"), max_length=20, choices=ExpenseCategory.choices)
    description = models.CharField(_("description"), max_length=300)
    receipt = models.FileField(_("receipt"), upload_to=receipt_path, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()
    objects = BudgetRowQuerySet.as_manager()

    class Meta:
        verbose_name = _("expense")
        verbose_name_plural = _("expenses")
        ordering = ["-date", "-pk"]

    def __str__(self):
        return f"{self.group} {self.date:%Y-%m-%d} {self.amount} kr"

    def clean(self):
        if self.budget_year_id and self.date and self.date.year != self.budget_year.year:
            raise ValidationError(
                {
                    "date": _("The date must fall in the budget year %(year)s.")
                    % {"year": self.budget_year.year}
                }
            )
        if self.amount is not None and self.amount <= 0:
            raise ValidationError({"amount": _("The amount must be more than 0 kr.")})


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("awaiting decision")
    GRANTED = "granted", _("granted")
    PARTLY_GRANTED = "partly_granted", _("partly granted")
    DECLINED = "declined", _("declined")


class ApplicationQuerySet(BudgetRowQuerySet):
    def granted(self):
        return self.filter(status__in=(ApplicationStatus.GRANTED, ApplicationStatus.PARTLY_GRANTED))

    def undecided(self):
        return self.filter(status=ApplicationStatus.SUBMITTED)

    def with_status(self, status: str):
        return self.filter(status=status)


class Application(models.Model):
    """An application for the pooled funds, made by a group and decided by the developer."""

    budget_year = models.ForeignKey(
        BudgetYear,
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("budget year"),
    )
    group = models.ForeignKey(
        NetworkGroup,
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("group"),
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("applicant"),
    )
    amount_requested = money_field(_("amount applied for"))
    purpose = models.TextField(_("purpose"))
    activity = models.ForeignKey(
        Activity,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name=_("activity"),
    )
    activity_description = models.CharField(
        _("what it is for"),
        max_length=200,
        blank=True,
        help_text=_("The activity or event the money is for, if it is not in the portal yet."),
    )
    planned_for = models.CharField(_("when"), max_length=100, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.SUBMITTED,
    )
    amount_granted = money_field(_("amount granted"), null=True, blank=True)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    history = HistoricalRecords()
    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("application for pooled funds")
        verbose_name_plural = _("applications for pooled funds")
        ordering = ["-submitted_at", "-pk"]

    def __str__(self):
        return f"{self.group}: {self.amount_requested} kr ({self.budget_year})"

    def get_absolute_url(self):
        return reverse("budget:application_detail", kwargs={"pk": self.pk})

    @property
    def is_decided(self):
        return self.status != ApplicationStatus.SUBMITTED
