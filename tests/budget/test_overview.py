"""The budget overview: its figures, its page, its CSV, setting up and closing years, the admin."""

import csv
import datetime
import io
import re
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse

from budget import services
from budget.models import ApplicationStatus, BudgetYear, KindAllocation
from budget.money import NBSP
from budget.selectors import budget_overview
from budget.views import NO_BUDGET_ACCESS
from core.years import FIRST_YEAR, LAST_YEAR
from networks.permissions import Role
from tests.factories.accounts import coordinator_of, member_of, user_with_role
from tests.factories.budget import (
    ApplicationFactory,
    BudgetYearFactory,
    ExpenseFactory,
    GroupAllocationFactory,
    KindAllocationFactory,
)
from tests.factories.networks import NetworkGroupFactory, NetworkKindFactory
from tests.text import error_codes, sv

pytestmark = pytest.mark.django_db

D = Decimal


def kr(text):
    """Write `text` the way the page does: non-breaking spaces inside amounts and before kr."""
    return re.sub(r"(?<=\d) (?=\d|kr\b)", NBSP, text)


@pytest.fixture
def year():
    """2017 with one kind of three groups at 10 000 kr and 140 000 kr pooled funds."""
    budget_year = BudgetYearFactory(year=2017)
    kind = NetworkKindFactory(name="Områdesnätverk")
    KindAllocationFactory(budget_year=budget_year, kind=kind, amount_per_group=D("10000"))
    groups = [NetworkGroupFactory(kind=kind, name=name) for name in ("Hulta", "Norrby", "Sjöbo")]
    return budget_year, kind, groups


def line_of(overview, group):
    return next(line for line in overview.groups if line.group == group)


# --- the figures ----------------------------------------------------------------------------


def test_allocation_defaults_from_the_kind_and_can_be_overridden(year):
    """A group gets its kind's amount unless it has an override for the year."""
    budget_year, _kind, (hulta, norrby, sjobo) = year
    GroupAllocationFactory(budget_year=budget_year, group=norrby, amount=D("15000"), reason="Två")
    overview = budget_overview(budget_year=budget_year)
    assert line_of(overview, hulta).allocated == D("10000.00")
    assert line_of(overview, norrby).allocated == D("15000.00")
    assert line_of(overview, norrby).overridden and line_of(overview, norrby).override_reason
    assert not line_of(overview, hulta).overridden
    assert overview.kinds[0].allocated == D("35000.00")
    assert overview.total == D("175000.00")


def test_granted_counts_only_granted_and_partly_granted(year):
    """Undecided and declined applications give nothing; partial grants give what was granted."""
    budget_year, _kind, (hulta, norrby, _sjobo) = year
    ApplicationFactory(budget_year=budget_year, group=hulta, granted=True)
    ApplicationFactory(
        budget_year=budget_year,
        group=hulta,
        status=ApplicationStatus.PARTLY_GRANTED,
        amount_requested=D("9000"),
        amount_granted=D("4500.50"),
    )
    ApplicationFactory(budget_year=budget_year, group=norrby, declined=True)
    ApplicationFactory(budget_year=budget_year, group=norrby)
    overview = budget_overview(budget_year=budget_year)
    assert line_of(overview, hulta).granted == D("24500.50")
    assert line_of(overview, norrby).granted == D("0.00")
    assert overview.pool_granted == D("24500.50")
    assert overview.pool_remaining == D("115499.50")


def test_spent_remaining_and_overspent_per_group(year):
    """Spending lowers what is left; a group that spends more than it had is flagged."""
    budget_year, _kind, (hulta, norrby, sjobo) = year
    ExpenseFactory(budget_year=budget_year, group=hulta, amount=D("4000"))
    ExpenseFactory(budget_year=budget_year, group=norrby, amount=D("10000"))
    ExpenseFactory(budget_year=budget_year, group=sjobo, amount=D("10000.01"))
    overview = budget_overview(budget_year=budget_year)
    assert line_of(overview, hulta).remaining == D("6000.00")
    assert not line_of(overview, norrby).overspent  # exactly all of it is not too much
    assert line_of(overview, sjobo).overspent
    assert line_of(overview, sjobo).overspent_by == D("0.01")
    assert [line.group for line in overview.overspent_groups] == [sjobo]
    assert overview.kinds[0].overspent_count == 1


def test_a_grant_covers_spending_beyond_the_allocation(year):
    """Money granted from the pool is the group's to spend: spending it is not overspending."""
    budget_year, _kind, (hulta, _norrby, _sjobo) = year
    ApplicationFactory(
        budget_year=budget_year, group=hulta, granted=True, amount_requested=D("5000")
    )
    ExpenseFactory(budget_year=budget_year, group=hulta, amount=D("14000"))
    line = line_of(budget_overview(budget_year=budget_year), hulta)
    assert (line.available, line.remaining, line.overspent) == (D("15000"), D("1000"), False)


def test_only_the_years_own_money_counts(year):
    """Spending and grants of another year, and inactive groups without money, are left out."""
    budget_year, kind, (hulta, _norrby, _sjobo) = year
    other_year = BudgetYearFactory(year=2018)
    ExpenseFactory(budget_year=other_year, group=hulta, amount=D("999"))
    ApplicationFactory(budget_year=other_year, group=hulta, granted=True)
    NetworkGroupFactory(kind=kind, name="Nedlagd", active=False)
    overview = budget_overview(budget_year=budget_year)
    assert [line.group.name for line in overview.groups] == ["Hulta", "Norrby", "Sjöbo"]
    assert overview.spent == D("0.00") and overview.pool_granted == D("0.00")


def test_money_outside_the_lines_still_counts(year):
    """An inactive group that spent, and a group of a kind without a line, stay in the totals."""
    budget_year, kind, _groups = year
    closed_down = NetworkGroupFactory(kind=kind, name="Nedlagd", active=False)
    ExpenseFactory(budget_year=budget_year, group=closed_down, amount=D("500"))
    stray = NetworkGroupFactory(kind=NetworkKindFactory(name="Ortsråd"), name="Fristad")
    ExpenseFactory(budget_year=budget_year, group=stray, amount=D("700"))
    overview = budget_overview(budget_year=budget_year)
    assert line_of(overview, closed_down).spent == D("500.00")
    assert line_of(overview, stray).allocated == D("0.00")
    assert line_of(overview, stray).overspent
    assert overview.spent == D("1200.00")


def test_totals_add_up_exactly(year):
    """Öre never go astray: every total is the exact sum of its parts."""
    budget_year, _kind, (hulta, norrby, sjobo) = year
    for group, amounts in ((hulta, ["0.10", "0.20"]), (norrby, ["3333.33"] * 3), (sjobo, [])):
        for amount in amounts:
            ExpenseFactory(budget_year=budget_year, group=group, amount=D(amount))
    ApplicationFactory(
        budget_year=budget_year, group=sjobo, granted=True, amount_requested=D("0.01")
    )
    overview = budget_overview(budget_year=budget_year)
    assert line_of(overview, hulta).spent == D("0.30")
    assert line_of(overview, norrby).spent == D("9999.99")
    assert overview.spent == D("10000.29")
    group_remaining = sum((line.remaining for line in overview.groups), D("0"))
    assert group_remaining + overview.pool_remaining == overview.remaining
    assert overview.total == overview.allocated + overview.pool_amount == D("170000.00")
    assert overview.remaining == D("159999.71")
    for amount in (overview.total, overview.spent, overview.remaining, overview.pool_remaining):
        assert isinstance(amount, Decimal) and amount.as_tuple().exponent == -2


def test_external_funding_and_its_co_financing(year):
    """External funding is listed with the administration's share, outside the budget total."""
    budget_year, _kind, _groups = year
    budget_year.external_funding.create(
        name="Leader Sjuhärad",
        amount=D("1200000"),
        co_financing_percent=D("50"),
        period="2018–2019",
    )
    overview = budget_overview(budget_year=budget_year)
    assert [item.name for item in overview.external] == ["Leader Sjuhärad"]
    assert overview.external[0].co_financing_amount == D("600000.00")
    assert overview.total == D("170000.00")


def build_budget(group_count):
    """Make a year with `group_count` groups in three kinds, each with spending and grants."""
    budget_year = BudgetYearFactory(year=2017, pool_amount=D("99999999"))
    kinds = NetworkKindFactory.create_batch(3)
    for kind in kinds:
        KindAllocationFactory(budget_year=budget_year, kind=kind)
    for n in range(group_count):
        group = NetworkGroupFactory(kind=kinds[n % 3])
        ExpenseFactory.create_batch(2, budget_year=budget_year, group=group)
        ApplicationFactory(budget_year=budget_year, group=group, granted=True)
        if n % 5 == 0:
            GroupAllocationFactory(budget_year=budget_year, group=group)
    budget_year.external_funding.create(name="Leader", amount=D("1000"))
    return budget_year


# kind lines + the groups with their year's money (subqueries) + external funding
OVERVIEW_QUERIES = 3
# session + user + the user's role (auth groups, organisation and forums in one query; the
# network developer coordinates no group of their own) + the year + the years for the
# switcher + the undecided applications (the developer's button) + the municipality (context
# processor)
PAGE_QUERIES = 7 + OVERVIEW_QUERIES


@pytest.mark.parametrize("group_count", [20, 200])
def test_overview_query_count_does_not_grow(client, group_count, query_count):
    """At 20 and at 200 groups the overview and its page run the same few queries."""
    budget_year = build_budget(group_count)
    overview, queries = query_count(budget_overview, budget_year=budget_year)
    assert queries == OVERVIEW_QUERIES
    # The lines are computed: reading them costs no query.
    _, queries = query_count(lambda: [line.group_count for line in overview.kinds])
    assert queries == 0
    assert len(overview.groups) == group_count
    assert sum(line.group_count for line in overview.kinds) == group_count

    client.force_login(user_with_role(Role.NETWORK_DEVELOPER))
    queries, _content = query_count.page(client, reverse("budget:overview", args=[2017]))
    assert queries == PAGE_QUERIES


# --- who may see it -------------------------------------------------------------------------


def test_the_public_is_sent_to_log_in(client, year):
    """A visitor who is not logged in is asked to log in for the overview and the CSV."""
    for url in (
        reverse("budget:overview_current"),
        reverse("budget:overview", args=[2017]),
        reverse("budget:overview_csv", args=[2017]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_a_logged_in_user_without_a_role_is_told_why_not(client, year):
    """An account without a portal role gets a Swedish 403 that says whom the budget is for."""
    client.force_login(get_user_model().objects.create_user("someone", password="pw"))
    for url in (
        reverse("budget:overview", args=[2017]),
        reverse("budget:overview_csv", args=[2017]),
    ):
        response = client.get(url)
        assert response.status_code == 403
        assert sv(NO_BUDGET_ACCESS) in response.content.decode()
        assert "10 000" not in response.content.decode()


@pytest.mark.parametrize(
    "role", [Role.ADMINISTRATOR, Role.NETWORK_DEVELOPER, Role.HEAD_OF_ADMINISTRATION]
)
def test_every_staff_role_sees_the_overview(client, year, role):
    """Administrator, network developer and head of administration all read the figures."""
    client.force_login(user_with_role(role))
    response = client.get(reverse("budget:overview", args=[2017]))
    assert response.status_code == 200
    assert kr("30 000 kr") in response.content.decode()


def test_a_coordinator_sees_the_overview_and_what_is_left_for_their_group(client, year):
    """A coordinator reads the overview, with their own group's remaining money first."""
    budget_year, _kind, (hulta, _norrby, _sjobo) = year
    ExpenseFactory(budget_year=budget_year, group=hulta, amount=D("1250"))
    client.force_login(coordinator_of(hulta))
    page = client.get(reverse("budget:overview", args=[2017])).content.decode()
    assert "Dina grupper" in page
    assert kr("8 750 kr kvar av 10 000 kr") in page
    assert "Registrera en utgift" in page
    assert reverse("budget:year_close", args=[2017]) not in page


def test_overview_current_goes_to_this_year_or_the_latest(client, year):
    """The budget menu opens this year's budget, or the latest year when this one has none."""
    client.force_login(user_with_role(Role.HEAD_OF_ADMINISTRATION))
    response = client.get(reverse("budget:overview_current"))
    assert response["Location"] == reverse("budget:overview", args=[2017])
    this_year = datetime.date.today().year
    BudgetYearFactory(year=this_year)
    response = client.get(reverse("budget:overview_current"))
    assert response["Location"] == reverse("budget:overview", args=[this_year])


def test_without_any_year_the_developer_is_offered_to_set_one_up(client):
    """With no budget yet the page says so, and the developer gets a link to set one up."""
    client.force_login(user_with_role(Role.NETWORK_DEVELOPER))
    page = client.get(reverse("budget:overview_current")).content.decode()
    assert "Inget budgetår är upplagt ännu" in page
    assert reverse("budget:year_create") in page


def test_an_unknown_year_is_not_found(client, year):
    client.force_login(user_with_role(Role.HEAD_OF_ADMINISTRATION))
    assert client.get(reverse("budget:overview", args=[1999])).status_code == 404


# --- the page -------------------------------------------------------------------------------


def test_page_shows_the_lines_the_groups_and_flags_overspending_in_words(client, year):
    """The page shows §3's layout, each group's figures and an overspent group in words."""
    budget_year, _kind, (hulta, _norrby, sjobo) = year
    ExpenseFactory(budget_year=budget_year, group=sjobo, amount=D("10830"))
    client.force_login(user_with_role(Role.HEAD_OF_ADMINISTRATION))
    page = client.get(reverse("budget:overview", args=[2017])).content.decode()
    assert kr("3 grupper × 10 000 kr") in page
    assert kr("140 000 kr") in page
    assert kr("170 000 kr") in page  # the total: 30 000 + 140 000
    assert kr("Överskridet med 830 kr") in page or kr("överskridet med 830 kr") in page
    assert "1 grupp har använt mer pengar än den hade" in page
    assert 'scope="row"' in page and "<caption" in page
    assert 'role="region"' in page and 'tabindex="0"' in page


def test_a_closed_year_is_shown_as_closed(client, year):
    """A closed year says so on its page and in the year switcher, and offers no closing."""
    budget_year, _kind, _groups = year
    BudgetYearFactory(year=2018)
    services.budget_year_close(budget_year=budget_year, closed_by=None)
    client.force_login(user_with_role(Role.NETWORK_DEVELOPER))
    page = client.get(reverse("budget:overview", args=[2017])).content.decode()
    assert "Stängt" in page and "kan inte längre ändras" in page
    assert "2017 <span" in page and "(stängt)" in page
    assert reverse("budget:year_close", args=[2017]) not in page
    open_page = client.get(reverse("budget:overview", args=[2018])).content.decode()
    assert reverse("budget:year_close", args=[2018]) in open_page


# --- the CSV --------------------------------------------------------------------------------


def test_csv_opens_in_swedish_excel(client, year):
    """The CSV is UTF-8 with BOM, semicolons, a decimal comma, Swedish headings, a row per group."""
    budget_year, _kind, (hulta, norrby, _sjobo) = year
    ExpenseFactory(budget_year=budget_year, group=hulta, amount=D("1449.50"))
    ExpenseFactory(budget_year=budget_year, group=norrby, amount=D("10830"))
    ApplicationFactory(budget_year=budget_year, group=hulta, granted=True)
    client.force_login(user_with_role(Role.HEAD_OF_ADMINISTRATION))
    response = client.get(reverse("budget:overview_csv", args=[2017]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="budget-2017.csv"'
    raw = response.content
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    assert "\r\n" in text
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0] == [
        "Nivå",
        "Nätverkstyp",
        "Grupp",
        "Tilldelat",
        "Beviljat ur övriga medel",
        "Förbrukat",
        "Kvar",
        "Överskridet",
    ]
    by_group = {row[2]: row for row in rows if row[0] == "Grupp"}
    assert set(by_group) == {"Hulta", "Norrby", "Sjöbo"}
    assert by_group["Hulta"][3:] == ["10000,00", "20000,00", "1449,50", "28550,50", "Nej"]
    assert by_group["Norrby"][3:] == ["10000,00", "0,00", "10830,00", "-830,00", "Ja"]
    kind_row = next(row for row in rows if row[0] == "Nätverkstyp")
    assert kind_row[1:4] == ["Områdesnätverk", "", "30000,00"]
    assert rows[-2][0] == "Övriga medel" and rows[-2][3] == "140000,00"
    assert rows[-1][0] == "Totalt" and rows[-1][3] == "170000,00" and rows[-1][5] == "12279,50"
    # No thousands separator anywhere: Excel would read "10 000,00" as text.
    assert NBSP not in text and not any(" " in cell for row in rows[1:] for cell in row[3:7])


def test_csv_cannot_smuggle_a_formula_into_excel(client, year):
    """A group name that looks like a formula is written as text."""
    budget_year, kind, _groups = year
    NetworkGroupFactory(kind=kind, name="=HYPERLINK(1)")
    client.force_login(user_with_role(Role.HEAD_OF_ADMINISTRATION))
    text = client.get(reverse("budget:overview_csv", args=[2017])).content.decode("utf-8-sig")
    assert ";'=HYPERLINK(1);" in text


# --- setting up a year ----------------------------------------------------------------------


def year_post(kind, **values):
    data = {
        "year": "2018",
        f"amount_{kind.pk}": "12 500",
        f"description_{kind.pk}": "Värdskap och studiebesök.",
        "pool_amount": "150 000,50",
        "pool_description": "Ansöks särskilt om.",
    }
    data.update(values)
    return data


def test_the_form_starts_from_the_latest_year(client, year):
    """The set-up form is filled in from the latest year: next year, amounts, texts."""
    budget_year, kind, _groups = year
    KindAllocation.objects.filter(kind=kind).update(description="Hanteras inom gruppen.")
    client.force_login(user_with_role(Role.NETWORK_DEVELOPER))
    page = client.get(reverse("budget:year_create")).content.decode()
    assert 'value="2018"' in page
    assert f'value="{kr("10 000")}"' in page
    assert f'value="{kr("140 000")}"' in page
    assert "Hanteras inom gruppen." in page
    assert "3 aktiva grupper" in page


def test_the_developer_sets_up_a_year_in_one_form(client, year):
    """Amounts typed the Swedish way create the year with its lines and texts."""
    _budget_year, kind, _groups = year
    client.force_login(user_with_role(Role.NETWORK_DEVELOPER))
    response = client.post(reverse("budget:year_create"), year_post(kind))
    assert response.status_code == 302
    assert response["Location"] == reverse("budget:overview", args=[2018])
    created = BudgetYear.objects.get(year=2018)
    assert created.pool_amount == D("150000.50")
    line = created.kind_allocations.get()
    assert (line.kind, line.amount_per_group) == (kind, D("12500.00"))
    assert line.description == "Värdskap och studiebesök."
    assert budget_overview(budget_year=created).total == D("187500.50")


def test_a_kind_left_empty_gets_no_line(client, year):
    _budget_year, kind, _groups = year
    client.force_login(user_with_role(Role.NETWORK_DEVELOPER))
    client.post(reverse("budget:year_create"), year_post(kind, **{f"amount_{kind.pk}": ""}))
    assert not BudgetYear.objects.get(year=2018).kind_allocations.exists()


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"year": "2017"}, "year", "exists"),
        ({"year": "1999"}, "year", "min_value"),
        ({"year": "2101"}, "year", "max_value"),
        ({"pool_amount": "tio"}, "pool_amount", "invalid"),
        ({"pool_amount": "-5"}, "pool_amount", "min_value"),
        ({"amount": "10,5,5"}, "amount", "invalid"),
    ],
)
def test_a_wrong_form_saves_nothing_and_says_why(client, year, changes, field, code):
    """An existing year, a year out of bounds or a wrong amount is refused beside its field;
    nothing is saved."""
    _budget_year, kind, _groups = year
    if "amount" in changes:
        changes = {f"amount_{kind.pk}": changes.pop("amount")}
        field = f"amount_{kind.pk}"
    client.force_login(user_with_role(Role.NETWORK_DEVELOPER))
    response = client.post(reverse("budget:year_create"), year_post(kind, **changes))
    assert response.status_code == 200
    assert error_codes(response, field) == [code]
    assert sv("Nothing was saved. Please correct the following:") in response.content.decode()
    assert list(BudgetYear.objects.values_list("year", flat=True)) == [2017]


@pytest.mark.parametrize("typed", ["1999", "2101"])
def test_a_year_out_of_bounds_is_told_the_bounds(client, year, typed):
    """A year before the first or after the last the portal keeps is refused naming both."""
    _budget_year, kind, _groups = year
    client.force_login(user_with_role(Role.NETWORK_DEVELOPER))
    response = client.post(reverse("budget:year_create"), year_post(kind, year=typed))
    assert response.context["form"].errors["year"] == [
        sv("Write a year from %(first)s to %(last)s.", first=FIRST_YEAR, last=LAST_YEAR)
    ]


@pytest.mark.parametrize("role", [Role.HEAD_OF_ADMINISTRATION, Role.COORDINATOR])
def test_only_the_developer_sets_up_and_closes_years(client, year, role):
    """The head of administration and coordinators can neither set up nor close a year."""
    budget_year, kind, (hulta, _norrby, _sjobo) = year
    user = coordinator_of(hulta) if role == Role.COORDINATOR else user_with_role(role)
    client.force_login(user)
    assert client.get(reverse("budget:year_create")).status_code == 403
    assert client.post(reverse("budget:year_create"), year_post(kind)).status_code == 403
    assert client.post(reverse("budget:year_close", args=[2017])).status_code == 403
    budget_year.refresh_from_db()
    assert not budget_year.is_closed
    assert not BudgetYear.objects.filter(year=2018).exists()


# --- closing a year -------------------------------------------------------------------------


def test_closing_asks_first_then_locks_the_year(client, year):
    """Closing shows what is undecided, closes on POST, and the year then refuses changes."""
    budget_year, _kind, (hulta, _norrby, _sjobo) = year
    ApplicationFactory(budget_year=budget_year, group=hulta)
    developer = user_with_role(Role.NETWORK_DEVELOPER)
    client.force_login(developer)
    page = client.get(reverse("budget:year_close", args=[2017])).content.decode()
    assert "Stänga budgetåret 2017?" in page
    assert "1 ansökan är inte beslutad" in page
    budget_year.refresh_from_db()
    assert not budget_year.is_closed

    response = client.post(reverse("budget:year_close", args=[2017]), follow=True)
    assert "Budgetåret 2017 är stängt" in response.content.decode()
    budget_year.refresh_from_db()
    assert budget_year.is_closed and budget_year.closed_by == developer
    with pytest.raises(ValidationError):
        services.expense_create(
            budget_year=budget_year,
            group=hulta,
            date=datetime.date(2017, 12, 30),
            amount=D("100"),
            category="hosting",
            description="För sent",
        )
    page = client.get(reverse("budget:year_close", args=[2017])).content.decode()
    assert "Budgetåret 2017 är redan stängt" in page


# --- the admin ------------------------------------------------------------------------------


def test_admin_lists_the_budget_for_the_developer(client, year):
    """The developer finds years, expenses and applications in the admin, amounts in kronor."""
    budget_year, _kind, (hulta, _norrby, _sjobo) = year
    ExpenseFactory(budget_year=budget_year, group=hulta, amount=D("1449.50"))
    ApplicationFactory(budget_year=budget_year, group=hulta)
    client.force_login(user_with_role(Role.NETWORK_DEVELOPER))
    for model in ("budgetyear", "expense", "application"):
        response = client.get(reverse(f"admin:budget_{model}_changelist"))
        assert response.status_code == 200, model
    expenses = client.get(reverse("admin:budget_expense_changelist") + "?q=Hulta")
    assert kr("1 449,50 kr") in expenses.content.decode()
    change = client.get(reverse("admin:budget_budgetyear_change", args=[budget_year.pk]))
    assert change.status_code == 200
    assert "kind_allocations-TOTAL_FORMS" in change.content.decode()
    assert "external_funding-TOTAL_FORMS" in change.content.decode()


def test_admin_keeps_closed_years_and_the_head_read_only(client, year):
    """A closed year cannot be changed in the admin; the head of administration only reads."""
    budget_year, _kind, _groups = year
    head = user_with_role(Role.HEAD_OF_ADMINISTRATION)
    client.force_login(head)
    url = reverse("admin:budget_budgetyear_change", args=[budget_year.pk])
    assert client.get(url).status_code == 200
    client.post(url, {"year": "2017", "pool_amount": "1"})
    budget_year.refresh_from_db()
    assert budget_year.pool_amount == D("140000.00")

    services.budget_year_close(budget_year=budget_year, closed_by=None)
    client.force_login(user_with_role(Role.NETWORK_DEVELOPER))
    response = client.post(url, {"year": "2017", "pool_amount": "1"})
    assert response.status_code == 403
    budget_year.refresh_from_db()
    assert budget_year.pool_amount == D("140000.00")


def admin_year_data(pool_amount):
    """Return the admin's form for 2017 with `pool_amount` and no inline rows."""
    management = {
        f"{prefix}-{key}": value
        for prefix in ("kind_allocations", "group_allocations", "external_funding")
        for key, value in (
            ("TOTAL_FORMS", "0"),
            ("INITIAL_FORMS", "0"),
            ("MIN_NUM_FORMS", "0"),
            ("MAX_NUM_FORMS", "1000"),
        )
    }
    return {"year": "2017", "pool_amount": pool_amount, "pool_description": "", **management}


def test_admin_refuses_pooled_funds_below_what_is_granted(client, year):
    """The pooled funds cannot go below what is already granted; amounts are typed in Swedish."""
    budget_year, _kind, (hulta, _norrby, _sjobo) = year
    ApplicationFactory(budget_year=budget_year, group=hulta, granted=True)
    client.force_login(user_with_role(Role.NETWORK_DEVELOPER))
    url = reverse("admin:budget_budgetyear_change", args=[budget_year.pk])
    response = client.post(url, admin_year_data("10 000"))
    assert response.status_code == 200
    assert "redan beviljats" in response.content.decode()
    budget_year.refresh_from_db()
    assert budget_year.pool_amount == D("140000.00")

    response = client.post(url, admin_year_data("150 000,50"))
    assert response.status_code == 302
    budget_year.refresh_from_db()
    assert budget_year.pool_amount == D("150000.50")


def test_the_menu_offers_the_budget_only_to_those_who_may_see_it(client):
    """A member of a group is not offered the budget in the menu (it would refuse them); the
    group's coordinator is."""
    group = NetworkGroupFactory()
    budget_link = f'href="{reverse("budget:overview_current")}"'
    client.force_login(member_of(group, username="medlem"))
    page = client.get(reverse("meetings:my_networks")).content.decode()
    assert sv("My networks") in page and budget_link not in page
    client.force_login(coordinator_of(group, username="samordnare"))
    assert budget_link in client.get(reverse("meetings:my_networks")).content.decode()
