"""Reads of the budget that span apps: the overview the pages, the CSV and the report share."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import DecimalField, Exists, F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from networks.models import NetworkGroup, NetworkKind

from .models import (
    ZERO,
    Application,
    BudgetYear,
    Expense,
    ExternalFunding,
    GroupAllocation,
    KindAllocation,
)
from .money import to_money


@dataclass
class GroupLine:
    group: NetworkGroup
    allocated: Decimal
    granted: Decimal
    spent: Decimal
    # Whether the allocation is the group's own override for the year, and why.
    overridden: bool = False
    override_reason: str = ""

    @property
    def available(self) -> Decimal:
        return self.allocated + self.granted

    @property
    def remaining(self) -> Decimal:
        return self.available - self.spent

    @property
    def overspent(self) -> bool:
        return self.spent > self.available

    @property
    def overspent_by(self) -> Decimal:
        """Return how much more the group spent than it had, 0.00 when within budget."""
        return max(self.spent - self.available, Decimal("0.00"))


@dataclass
class KindLine:
    kind: NetworkKind
    amount_per_group: Decimal
    description: str
    groups: list[GroupLine] = field(default_factory=list)

    @property
    def group_count(self) -> int:
        return len(self.groups)

    @property
    def allocated(self) -> Decimal:
        return sum((line.allocated for line in self.groups), Decimal("0.00"))

    @property
    def granted(self) -> Decimal:
        return sum((line.granted for line in self.groups), Decimal("0.00"))

    @property
    def spent(self) -> Decimal:
        return sum((line.spent for line in self.groups), Decimal("0.00"))

    @property
    def remaining(self) -> Decimal:
        return self.allocated + self.granted - self.spent

    @property
    def overspent_count(self) -> int:
        return sum(1 for line in self.groups if line.overspent)

    @property
    def override_count(self) -> int:
        return sum(1 for line in self.groups if line.overridden)


@dataclass
class BudgetOverview:
    budget_year: BudgetYear
    kinds: list[KindLine]
    pool_amount: Decimal
    pool_granted: Decimal
    external: list[ExternalFunding]

    @property
    def pool_remaining(self) -> Decimal:
        return self.pool_amount - self.pool_granted

    @property
    def total(self) -> Decimal:
        """Return the year's budget: every kind's allocation plus the pooled funds (§3's total)."""
        return sum((line.allocated for line in self.kinds), Decimal("0.00")) + self.pool_amount

    @property
    def allocated(self) -> Decimal:
        """Return what the kinds' lines give the groups, without the pooled funds."""
        return sum((line.allocated for line in self.kinds), Decimal("0.00"))

    @property
    def granted(self) -> Decimal:
        """Return what groups were granted from the pool (moves money, does not add to it)."""
        return sum((line.granted for line in self.kinds), Decimal("0.00"))

    @property
    def spent(self) -> Decimal:
        return sum((line.spent for line in self.kinds), Decimal("0.00"))

    @property
    def remaining(self) -> Decimal:
        return self.total - self.spent

    @property
    def groups(self) -> list[GroupLine]:
        return [group for line in self.kinds for group in line.groups]

    @property
    def overspent_groups(self) -> list[GroupLine]:
        return [line for line in self.groups if line.overspent]


def _of_year(model_queryset, budget_year):
    """Return the rows of `model_queryset` that belong to the outer group in `budget_year`."""
    return model_queryset.filter(budget_year=budget_year, group=OuterRef("pk"))


def _with_year_money(groups, budget_year):
    """Annotate `groups` with their allocation, grants and spending in `budget_year`.

    A group's allocation is its override for the year, else its kind's amount per group
    (0 kr when its kind has no line that year). One query, however many groups.
    """
    money = DecimalField(max_digits=12, decimal_places=2)
    override = _of_year(GroupAllocation.objects.all(), budget_year)
    kind_amount = KindAllocation.objects.filter(budget_year=budget_year, kind=OuterRef("kind"))
    spent = _of_year(Expense.objects.all(), budget_year).values("group")
    granted = _of_year(Application.objects.granted(), budget_year).values("group")
    return groups.select_related("kind").annotate(
        override_amount=Subquery(override.values("amount")[:1], output_field=money),
        override_reason=Subquery(override.values("reason")[:1]),
        allocated=Coalesce(
            F("override_amount"),
            Subquery(kind_amount.values("amount_per_group")[:1], output_field=money),
            Value(ZERO),
            output_field=money,
        ),
        spent_total=Coalesce(
            Subquery(spent.annotate(total=Sum("amount")).values("total"), output_field=money),
            Value(ZERO),
            output_field=money,
        ),
        granted_total=Coalesce(
            Subquery(
                granted.annotate(total=Sum("amount_granted")).values("total"), output_field=money
            ),
            Value(ZERO),
            output_field=money,
        ),
    )


def _line_of(group) -> GroupLine:
    return GroupLine(
        group=group,
        allocated=to_money(group.allocated),
        granted=to_money(group.granted_total),
        spent=to_money(group.spent_total),
        overridden=group.override_amount is not None,
        override_reason=group.override_reason or "",
    )


def group_lines(*, budget_year: BudgetYear, groups) -> list[GroupLine]:
    """Return allocated, granted, spent and remaining for each of `groups` in `budget_year`."""
    return [_line_of(group) for group in _with_year_money(groups, budget_year)]


def budget_overview(*, budget_year: BudgetYear) -> BudgetOverview:
    """Return allocated, granted, spent and remaining per group, per kind and in total.

    A group counts in a year when its kind has a line that year and the group is active. A
    group with an override, spending or grants counts even when inactive or when its kind has
    no line (under a line of 0 kr), so no krona falls out of the totals.
    A fixed number of queries, whatever the size: three.
    """
    lines = list(
        KindAllocation.objects.filter(budget_year=budget_year)
        .select_related("kind")
        .order_by("kind__order", "kind__name")
    )
    counted = (
        Q(kind__in=[line.kind_id for line in lines], active=True)
        | Exists(_of_year(GroupAllocation.objects.all(), budget_year))
        | Exists(_of_year(Expense.objects.all(), budget_year))
        | Exists(_of_year(Application.objects.granted(), budget_year))
    )
    groups = _with_year_money(NetworkGroup.objects.filter(counted), budget_year).order_by(
        "kind__order", "kind__name", "name"
    )

    kinds = {
        line.kind_id: KindLine(
            kind=line.kind, amount_per_group=line.amount_per_group, description=line.description
        )
        for line in lines
    }
    for group in groups:
        kind_line = kinds.get(group.kind_id)
        if kind_line is None:
            kind_line = kinds[group.kind_id] = KindLine(
                kind=group.kind, amount_per_group=ZERO, description=""
            )
        kind_line.groups.append(_line_of(group))
    ordered = sorted(kinds.values(), key=lambda line: (line.kind.order, line.kind.name))
    return BudgetOverview(
        budget_year=budget_year,
        kinds=ordered,
        pool_amount=to_money(budget_year.pool_amount),
        pool_granted=sum((line.granted for line in ordered), ZERO),
        external=list(budget_year.external_funding.all()),
    )
