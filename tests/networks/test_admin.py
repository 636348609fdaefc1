import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

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
    assert "Roller i grupper" in html
    assert registry.person.name in html


def test_network_developer_can_change_groups(client, registry):
    """The network developer maintains groups in the admin."""
    client.force_login(staff("network_developer"))
    url = reverse("admin:networks_networkgroup_change", args=[registry.group.pk])
    assert client.get(url).status_code == 200
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
