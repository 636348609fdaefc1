"""The demo's budget: Borås 2017 exactly as seed 000 §3, and a current year to work in."""

import copy
import datetime
import io
import json
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.http import HttpRequest
from django.urls import reverse

from budget.demo import demo_budget_load
from budget.models import (
    Application,
    ApplicationStatus,
    BudgetYear,
    Expense,
    ExternalFunding,
    GroupAllocation,
    KindAllocation,
)
from budget.money import NBSP
from budget.selectors import budget_overview
from core.demo import DemoDataError

pytestmark = pytest.mark.django_db

D = Decimal
DEMO = settings.BASE_DIR / "demo" / "boras-2017.json"


def load():
    call_command("loaddemo", stdout=io.StringIO())


def kr(amount: str) -> str:
    return amount.replace(" ", NBSP) + f"{NBSP}kr"


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (
            BudgetYear,
            KindAllocation,
            GroupAllocation,
            ExternalFunding,
            Expense,
            Application,
        )
    }


def test_2017_is_seed_000_section_3():
    """Barn och unga 9 × 10 000, områdesnätverk 7 × 10 000, ortsråd 4 × 25 000, 140 000 pooled."""
    load()
    overview = budget_overview(budget_year=BudgetYear.objects.get(year=2017))
    lines = [
        (line.kind.slug, line.group_count, line.amount_per_group, line.allocated)
        for line in overview.kinds
    ]
    assert lines == [
        ("barn-och-unga", 9, D("10000.00"), D("90000.00")),
        ("omradesnatverk", 7, D("10000.00"), D("70000.00")),
        ("ortsrad", 4, D("25000.00"), D("100000.00")),
    ]
    assert overview.pool_amount == D("140000.00")
    assert overview.total == D("400000.00")
    assert "Avser bra värdskap, studiebesök" in overview.kinds[0].description
    assert "Hanteras genom respektive kontaktperson" in overview.kinds[2].description
    assert "Dessa medel ansöks särskilt om." in overview.budget_year.pool_description


def test_2017_page_shows_the_budget_table(client):
    """The 2017 page shows 90 000, 70 000, 100 000 and 140 000 kr and the total 400 000 kr."""
    load()
    # django-axes checks every login against a request.
    assert client.login(request=HttpRequest(), username="chef", password="demo")
    page = client.get(reverse("budget:overview", args=[2017])).content.decode()
    for amount in ("90 000", "70 000", "100 000", "140 000", "400 000"):
        assert kr(amount) in page, amount
    assert f"9 grupper × {kr('10 000')}" in page
    assert f"4 grupper × {kr('25 000')}" in page
    assert "Övriga medel" in page
    assert "Stängt" in page


def test_2017_has_spending_grants_and_a_declined_application():
    """2017 has spending dated in 2017 in every group, a granted and a declined application."""
    load()
    year = BudgetYear.objects.get(year=2017)
    expenses = Expense.objects.filter(budget_year=year)
    assert expenses.values("group").distinct().count() == 20
    assert all(expense.date.year == 2017 for expense in expenses)
    applications = Application.objects.filter(budget_year=year)
    statuses = set(applications.values_list("status", flat=True))
    assert {ApplicationStatus.GRANTED, ApplicationStatus.DECLINED} <= statuses
    declined = applications.get(status=ApplicationStatus.DECLINED)
    assert declined.decision_reason and declined.amount_granted is None
    assert all(app.decided_at.year == 2017 for app in applications)
    overview = budget_overview(budget_year=year)
    assert D("0") < overview.pool_granted <= overview.pool_amount
    assert overview.spent == D("185679.50")


def test_2017_is_closed_and_leader_sjuharad_is_recorded():
    """2017 is closed; the Leader project (1.2 million kr, 2018–2019, half co-financed) is on it."""
    load()
    year = BudgetYear.objects.get(year=2017)
    assert year.is_closed and year.closed_at.date() == datetime.date(2018, 1, 31)
    leader = ExternalFunding.objects.get(budget_year=year)
    assert "Leader Sjuhärad" in leader.name
    assert (leader.amount, leader.period) == (D("1200000.00"), "2018–2019")
    assert leader.co_financing_amount == D("600000.00")


def test_this_year_is_open_with_the_same_lines():
    """This year starts from 2017's lines, open, so that coordinators can record spending now."""
    load()
    this_year = BudgetYear.objects.get(year=datetime.date.today().year)
    assert not this_year.is_closed
    overview = budget_overview(budget_year=this_year)
    assert [line.allocated for line in overview.kinds] == [
        D("90000.00"),
        D("70000.00"),
        D("100000.00"),
    ]
    assert overview.total == D("400000.00")
    assert all(
        expense.date.year == this_year.year
        for expense in Expense.objects.filter(budget_year=this_year)
    )
    assert Application.objects.filter(budget_year=this_year).undecided().exists()


def test_loading_twice_duplicates_nothing():
    """A second load creates no year, line, expense or application."""
    load()
    before = counts()
    load()
    assert counts() == before
    assert before["BudgetYear"] == 2 and before["KindAllocation"] == 6


def test_no_personal_data_in_the_budget_texts():
    """The demo's budget texts name groups and associations, never e-mail addresses or people."""
    data = json.loads(DEMO.read_text(encoding="utf-8"))
    text = json.dumps(data["budget"], ensure_ascii=False)
    assert "@" not in text
    names = {person["name"] for person in data["people"]}
    assert not [name for name in names if name in text]


def test_a_float_amount_is_refused_and_nothing_is_saved():
    """A float in the data is not money: the load stops and saves no part of the budget."""
    data = json.loads(DEMO.read_text(encoding="utf-8"))
    load()
    broken = copy.deepcopy(data["budget"])
    broken["years"][0]["year"] = 2016
    broken["years"][0]["expenses"][0]["amount"] = 1449.5
    before = counts()
    with pytest.raises(DemoDataError):
        demo_budget_load(data={"budget": broken})
    assert counts() == before


def test_a_grant_beyond_the_pool_stops_the_load(tmp_path):
    """Data that would overdraw the pool is refused like any other user: nothing is saved."""
    data = json.loads(DEMO.read_text(encoding="utf-8"))
    data["budget"]["years"][0]["pool_amount"] = "1000"
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(CommandError, match="nothing was saved"):
        call_command("loaddemo", str(path), stdout=io.StringIO())
    assert not BudgetYear.objects.exists()
