import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.text import capfirst

from networks.models import GroupRole
from networks.services import role_group_setup
from tests.factories.networks import GroupRoleFactory, MunicipalityFactory

pytestmark = pytest.mark.django_db

MODELS = [
    "municipality",
    "district",
    "organisation",
    "networkkind",
    "networkgroup",
    "forum",
    "person",
]


@pytest.fixture
def registry():
    MunicipalityFactory()
    return GroupRoleFactory()


def staff(role):
    user = get_user_model().objects.create_user("staff", password="pw", is_staff=True)
    user.groups.add(role_group_setup(role))
    return user


@pytest.mark.parametrize("model", MODELS)
def test_admin_lists_and_searches_every_registry_model_in_swedish(admin_client, registry, model):
    """Staff find every part of the registry in the admin, searchable, in Swedish."""
    url = reverse(f"admin:networks_{model}_changelist")
    response = admin_client.get(url, {"q": "a"})
    assert response.status_code == 200
    assert 'lang="sv"' in response.content.decode()


def test_admin_group_page_edits_roles_inline(admin_client, registry):
    """A group's admin page shows its people's roles to edit in place."""
    group = registry.group
    response = admin_client.get(reverse("admin:networks_networkgroup_change", args=[group.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert capfirst(str(GroupRole._meta.verbose_name_plural)) in html
    assert registry.person.name in html


def change_form_data(response) -> dict:
    """Return what an admin change page would post back unchanged: its form and inlines."""
    data = {}

    def add(form):
        for name in form.fields:
            value = form[name].value()
            key = form.add_prefix(name)
            if isinstance(value, list | tuple):
                data[key] = [str(item) for item in value]
            elif value is True:
                data[key] = "on"
            elif value not in (None, False):
                data[key] = str(value)

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        add(inline.formset.management_form)
        for form in inline.formset.forms:
            add(form)
    return data


def test_network_developer_can_change_groups(client, registry):
    """The network developer renames a group in the admin, and the new name is saved."""
    client.force_login(staff("network_developer"))
    group = registry.group
    url = reverse("admin:networks_networkgroup_change", args=[group.pk])
    data = change_form_data(client.get(url))
    data["name"] = "Nytt namn"
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    group.refresh_from_db()
    assert group.name == "Nytt namn"
    assert client.get(reverse("admin:networks_networkgroup_add")).status_code == 200


def test_head_of_administration_reads_but_cannot_change(client, registry):
    """The head of administration sees the registry but cannot add or change it."""
    client.force_login(staff("head_of_administration"))
    assert client.get(reverse("admin:networks_networkgroup_changelist")).status_code == 200
    assert client.get(reverse("admin:networks_networkgroup_add")).status_code == 403
    url = reverse("admin:networks_networkgroup_change", args=[registry.group.pk])
    response = client.post(url, {"name": "Nytt namn"})
    assert response.status_code == 403


def test_second_municipality_cannot_be_added(admin_client, registry):
    """The portal belongs to one municipality: the admin offers no second one."""
    assert admin_client.get(reverse("admin:networks_municipality_add")).status_code == 403
