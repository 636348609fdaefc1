"""Personal data: shown publicly only with consent, exported on request, removed where allowed."""

import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from budget.models import Application, Expense
from networks.models import GroupRole, Person
from networks.permissions import Role
from networks.personal_data import person_export, person_remove
from tests.factories.accounts import user_with_role
from tests.factories.budget import ApplicationFactory, BudgetYearFactory, ExpenseFactory
from tests.factories.meetings import MeetingFactory
from tests.factories.networks import (
    DistrictFactory,
    GroupRoleFactory,
    MunicipalityFactory,
    NetworkGroupFactory,
    NetworkKindFactory,
    PersonFactory,
)
from tests.text import sv

pytestmark = pytest.mark.django_db

NAME = "Kerstin Kontaktsson"
PHONE = "070-111 22 33"
EMAIL = "kerstin.kontaktsson@example.org"


@pytest.fixture
def setting():
    """A group with a consenting convener who has a user account and a record or two."""
    MunicipalityFactory()
    kind = NetworkKindFactory(name="Områdesnätverk", slug="omradesnatverk")
    group = NetworkGroupFactory(
        kind=kind, name="Norrby", slug="norrby", districts=[DistrictFactory(name="Norrby")]
    )
    MeetingFactory(group=group)
    user = get_user_model().objects.create_user("kerstin", EMAIL, "pw", first_name="Kerstin")
    person = PersonFactory(name=NAME, phone=PHONE, email=EMAIL, public_consent=True, user=user)
    role = GroupRoleFactory(group=group, person=person, role=GroupRole.Role.CONVENER)
    budget_year = BudgetYearFactory()
    expense = ExpenseFactory(budget_year=budget_year, group=group, created_by=user)
    application = ApplicationFactory(
        budget_year=budget_year, group=group, applicant=user, granted=True
    )
    return {
        "kind": kind,
        "group": group,
        "person": person,
        "role": role,
        "user": user,
        "expense": expense,
        "application": application,
    }


def public_texts(client, setting):
    """Return the text of every public page and feed where a group's contacts could show."""
    kind, group = setting["kind"], setting["group"]
    slugs = {"kind_slug": kind.slug, "group_slug": group.slug}
    urls = [
        reverse("portal:overview"),
        reverse("portal:kind_detail", kwargs={"kind_slug": kind.slug}),
        reverse("portal:group_detail", kwargs=slugs),
        reverse("portal:search") + "?q=norrby",
        reverse("portal:feed_all"),
        reverse("portal:feed_kind", kwargs={"kind_slug": kind.slug}),
        reverse("portal:feed_group", kwargs=slugs),
    ]
    texts = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        texts[url] = response.content.decode()
    return texts


def withdraw_in_the_admin(client, setting):
    """Untick the consent on the person's admin page, as the network developer."""
    person, role = setting["person"], setting["role"]
    admin_client = type(client)()
    admin_client.force_login(user_with_role(Role.NETWORK_DEVELOPER))
    response = admin_client.post(
        reverse("admin:networks_person_change", args=[person.pk]),
        {
            "name": person.name,
            "title": person.title,
            "organisation": person.organisation_id,
            "email": person.email,
            "phone": person.phone,
            "user": person.user_id,
            "group_roles-TOTAL_FORMS": "1",
            "group_roles-INITIAL_FORMS": "1",
            "group_roles-MIN_NUM_FORMS": "0",
            "group_roles-MAX_NUM_FORMS": "1000",
            "group_roles-0-id": role.pk,
            "group_roles-0-person": person.pk,
            "group_roles-0-group": role.group_id,
            "group_roles-0-role": role.role,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]


def withdraw_on_the_model(client, setting):
    person = setting["person"]
    person.public_consent = False
    person.save()


@pytest.mark.parametrize("withdraw", [withdraw_in_the_admin, withdraw_on_the_model])
def test_withdrawn_consent_leaves_the_public_pages_at_once(client, setting, withdraw):
    """Once consent is withdrawn, the next visitor sees the contact on no public page or feed."""
    before = public_texts(client, setting)  # also fills any cache of public pages
    group_page = reverse(
        "portal:group_detail", kwargs={"kind_slug": "omradesnatverk", "group_slug": "norrby"}
    )
    assert NAME in before[group_page] and PHONE in before[group_page]

    withdraw(client, setting)

    assert not Person.objects.get().public_consent
    for url, text in public_texts(client, setting).items():
        for detail in (NAME, PHONE, EMAIL):
            assert detail not in text, f"{detail} still on {url} after consent was withdrawn"


def test_export_holds_the_person_roles_account_and_records_but_no_secret(setting):
    """The export lists what is kept about the person, and never the password."""
    data = json.loads(json.dumps(person_export(setting["person"])))
    assert data["person"]["name"] == NAME
    assert data["person"]["phone"] == PHONE
    assert data["person"]["public_consent"] is True
    assert data["roles"] == [{"group": "Norrby", "kind": "Områdesnätverk", "role": "convener"}]
    account = data["user_account"]
    assert account["username"] == "kerstin" and account["email"] == EMAIL
    assert "password" not in account and "pw" not in json.dumps(data)
    assert [item["id"] for item in data["records"]["expenses_recorded"]] == [setting["expense"].pk]
    assert [item["id"] for item in data["records"]["applications_made"]] == [
        setting["application"].pk
    ]


def test_a_person_without_account_is_deleted_with_their_roles(setting):
    """Removing a person with no account leaves nothing of them."""
    other = PersonFactory(name="Olle Utan Konto", email="olle@example.org")
    GroupRoleFactory(group=setting["group"], person=other, role=GroupRole.Role.MEMBER)
    removal = person_remove(person=other)
    assert removal.roles_deleted == 1 and not removal.account_anonymised
    assert not Person.objects.filter(name="Olle Utan Konto").exists()
    assert not GroupRole.objects.filter(person_id=other.pk).exists()


def test_removal_keeps_the_archived_records_under_an_anonymous_account(client, setting):
    """The person and roles go; the account stays, nameless and locked; records are kept."""
    user = setting["user"]
    client.force_login(user)
    removal = person_remove(person=setting["person"])

    assert removal.roles_deleted == 1 and removal.account_anonymised
    assert removal.records_kept == 2
    assert not Person.objects.exists() and not GroupRole.objects.exists()
    user.refresh_from_db()
    assert user.username == f"borttagen-{user.pk}"
    assert (user.first_name, user.last_name, user.email) == ("", "", "")
    assert not user.is_active and not user.has_usable_password()
    assert not user.groups.exists()
    # The archive keeps the records, pointing to the nameless account.
    assert Expense.objects.get().created_by == user
    assert Application.objects.get().applicant == user
    # The session the account had is over.
    assert client.get(reverse("meetings:my_networks")).status_code == 302


def test_an_administrator_is_not_removed_by_mistake(setting):
    """An administrator's person is refused until the administrator rights are taken away."""
    admin = user_with_role(Role.ADMINISTRATOR)
    person = PersonFactory(name="Ada Admin", user=admin)
    with pytest.raises(ValidationError) as error:
        person_remove(person=person)
    refusal = sv(
        "%(name)s has an administrator account. Take away the administrator rights "
        "first, so that the portal never loses its last administrator by mistake.",
        name="Ada Admin",
    )
    assert error.value.messages == [refusal]
    assert Person.objects.filter(pk=person.pk).exists()


def test_the_command_exports_and_removes_by_email_or_id(setting, tmp_path):
    """`persondata export` writes the JSON; `persondata remove --yes` removes."""
    out = io.StringIO()
    call_command("persondata", "export", EMAIL.upper(), stdout=out)
    assert json.loads(out.getvalue())["person"]["name"] == NAME
    target = tmp_path / "kerstin.json"
    call_command("persondata", "export", str(setting["person"].pk), output=str(target), stdout=out)
    assert json.loads(target.read_text(encoding="utf-8"))["person"]["email"] == EMAIL

    with pytest.raises(CommandError, match="No person"):
        call_command("persondata", "remove", "ingen@example.org", yes=True)
    call_command("persondata", "remove", EMAIL, yes=True, stdout=out)
    assert "Removed Kerstin Kontaktsson" in out.getvalue()
    assert not Person.objects.exists()


def test_admin_actions_export_and_remove_after_confirmation(client, setting):
    """In the admin the developer downloads the JSON, and removes only after confirming."""
    client.force_login(user_with_role(Role.NETWORK_DEVELOPER))
    url = reverse("admin:networks_person_changelist")
    selected = {"_selected_action": [setting["person"].pk]}

    response = client.post(url, {"action": "export_personal_data", **selected})
    assert response["Content-Type"].startswith("application/json")
    assert json.loads(response.content)[0]["person"]["name"] == NAME

    response = client.post(url, {"action": "remove_personal_data", **selected})
    assert response.status_code == 200
    assert NAME in response.content.decode()
    assert Person.objects.exists(), "removed before it was confirmed"

    response = client.post(url, {"action": "remove_personal_data", "confirmed": "yes", **selected})
    assert response.status_code == 302
    assert not Person.objects.exists()
    setting["user"].refresh_from_db()
    assert not setting["user"].is_active


def test_the_head_of_administration_cannot_export_or_remove(client, setting):
    """Reading the registry in the admin does not give the personal-data actions."""
    client.force_login(user_with_role(Role.HEAD_OF_ADMINISTRATION))
    url = reverse("admin:networks_person_changelist")
    page = client.get(url).content.decode()
    assert "remove_personal_data" not in page and "export_personal_data" not in page
    client.post(
        url,
        {
            "action": "remove_personal_data",
            "confirmed": "yes",
            "_selected_action": [setting["person"].pk],
        },
    )
    assert Person.objects.exists()
