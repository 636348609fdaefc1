"""Who may see and change which expenses and applications: every role against every action.

Coordinators see and change only their groups' expenses and applications (another group's are
404, a forged POST saves nothing); the network developer and the administrator do everything
and decide; the head of administration reads everything and changes nothing; the public and
logged-in users without a role see no budget at all.
"""

import re
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from budget.models import Application, ApplicationStatus, Expense
from budget.overview_views import NOT_BUDGET_MANAGER
from budget.views import NO_BUDGET_ACCESS, NOT_YOUR_GROUP, ONLY_COORDINATORS_SPEND
from networks.permissions import Role
from tests.factories.accounts import coordinator_of, user_with_role
from tests.factories.budget import (
    ApplicationFactory,
    BudgetYearFactory,
    ExpenseFactory,
    pdf_bytes,
)
from tests.factories.networks import MunicipalityFactory, NetworkGroupFactory
from tests.submitted import fresh_key
from tests.text import sv

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "no_role",
    "coordinator_a",
    "coordinator_b",
    "network_developer",
    "head_of_administration",
    "administrator",
]


@pytest.fixture(autouse=True)
def fresh_storage(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }


@pytest.fixture
def world():
    """Two groups A and B; A has an expense with a receipt and an undecided application."""
    MunicipalityFactory()
    group_a = NetworkGroupFactory(name="Boda", slug="boda")
    group_b = NetworkGroupFactory(name="Norrby", slug="norrby")
    year = BudgetYearFactory(year=timezone.localdate().year)
    expense = ExpenseFactory(budget_year=year, group=group_a, description="A:s fika")
    expense.receipt.save("kvitto.pdf", ContentFile(pdf_bytes()))
    application = ApplicationFactory(
        budget_year=year, group=group_a, amount_requested=Decimal("5000")
    )
    users = {
        "anonymous": None,
        "no_role": get_user_model().objects.create_user("resident", "r@example.org", "pw"),
        "coordinator_a": coordinator_of(group_a, username="samordnare-a"),
        "coordinator_b": coordinator_of(group_b, username="samordnare-b"),
        "network_developer": user_with_role(Role.NETWORK_DEVELOPER),
        "head_of_administration": user_with_role(Role.HEAD_OF_ADMINISTRATION),
        "administrator": user_with_role(Role.ADMINISTRATOR),
    }
    return {
        "group_a": group_a,
        "year": year,
        "expense": expense,
        "application": application,
        "users": users,
    }


# Each action does one request and returns (response, whether the data changed / is shown).


def list_expenses(client, world):
    response = client.get(reverse("budget:expense_list"))
    return response, "A:s fika" in response.content.decode()


def record_expense(client, world):
    response = client.post(
        reverse("budget:expense_create"),
        {
            **fresh_key(),
            "group": world["group_a"].pk,
            "date": timezone.localdate().isoformat(),
            "amount": "700",
            "category": "material",
            "description": "Ny utgift",
        },
    )
    return response, Expense.objects.filter(description="Ny utgift").exists()


def change_expense(client, world):
    expense = world["expense"]
    response = client.post(
        reverse("budget:expense_edit", args=[expense.pk]),
        {
            "group": world["group_a"].pk,
            "date": expense.date.isoformat(),
            "amount": "1",
            "category": "other",
            "description": "Ändrad",
        },
    )
    expense.refresh_from_db()
    return response, expense.amount == Decimal("1.00")


def remove_expense(client, world):
    response = client.post(reverse("budget:expense_delete", args=[world["expense"].pk]))
    return response, not Expense.objects.filter(pk=world["expense"].pk).exists()


def download_receipt(client, world):
    response = client.get(reverse("budget:expense_receipt", args=[world["expense"].pk]))
    shown = response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return response, shown


def list_applications(client, world):
    response = client.get(reverse("budget:application_list"))
    return response, world["application"].get_absolute_url() in response.content.decode()


def apply(client, world):
    response = client.post(
        reverse("budget:application_create"),
        {
            **fresh_key(),
            "budget_year": world["year"].pk,
            "group": world["group_a"].pk,
            "amount_requested": "3 000",
            "purpose": "Ny ansökan",
        },
    )
    return response, Application.objects.filter(purpose="Ny ansökan").exists()


def read_application(client, world):
    response = client.get(world["application"].get_absolute_url())
    return response, response.status_code == 200


def decide(client, world):
    application = world["application"]
    response = client.post(
        application.get_absolute_url(), {"decision": "grant_all", "reason": "Beviljas."}
    )
    application.refresh_from_db()
    return response, application.status == ApplicationStatus.GRANTED


ACTIONS = {
    "list_expenses": list_expenses,
    "record_expense": record_expense,
    "change_expense": change_expense,
    "remove_expense": remove_expense,
    "download_receipt": download_receipt,
    "list_applications": list_applications,
    "apply": apply,
    "read_application": read_application,
    "decide": decide,
}

# (status, effect): "login" is a redirect to the login page; 302 a redirect after saving;
# 200 with effect False is a form that refused the forged group.
LOGIN = ("login", False)
NO_BUDGET = dict.fromkeys(ACTIONS, (403, False)) | {
    "change_expense": (404, False),
    "remove_expense": (404, False),
    "download_receipt": (404, False),
    "read_application": (404, False),
    "decide": (404, False),
}
EVERYTHING = {
    "list_expenses": (200, True),
    "record_expense": (302, True),
    "change_expense": (302, True),
    "remove_expense": (302, True),
    "download_receipt": (200, True),
    "list_applications": (200, True),
    "apply": (302, True),
    "read_application": (200, True),
    "decide": (302, True),
}
EXPECTED = {
    "anonymous": dict.fromkeys(ACTIONS, LOGIN),
    "no_role": NO_BUDGET,
    "coordinator_a": EVERYTHING | {"decide": (403, False)},
    "coordinator_b": {
        "list_expenses": (200, False),
        "record_expense": (200, False),
        "change_expense": (404, False),
        "remove_expense": (404, False),
        "download_receipt": (404, False),
        "list_applications": (200, False),
        "apply": (200, False),
        "read_application": (404, False),
        "decide": (404, False),
    },
    "network_developer": EVERYTHING,
    "head_of_administration": {
        "list_expenses": (200, True),
        "record_expense": (403, False),
        "change_expense": (403, False),
        "remove_expense": (403, False),
        "download_receipt": (200, True),
        "list_applications": (200, True),
        "apply": (403, False),
        "read_application": (200, True),
        "decide": (403, False),
    },
    "administrator": EVERYTHING,
}


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(client, world, role, action):
    """Each role may do exactly what the matrix says, and a refused request changes nothing."""
    user = world["users"][role]
    if user is not None:
        client.force_login(user)
    response, effect = ACTIONS[action](client, world)
    status, expected_effect = EXPECTED[role][action]
    if status == "login":
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
    else:
        assert response.status_code == status
    assert effect is expected_effect


# A refusal the matrix expects says why: (role, action) → the reason on the 403 page.
REASONS = {
    ("no_role", "list_expenses"): NO_BUDGET_ACCESS,
    ("no_role", "list_applications"): NO_BUDGET_ACCESS,
    ("head_of_administration", "record_expense"): ONLY_COORDINATORS_SPEND,
    ("head_of_administration", "apply"): ONLY_COORDINATORS_SPEND,
    ("head_of_administration", "change_expense"): NOT_YOUR_GROUP,
    ("head_of_administration", "remove_expense"): NOT_YOUR_GROUP,
    ("head_of_administration", "decide"): "Only the network developer decides applications.",
    ("coordinator_a", "decide"): "Only the network developer decides applications.",
}


@pytest.mark.parametrize(("role", "action"), REASONS)
def test_a_refusal_says_why(client, world, role, action):
    """The 403 page names the rule that refused the request."""
    client.force_login(world["users"][role])
    response, _effect = ACTIONS[action](client, world)
    assert response.status_code == 403
    assert sv(REASONS[role, action]) in response.content.decode()


def test_setting_up_a_year_is_refused_with_the_reason(client, world):
    """Only the network developer sets up years; the head of administration is told so."""
    client.force_login(world["users"]["head_of_administration"])
    response = client.get(reverse("budget:year_create"))
    assert response.status_code == 403
    assert sv(NOT_BUDGET_MANAGER) in response.content.decode()


def test_the_head_of_administration_is_offered_no_changes(client, world):
    """The head of administration's lists have no buttons or links to change anything."""
    client.force_login(world["users"]["head_of_administration"])
    expenses = client.get(reverse("budget:expense_list")).content.decode()
    assert reverse("budget:expense_create") not in expenses
    assert reverse("budget:expense_edit", args=[world["expense"].pk]) not in expenses
    applications = client.get(reverse("budget:application_list")).content.decode()
    assert reverse("budget:application_create") not in applications
    detail = client.get(world["application"].get_absolute_url()).content.decode()
    assert 'name="decision"' not in detail


def test_a_coordinator_of_b_is_not_offered_group_a(client, world):
    """The group fields offer a coordinator only their own groups."""
    client.force_login(world["users"]["coordinator_b"])
    for name in ("budget:expense_create", "budget:application_create"):
        form = client.get(reverse(name)).content.decode()
        groups = re.search(r'<select name="group".*?</select>', form, re.S).group(0)
        assert "Norrby" in groups
        assert f'value="{world["group_a"].pk}"' not in groups
        assert "Boda" not in groups
