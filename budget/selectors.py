"""Reads of the budget that span apps: the overview the pages, the CSV and the report share."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q

from networks.models import NetworkGroup, NetworkKind

from .models import (
    ZERO,
    Application,
    BudgetYear,
    Expense,
    ExternalFunding,
    GroupAllocation,
    KindAllocation,
    sum_of,
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

    @property
    def co_financing(self) -> Decimal:
        """Return the administration's share of all external funding, in kronor."""
        return sum((item.co_financing_amount for item in self.external), Decimal("0.00"))


def budget_overview(*, budget_year: BudgetYear) -> BudgetOverview:
    """Return allocated, granted, spent and remaining per group, per kind and in total.

    A group's allocation is its override for the year, else its kind's amount per group; a
    group counts in a year when its kind has a line that year and the group is active or has
    spending or grants in that year. A group with an override, spending or grants counts even
    when its kind has no line (under a line of 0 kr), so no krona falls out of the totals.
    A fixed number of queries, whatever the size: six.
    """
    lines = list(
        KindAllocation.objects.filter(budget_year=budget_year)
        .select_related("kind")
        .order_by("kind__order", "kind__name")
    )
    overrides = {
        group_id: (amount, reason)
        for group_id, amount, reason in GroupAllocation.objects.filter(
            budget_year=budget_year
        ).values_list("group_id", "amount", "reason")
    }
    spent = dict(
        Expense.objects.filter(budget_year=budget_year)
        .order_by()
        .values("group_id")
        .annotate(total=sum_of("amount"))
        .values_list("group_id", "total")
    )
    granted = dict(
        Application.objects.filter(budget_year=budget_year)
        .granted()
        .order_by()
        .values("group_id")
        .annotate(total=sum_of("amount_granted"))
        .values_list("group_id", "total")
    )
    counted = Q(kind__in=[line.kind_id for line in lines], active=True)
    with_money = set(overrides) | set(spent) | set(granted)
    groups = NetworkGroup.objects.filter(counted | Q(pk__in=with_money)).select_related("kind")

    kinds = {
        line.kind_id: KindLine(
            kind=line.kind, amount_per_group=line.amount_per_group, description=line.description
        )
        for line in lines
    }
    for group in groups.order_by("kind__order", "kind__name", "name"):
        kind_line = kinds.get(group.kind_id)
        if kind_line is None:
            kind_line = kinds[group.kind_id] = KindLine(
                kind=group.kind, amount_per_group=ZERO, description=""
            )
        override = overrides.get(group.pk)
        kind_line.groups.append(
            GroupLine(
                group=group,
                allocated=to_money(override[0] if override else kind_line.amount_per_group),
                granted=to_money(granted.get(group.pk, ZERO)),
                spent=to_money(spent.get(group.pk, ZERO)),
                overridden=override is not None,
                override_reason=override[1] if override else "",
            )
        )
    ordered = sorted(kinds.values(), key=lambda line: (line.kind.order, line.kind.name))
    return BudgetOverview(
        budget_year=budget_year,
        kinds=ordered,
        pool_amount=to_money(budget_year.pool_amount),
        pool_granted=to_money(sum(granted.values(), ZERO)),
        external=list(budget_year.external_funding.all()),
    )
