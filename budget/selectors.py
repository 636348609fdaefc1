"""Reads of the budget that span apps: the overview the pages, the CSV and the report share."""

from dataclasses import dataclass, field
from decimal import Decimal

from networks.models import NetworkGroup, NetworkKind

from .models import BudgetYear, ExternalFunding


@dataclass
class GroupLine:
    group: NetworkGroup
    allocated: Decimal
    granted: Decimal
    spent: Decimal

    @property
    def available(self) -> Decimal:
        return self.allocated + self.granted

    @property
    def remaining(self) -> Decimal:
        return self.available - self.spent

    @property
    def overspent(self) -> bool:
        return self.spent > self.available


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
    def spent(self) -> Decimal:
        return sum((line.spent for line in self.kinds), Decimal("0.00"))

    @property
    def remaining(self) -> Decimal:
        return self.total - self.spent


def budget_overview(*, budget_year: BudgetYear) -> BudgetOverview:
    """Return allocated, granted, spent and remaining per group, per kind and in total.

    A group's allocation is its override for the year, else its kind's amount per group; a
    group counts in a year when its kind has a line that year and the group is active or has
    spending or grants in that year. A fixed number of queries, whatever the size.
    """
    raise NotImplementedError("being written")
