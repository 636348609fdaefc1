"""Load the budget of a demo data set (its "budget" section).

Called by `manage.py loaddemo` after the registry and the meetings, in the same transaction.
The section holds whole years – lines per kind, the pooled funds, overrides, external funding,
expenses and applications with their decisions – and a "current_year" that starts this year
from an earlier one's lines, so that coordinators can record spending in the demo today.

A budget year that exists is left as it is (closed or not, edited by staff or not), so loading
twice duplicates nothing. Expenses and applications go through the same services as on the
pages, so a demo year obeys the rules a real one does: dates inside the year, grants within
what the pool has left. Amounts are strings or whole numbers – never floats, which are not money.
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.demo import DemoDataError, LoadSummary
from meetings.models import Activity
from networks.models import NetworkGroup, NetworkKind

from . import services
from .models import (
    Application,
    BudgetYear,
    Expense,
    ExternalFunding,
    GroupAllocation,
)
from .money import to_money

# The hour a demo row is said to have been written on its day.
DEMO_HOUR = 12


def _money(value, what) -> Decimal:
    """Return a demo amount as money: "10000", "1449.50" or 10000; a float is refused."""
    if isinstance(value, (float, bool)) or value is None:
        raise DemoDataError(f"{what}: write the amount as a string or whole number, not {value!r}")
    try:
        return to_money(str(value))
    except InvalidOperation as error:
        raise DemoDataError(f"{what}: {value!r} is not an amount") from error


def _at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(DEMO_HOUR)))


class _Lookup:
    """Find kinds, groups, activities and accounts named in the data, each query once."""

    def __init__(self):
        self.kinds = {kind.slug: kind for kind in NetworkKind.objects.all()}
        self.groups = {
            (group.kind.slug, group.slug): group
            for group in NetworkGroup.objects.select_related("kind")
        }
        self.users = {user.username: user for user in get_user_model().objects.all()}

    def kind(self, slug) -> NetworkKind:
        if slug not in self.kinds:
            raise DemoDataError(f"Unknown kind {slug!r} in the budget")
        return self.kinds[slug]

    def group(self, item) -> NetworkGroup:
        found = self.groups.get((item.get("kind"), item.get("group")))
        if found is None:
            raise DemoDataError(f"Unknown group {item.get('kind')}/{item.get('group')}: {item}")
        return found

    def user(self, username):
        if username is None:
            return None
        if username not in self.users:
            raise DemoDataError(f"Unknown account {username!r}: add it to 'accounts'.")
        return self.users[username]

    def activity(self, group, item) -> Activity | None:
        wanted = item.get("activity")
        if not wanted:
            return None
        start = datetime.date.fromisoformat(wanted["start_date"])
        found = Activity.objects.filter(group=group, type=wanted["type"], start_date=start).first()
        if found is None:
            raise DemoDataError(f"Unknown activity {wanted} of {group}")
        return found


def _day(item, year: int, today: datetime.date) -> datetime.date:
    """Return an item's date: given, or `days_ago` from today but not before 1 January."""
    if "date" in item:
        return datetime.date.fromisoformat(item["date"])
    day = today - datetime.timedelta(days=item["days_ago"])
    return max(day, datetime.date(year, 1, 1))


def _load_items(budget_year, data, lookup, summary, today):
    """Record a year's expenses and applications, and decide those the data decides."""
    for item in data.get("expenses", []):
        day = _day(item, budget_year.year, today)
        expense = services.expense_create(
            budget_year=budget_year,
            created_by=lookup.user(item.get("recorded_by")),
            group=lookup.group(item),
            date=day,
            amount=_money(item["amount"], item["description"]),
            category=item["category"],
            description=item["description"],
        )
        Expense.objects.filter(pk=expense.pk).update(created_at=_at(day))
        summary.count(Expense._meta.verbose_name_plural, True)
    for item in data.get("applications", []):
        group = lookup.group(item)
        application = services.application_create(
            budget_year=budget_year,
            applicant=lookup.user(item.get("applicant")),
            group=group,
            amount_requested=_money(item["amount_requested"], item["purpose"]),
            purpose=item["purpose"],
            activity=lookup.activity(group, item),
            activity_description=item.get("activity_description", ""),
            planned_for=item.get("planned_for", ""),
        )
        summary.count(Application._meta.verbose_name_plural, True)
        submitted = _day(item, budget_year.year, today)
        Application.objects.filter(pk=application.pk).update(submitted_at=_at(submitted))
        decision = item.get("decision")
        if decision:
            services.application_decide(
                application=application,
                amount_granted=_money(decision["amount_granted"], item["purpose"]),
                reason=decision.get("reason", ""),
                decided_by=lookup.user(decision.get("decided_by")),
            )
            decided = datetime.date.fromisoformat(decision["date"])
            Application.objects.filter(pk=application.pk).update(decided_at=_at(decided))


def _load_year(data, lookup, summary, today) -> BudgetYear | None:
    """Create one year with everything in it, unless the year exists; return it if created."""
    year = data["year"]
    if BudgetYear.objects.filter(year=year).exists():
        summary.count(BudgetYear._meta.verbose_name_plural, False)
        return None
    budget_year = services.budget_year_set_up(
        year=year,
        pool_amount=_money(data["pool_amount"], f"pooled funds {year}"),
        pool_description=data.get("pool_description", ""),
        lines={
            lookup.kind(line["kind"]): (
                _money(line["amount_per_group"], f"{line['kind']} {year}"),
                line.get("description", ""),
            )
            for line in data.get("lines", [])
        },
    )
    summary.count(BudgetYear._meta.verbose_name_plural, True)
    _load_overrides_and_funding(budget_year, data, lookup)
    _load_items(budget_year, data, lookup, summary, today)
    if data.get("closed"):
        _close(budget_year, data, lookup)
    return budget_year


def _load_overrides_and_funding(budget_year, data, lookup):
    """Give a new year its groups' own allocations and its external funding."""
    for item in data.get("overrides", []):
        override = GroupAllocation(
            budget_year=budget_year,
            group=lookup.group(item),
            amount=_money(item["amount"], f"override {item}"),
            reason=item.get("reason", ""),
        )
        override.full_clean()
        override.save()
    for item in data.get("external_funding", []):
        funding = ExternalFunding(
            budget_year=budget_year,
            name=item["name"],
            funder=item.get("funder", ""),
            amount=_money(item["amount"], item["name"]),
            co_financing_percent=Decimal(str(item.get("co_financing_percent", "0"))),
            period=item.get("period", ""),
            description=item.get("description", ""),
        )
        funding.full_clean()
        funding.save()


def _close(budget_year, data, lookup):
    """Close a year the data says is closed, on the day it names."""
    services.budget_year_close(
        budget_year=budget_year, closed_by=lookup.user(data.get("closed_by"))
    )
    closed_on = data.get("closed_on")
    if closed_on:
        BudgetYear.objects.filter(pk=budget_year.pk).update(
            closed_at=_at(datetime.date.fromisoformat(closed_on))
        )


def _load_current_year(data, lookup, summary, today):
    """Start this year from an earlier year's lines, with a little spending, unless it exists."""
    year = today.year
    source = BudgetYear.objects.filter(year=data["copy_from"]).first()
    if source is None:
        raise DemoDataError(f"current_year copies {data['copy_from']}, which is not in the data")
    exists = BudgetYear.objects.filter(year=year).exists()
    summary.count(BudgetYear._meta.verbose_name_plural, not exists)
    if exists:
        return
    budget_year = services.budget_year_copy(source=source, year=year)
    _load_items(budget_year, data, lookup, summary, today)


@transaction.atomic
def demo_budget_load(*, data: dict, today: datetime.date | None = None) -> LoadSummary:
    """Load the budget years of a demo data set; leave the years that exist as they are.

    Any error saves nothing.
    """
    summary = LoadSummary()
    section = data.get("budget")
    if not section:
        return summary
    today = today or timezone.localdate()
    lookup = _Lookup()
    try:
        for year_data in section.get("years", []):
            _load_year(year_data, lookup, summary, today)
        current = section.get("current_year")
        if current and today.year not in {item["year"] for item in section.get("years", [])}:
            _load_current_year(current, lookup, summary, today)
    except ValidationError as error:
        raise DemoDataError(f"The budget section breaks a rule: {error}") from error
    return summary
