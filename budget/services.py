"""Writes to the budget. Every change checks that its year is open, inside a transaction that
locks the year's row, so that closing a year and granting from the pool cannot race anything."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.services import model_update

from .models import (
    ZERO,
    Application,
    ApplicationStatus,
    BudgetYear,
    Expense,
    KindAllocation,
    sum_of,
)
from .money import format_sek


def _locked_open_year(budget_year_id) -> BudgetYear:
    """Lock the year's row until the transaction ends and refuse if the year is closed."""
    year = BudgetYear.objects.select_for_update().get(pk=budget_year_id)
    if year.is_closed:
        raise ValidationError(
            _("The budget year %(year)s is closed: nothing in it can be changed.")
            % {"year": year.year},
            code="closed",
        )
    return year


@transaction.atomic
def budget_year_create(
    *, year: int, pool_amount: Decimal, kind_amounts: dict, pool_description: str = ""
) -> BudgetYear:
    """Create a year's budget: an amount per group for each kind, and the pooled funds."""
    budget_year = BudgetYear(year=year, pool_amount=pool_amount, pool_description=pool_description)
    budget_year.full_clean()
    budget_year.save()
    for kind, amount in kind_amounts.items():
        line = KindAllocation(budget_year=budget_year, kind=kind, amount_per_group=amount)
        line.full_clean()
        line.save()
    return budget_year


@transaction.atomic
def budget_year_copy(*, source: BudgetYear, year: int) -> BudgetYear:
    """Start a new year with the same lines and pooled funds as `source`."""
    budget_year = budget_year_create(
        year=year,
        pool_amount=source.pool_amount,
        pool_description=source.pool_description,
        kind_amounts={line.kind: line.amount_per_group for line in source.kind_allocations.all()},
    )
    for line in source.kind_allocations.all():
        KindAllocation.objects.filter(budget_year=budget_year, kind=line.kind).update(
            description=line.description
        )
    return budget_year


@transaction.atomic
def budget_year_close(*, budget_year: BudgetYear, closed_by) -> BudgetYear:
    """Close a year: its spending and decisions can no longer change."""
    year = _locked_open_year(budget_year.pk)
    year.is_closed = True
    year.closed_at = timezone.now()
    year.closed_by = closed_by
    year.save()
    return year


@transaction.atomic
def expense_create(*, budget_year: BudgetYear, created_by=None, **values) -> Expense:
    """Record an expense of a group in an open year."""
    _locked_open_year(budget_year.pk)
    expense = Expense(budget_year=budget_year, created_by=created_by, **values)
    expense.full_clean()
    expense.save()
    return expense


# What a change may set: never the budget year (the date must stay in it) nor who recorded it.
EXPENSE_FIELDS = ("group", "date", "amount", "category", "description", "receipt")


@transaction.atomic
def expense_update(*, expense: Expense, **values) -> Expense:
    """Change an expense while its year is open."""
    _locked_open_year(expense.budget_year_id)
    return model_update(instance=expense, fields=EXPENSE_FIELDS, data=values)


@transaction.atomic
def expense_delete(*, expense: Expense) -> None:
    """Remove an expense recorded by mistake, while its year is open."""
    _locked_open_year(expense.budget_year_id)
    expense.delete()


@transaction.atomic
def application_create(*, budget_year: BudgetYear, applicant=None, **values) -> Application:
    """Apply for pooled funds for a group in an open year."""
    _locked_open_year(budget_year.pk)
    application = Application(budget_year=budget_year, applicant=applicant, **values)
    application.full_clean()
    application.save()
    return application


def pool_granted(budget_year_id) -> Decimal:
    """Return how much of the year's pooled funds has been granted."""
    return (
        Application.objects.filter(budget_year_id=budget_year_id)
        .granted()
        .aggregate(total=sum_of("amount_granted"))["total"]
    )


@transaction.atomic
def application_decide(
    *, application: Application, amount_granted: Decimal, reason: str, decided_by
) -> Application:
    """Grant all or part of an application, or decline it (amount 0, with a reason).

    The year's row is locked first, so two decisions at the same moment are made one after
    the other and the second sees the first's grant: a grant never exceeds what is left.
    """
    year = _locked_open_year(application.budget_year_id)
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.is_decided:
        raise ValidationError(_("The application has already been decided."), code="decided")
    if amount_granted < ZERO:
        raise ValidationError({"amount_granted": _("The amount cannot be negative.")})
    if amount_granted > application.amount_requested:
        raise ValidationError(
            {
                "amount_granted": _("You cannot grant more than was applied for (%(amount)s).")
                % {"amount": format_sek(application.amount_requested)}
            }
        )
    remaining = year.pool_amount - pool_granted(year.pk)
    if amount_granted > remaining:
        raise ValidationError(
            {
                "amount_granted": _("Only %(amount)s is left in the pooled funds.")
                % {"amount": format_sek(remaining)}
            },
            code="overdrawn",
        )
    if amount_granted == ZERO:
        if not reason.strip():
            raise ValidationError({"decision_reason": _("Say why the application is declined.")})
        application.status = ApplicationStatus.DECLINED
        application.amount_granted = None
    else:
        application.status = (
            ApplicationStatus.GRANTED
            if amount_granted == application.amount_requested
            else ApplicationStatus.PARTLY_GRANTED
        )
        application.amount_granted = amount_granted
    application.decision_reason = reason
    application.decided_by = decided_by
    application.decided_at = timezone.now()
    application.full_clean()
    application.save()
    return application


@transaction.atomic
def budget_year_set_up(
    *, year: int, pool_amount: Decimal, pool_description: str = "", lines: dict
) -> BudgetYear:
    """Create a year's budget with a text for each line: `lines` maps kind → (amount, text).

    The year-setup page uses it, so a line's description (what the money is for, how it is
    handled) carries over from the previous year like its amount.
    """
    budget_year = budget_year_create(
        year=year,
        pool_amount=pool_amount,
        pool_description=pool_description,
        kind_amounts={kind: amount for kind, (amount, _text) in lines.items()},
    )
    for kind, (_amount, text) in lines.items():
        KindAllocation.objects.filter(budget_year=budget_year, kind=kind).update(description=text)
    return budget_year
