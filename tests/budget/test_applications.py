"""Applying for pooled funds, and the network developer's decisions on the applications."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from budget.forms import MORE_THAN_ZERO, YEAR_CLOSED
from budget.models import Application, ApplicationStatus
from networks.permissions import Role
from tests.factories.accounts import coordinator_of, user_with_role
from tests.factories.budget import ApplicationFactory, BudgetYearFactory
from tests.factories.meetings import ActivityFactory
from tests.factories.networks import (
    MunicipalityFactory,
    NetworkGroupFactory,
    NetworkKindFactory,
)
from tests.submitted import fresh_key
from tests.text import sv

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"


def kr(text):
    """Write `text` ("20 000 kr") with the non-breaking spaces the pages use."""
    return text.replace(" ", NBSP)


@pytest.fixture
def setting():
    MunicipalityFactory()
    kind = NetworkKindFactory(name="Områdesnätverk", short_name="Område")
    hassleholmen = NetworkGroupFactory(kind=kind, name="Hässleholmen", slug="hassleholmen")
    norrby = NetworkGroupFactory(kind=kind, name="Norrby", slug="norrby")
    year = BudgetYearFactory(year=timezone.localdate().year, pool_amount=Decimal("140000"))
    return {
        "hassleholmen": hassleholmen,
        "norrby": norrby,
        "year": year,
        "coordinator": coordinator_of(hassleholmen),
        "developer": user_with_role(Role.NETWORK_DEVELOPER),
    }


def html_of(response):
    return response.content.decode()


def text_of(html):
    """Return the page's text without tags, whitespace collapsed (non-breaking spaces kept)."""
    return re.sub(r"[ \t\r\n]+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def field_error(html, field):
    """Return the error text tied to `field` (by aria-describedby), or None."""
    control = re.search(
        rf'<(?:input|select|textarea)[^>]*id="id_{field}"[^>]*>'
        rf'|<fieldset[^>]*aria-describedby="id_{field}_error"[^>]*>',
        html,
    )
    assert control, f"no control for {field}"
    if f"id_{field}_error" not in control.group(0):
        return None
    block = re.search(rf'id="id_{field}_error"[^>]*>(.*?)</div>', html, re.S)
    return text_of(block.group(1)) if block else None


def application_data(setting, **changes):
    data = {
        **fresh_key(),
        "budget_year": setting["year"].pk,
        "group": setting["hassleholmen"].pk,
        "amount_requested": "15 000",
        "purpose": "Sommarlovsaktiviteter för barn och unga på Hässleholmen.",
        "activity": "",
        "activity_description": "Sommarlovsveckan",
        "planned_for": "Vecka 26–27",
    }
    data.update(changes)
    return data


# --- applying -------------------------------------------------------------------------------


def test_a_coordinator_applies_and_sees_the_application_awaiting_a_decision(client, setting):
    """The form shows what is left in the pool; the application is saved, undecided."""
    ApplicationFactory(
        budget_year=setting["year"],
        group=setting["norrby"],
        granted=True,
        amount_requested=Decimal("40000"),
    )
    activity = ActivityFactory(group=setting["hassleholmen"], name="Hässleholmsdagen")
    client.force_login(setting["coordinator"])
    form = html_of(client.get(reverse("budget:application_create")))
    year = setting["year"].year
    assert f"Kvar av övriga medel {year}: <strong>{kr('100 000 kr')}</strong>" in form
    assert re.search(r'name="amount_requested"[^>]*inputmode="decimal"', form)
    response = client.post(
        reverse("budget:application_create"),
        application_data(setting, activity=activity.pk, amount_requested="15 000,50"),
    )
    assert response.status_code == 302
    application = Application.objects.get(group=setting["hassleholmen"])
    assert application.amount_requested == Decimal("15000.50")
    assert application.applicant == setting["coordinator"]
    assert application.activity == activity
    assert application.status == ApplicationStatus.SUBMITTED
    detail = text_of(html_of(client.get(response.url)))
    assert "Din ansökan har skickats." in detail
    assert "Väntar på beslut." in detail
    assert "Hässleholmsdagen" in detail
    assert kr("15 000,50 kr") in detail
    # A coordinator cannot decide.
    assert "Besluta om ansökan" not in detail


def test_the_activity_must_be_the_chosen_groups(client, setting):
    """An activity of another of the coordinator's groups is refused for this group."""
    other_own = NetworkGroupFactory(name="Hulta", slug="hulta")
    coordinator = coordinator_of(setting["hassleholmen"], other_own, username="tva")
    activity = ActivityFactory(group=other_own)
    client.force_login(coordinator)
    response = client.post(
        reverse("budget:application_create"), application_data(setting, activity=activity.pk)
    )
    assert field_error(html_of(response), "activity") == sv(
        "The activity belongs to another group. Choose an activity of %(group)s.",
        group="Hässleholmen",
    )
    assert not Application.objects.exists()


def test_an_activity_of_a_group_the_coordinator_does_not_have_is_refused(client, setting):
    """A forged activity of someone else's group is refused like any invalid choice."""
    activity = ActivityFactory(group=setting["norrby"])
    client.force_login(setting["coordinator"])
    response = client.post(
        reverse("budget:application_create"), application_data(setting, activity=activity.pk)
    )
    assert field_error(html_of(response), "activity") == sv(
        "Choose one of your groups' activities, or describe it below."
    )
    assert not Application.objects.exists()


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"amount_requested": "0"}, "amount_requested", MORE_THAN_ZERO),
        ({"purpose": ""}, "purpose", "This field is required."),
    ],
)
def test_an_incomplete_application_is_refused(client, setting, changes, field, message):
    """An application without an amount or purpose is refused, nothing saved."""
    client.force_login(setting["coordinator"])
    response = client.post(
        reverse("budget:application_create"), application_data(setting, **changes)
    )
    assert field_error(html_of(response), field) == sv(message)
    assert not Application.objects.exists()


def test_a_closed_year_takes_no_new_applications(client, setting):
    """An application for a closed year is refused with a clear message."""
    closed = BudgetYearFactory(year=2016, is_closed=True)
    client.force_login(setting["coordinator"])
    form = html_of(client.get(reverse("budget:application_create")))
    assert f'value="{closed.pk}"' not in form
    response = client.post(
        reverse("budget:application_create"), application_data(setting, budget_year=closed.pk)
    )
    assert field_error(html_of(response), "budget_year") == sv(
        "Applications can only be made for an open budget year. "
        "The year you chose is closed or has no budget."
    )
    assert not Application.objects.exists()


def test_with_every_year_closed_the_page_says_there_is_nothing_to_apply_for(client, setting):
    """Without an open year there is no form, only the reason."""
    setting["year"].is_closed = True
    setting["year"].save()
    client.force_login(setting["coordinator"])
    response = client.post(reverse("budget:application_create"), application_data(setting))
    html = html_of(response)
    assert "Det finns inget öppet budgetår att ansöka för." in html
    assert 'name="amount_requested"' not in html
    assert not Application.objects.exists()


# --- deciding -------------------------------------------------------------------------------


def decide(client, application, **data):
    return client.post(reverse("budget:application_detail", args=[application.pk]), data)


@pytest.fixture
def application(setting):
    return ApplicationFactory(
        budget_year=setting["year"],
        group=setting["hassleholmen"],
        applicant=setting["coordinator"],
        amount_requested=Decimal("20000"),
    )


def test_the_developer_grants_the_whole_amount_and_the_applicant_sees_it(
    client, setting, application
):
    """Granting all sets the amount granted; the applicant sees it in the list and detail."""
    client.force_login(setting["developer"])
    form = html_of(client.get(application.get_absolute_url()))
    assert "Besluta om ansökan" in form
    assert f"Bevilja hela beloppet ({kr('20 000 kr')})" in form
    response = decide(client, application, decision="grant_all", reason="Bra initiativ.")
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.GRANTED
    assert application.amount_granted == Decimal("20000.00")
    assert application.decided_by == setting["developer"]
    assert application.decided_at is not None

    client.force_login(setting["coordinator"])
    listing = text_of(html_of(client.get(reverse("budget:application_list"))))
    assert f"Beviljad: {kr('20 000 kr')}" in listing
    detail = text_of(html_of(client.get(application.get_absolute_url())))
    assert f"Beviljad: {kr('20 000 kr')}" in detail
    assert "Bra initiativ." in detail


def test_the_developer_grants_part_of_the_amount(client, setting, application):
    """A part typed "12 500" is granted: partly granted, 12 500 kr of the 20 000 applied for."""
    client.force_login(setting["developer"])
    decide(client, application, decision="grant_part", amount="12 500", reason="")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.PARTLY_GRANTED
    assert application.amount_granted == Decimal("12500.00")
    detail = text_of(html_of(client.get(application.get_absolute_url())))
    assert f"Delvis beviljad: {kr('12 500 kr')}" in detail
    assert f"{kr('12 500 kr')} av sökta {kr('20 000 kr')}." in detail


@pytest.mark.parametrize(
    "amount, message",
    [
        ("", "Write how much of the amount you grant."),
        (
            "20 000",
            "A part must be less than the %(amount)s applied for. "
            "To grant it all, choose “Grant the whole amount”.",
        ),
        ("0", MORE_THAN_ZERO),
    ],
)
def test_a_part_must_be_an_amount_less_than_applied_for(
    client, setting, application, amount, message
):
    """Granting part needs an amount above 0 and below what was applied for."""
    client.force_login(setting["developer"])
    response = decide(client, application, decision="grant_part", amount=amount, reason="")
    assert field_error(html_of(response), "amount") == sv(message, amount=kr("20 000 kr"))
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


def test_the_developer_declines_with_a_reason_and_the_applicant_reads_it(
    client, setting, application
):
    """A declined application shows its reason to the applicant."""
    client.force_login(setting["developer"])
    reason = "Aktiviteten ryms i gruppens egen tilldelning."
    decide(client, application, decision="decline", reason=reason)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DECLINED
    assert application.amount_granted is None
    client.force_login(setting["coordinator"])
    detail = text_of(html_of(client.get(application.get_absolute_url())))
    assert "Avslagen" in detail
    assert reason in detail
    assert "Avslagen" in text_of(html_of(client.get(reverse("budget:application_list"))))


def test_declining_needs_a_reason(client, setting, application):
    """Declining without a reason is refused next to the reason field."""
    client.force_login(setting["developer"])
    response = decide(client, application, decision="decline", reason="   ")
    assert field_error(html_of(response), "reason") == sv("Say why the application is declined.")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


@pytest.mark.parametrize(
    "data, field",
    [
        ({"decision": "grant_all"}, "decision"),
        ({"decision": "grant_part", "amount": "15 000"}, "amount"),
    ],
)
def test_a_grant_above_what_is_left_in_the_pool_is_refused(
    client, setting, application, data, field
):
    """With 10 000 kr left, neither 20 000 nor 15 000 can be granted; the service says why."""
    ApplicationFactory(
        budget_year=setting["year"],
        group=setting["norrby"],
        granted=True,
        amount_requested=Decimal("130000"),
    )
    client.force_login(setting["developer"])
    response = decide(client, application, reason="", **data)
    assert response.status_code == 200
    assert field_error(html_of(response), field) == sv(
        "Only %(amount)s is left in the pooled funds.", amount=kr("10 000 kr")
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.amount_granted is None


def test_the_last_kronor_of_the_pool_can_be_granted(client, setting, application):
    """Granting exactly what is left empties the pool and is allowed."""
    ApplicationFactory(
        budget_year=setting["year"],
        group=setting["norrby"],
        granted=True,
        amount_requested=Decimal("120000"),
    )
    client.force_login(setting["developer"])
    decide(client, application, decision="grant_all", reason="")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.GRANTED
    listing = text_of(html_of(client.get(reverse("budget:application_list"))))
    assert f"Kvar att bevilja {kr('0 kr')}" in listing


def test_a_decided_application_is_not_decided_again(client, setting, application):
    """After a decision the form is gone and a forged second decision changes nothing."""
    client.force_login(setting["developer"])
    decide(client, application, decision="decline", reason="Inte i år.")
    assert "Besluta om ansökan" not in html_of(client.get(application.get_absolute_url()))
    response = decide(client, application, decision="grant_all", reason="")
    assert sv("The application has already been decided.") in html_of(client.get(response.url))
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DECLINED


def test_a_closed_year_takes_no_decisions(client, setting, application):
    """In a closed year the application can no longer be decided, and says so."""
    setting["year"].is_closed = True
    setting["year"].save()
    client.force_login(setting["developer"])
    detail = text_of(html_of(client.get(application.get_absolute_url())))
    assert "Budgetåret är stängt, så ansökan kan inte längre beslutas." in detail
    assert "Besluta om ansökan" not in detail
    response = decide(client, application, decision="grant_all", reason="")
    closed = sv(YEAR_CLOSED, year=setting["year"].year)
    assert closed in html_of(client.get(response.url))
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


# --- the list -------------------------------------------------------------------------------


def test_the_developer_sees_every_application_undecided_first_and_the_pool(client, setting):
    """Undecided applications come first; the pool shows granted, left and awaiting."""
    year = setting["year"]
    ApplicationFactory(
        budget_year=year,
        group=setting["norrby"],
        granted=True,
        amount_requested=Decimal("30000"),
        purpose="Beviljad först",
    )
    ApplicationFactory(
        budget_year=year,
        group=setting["hassleholmen"],
        amount_requested=Decimal("8000"),
        activity_description="Väntande sist inskickad",
    )
    ApplicationFactory(
        budget_year=year,
        group=setting["norrby"],
        declined=True,
        activity_description="Avslagen",
    )
    client.force_login(setting["developer"])
    listing = text_of(html_of(client.get(reverse("budget:application_list"))))
    assert listing.index("Väntande sist inskickad") < listing.index(f"Beviljad: {kr('30 000 kr')}")
    assert f"Avsatt {kr('140 000 kr')}" in listing
    assert f"Beviljat {kr('30 000 kr')}" in listing
    assert f"Kvar att bevilja {kr('110 000 kr')}" in listing
    assert f"Väntar på beslut 1 ansökan, {kr('8 000 kr')}" in listing
    assert "3 ansökningar" in listing


def test_a_coordinator_sees_only_their_groups_applications(client, setting):
    """Another group's application is neither listed nor reachable."""
    own = ApplicationFactory(budget_year=setting["year"], group=setting["hassleholmen"])
    other = ApplicationFactory(
        budget_year=setting["year"], group=setting["norrby"], activity_description="Norrbys fest"
    )
    client.force_login(setting["coordinator"])
    listing = html_of(client.get(reverse("budget:application_list")))
    assert own.get_absolute_url() in listing
    assert other.get_absolute_url() not in listing
    assert "Norrbys fest" not in listing
    assert client.get(other.get_absolute_url()).status_code == 404


def build_applications(group_count, year, kind):
    groups = [NetworkGroupFactory(kind=kind) for _ in range(group_count)]
    for group in groups:
        ApplicationFactory(budget_year=year, group=group, activity=ActivityFactory(group=group))
        ApplicationFactory(
            budget_year=year, group=group, granted=True, amount_requested=Decimal("100")
        )
        ApplicationFactory(budget_year=year, group=group, declined=True)
    return groups


# session + user + the user's auth groups (role) + municipality (context processor)
# + the budget years + the visible groups for the filter + the count for the paginator
# + a page of applications with group, kind, year and activity + the pool's grants
# + the undecided count and sum + "may apply?"
LIST_QUERIES_DEVELOPER = 11
# the same + the coordinator's groups (role)
LIST_QUERIES_COORDINATOR = 12


@pytest.mark.parametrize("group_count", [5, 60])
def test_the_application_list_costs_the_same_queries_at_any_size(
    client, setting, group_count, query_count
):
    """At 5 and at 60 groups (15 and 180 applications) the list runs the same few queries."""
    groups = build_applications(group_count, setting["year"], setting["hassleholmen"].kind)
    coordinator = coordinator_of(*groups[:3], username="manga-grupper")
    url = reverse("budget:application_list")
    for user, expected in (
        (setting["developer"], LIST_QUERIES_DEVELOPER),
        (coordinator, LIST_QUERIES_COORDINATOR),
    ):
        client.force_login(user)
        queries, _content = query_count.page(client, url)
        assert queries == expected
