"""A group's members page, removing a member (access ends at once), and idle accounts."""

import datetime
import logging

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from meetings.models import Visibility
from members.models import Invitation
from members.services import inactive_accounts_deactivate, unanswered_invitations_delete
from networks.models import GroupRole
from portal.tasks import housekeeping_run
from tests.factories.meetings import MeetingFactory
from tests.factories.members import InvitationFactory
from tests.factories.networks import GroupRoleFactory
from tests.text import sv

pytestmark = pytest.mark.django_db

User = get_user_model()
NETWORK_NOTES = "Genomgång av sommarlovsaktiviteterna i Grupp A."


@pytest.fixture
def member(world):
    """An association member of group A, with an account."""
    user = User.objects.create_user("nora@example.org", "nora@example.org", "pw")
    GroupRoleFactory(
        group=world["group_a"],
        role=GroupRole.Role.MEMBER,
        person__name="Nora Berg",
        person__user=user,
        person__organisation=world["association"],
    )
    return user


def test_the_members_page_lists_members_with_organisation_and_tier(client, world, member):
    """The coordinator sees who is in the group, from which organisation, reading what."""
    InvitationFactory(group=world["group_a"], invited_by=world["coordinator_a"], name="Ola Ny")
    client.force_login(world["coordinator_a"])
    response = client.get(reverse("members:group_members", args=[world["group_a"].pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Nora Berg" in page and "Föreningen Gården" in page
    assert sv(Visibility.NETWORK.short_label).capitalize() in page
    assert "Ola Ny" in page  # the pending invitation
    rows = response.context["members"]
    nora = next(row for row in rows if row["role"].person.name == "Nora Berg")
    assert nora["tier"] == Visibility.NETWORK and nora["can_remove"]
    coordinator = next(row for row in rows if row["role"].role == "convener")
    assert coordinator["tier"] == Visibility.RESTRICTED and not coordinator["can_remove"]


def test_the_members_page_is_refused_to_coordinators_of_other_groups(client, world):
    """Coordinator of B: 403 on group A's members page."""
    client.force_login(world["coordinator_b"])
    response = client.get(reverse("members:group_members", args=[world["group_a"].pk]))
    assert response.status_code == 403


def test_my_networks_links_each_group_to_its_members_page(client, world, member):
    """Mina nätverk: "Medlemmar och inbjudningar" for the groups one coordinates only."""
    client.force_login(world["coordinator_a"])
    page = client.get(reverse("meetings:my_networks")).content.decode()
    assert reverse("members:group_members", args=[world["group_a"].pk]) in page
    assert reverse("members:group_members", args=[world["group_b"].pk]) not in page
    client.force_login(member)
    page = client.get(reverse("meetings:my_networks")).content.decode()
    assert "Grupp A" in page
    assert reverse("members:group_members", args=[world["group_a"].pk]) not in page


def test_a_removed_member_loses_access_with_their_next_request(client, world, member):
    """Removed by the coordinator: the member's very next request no longer shows the notes
    and Mina nätverk refuses them."""
    meeting = MeetingFactory(
        group=world["group_a"],
        status="held",
        notes=NETWORK_NOTES,
        notes_visibility=Visibility.NETWORK,
    )
    member_client = client.__class__()
    member_client.force_login(member)
    assert NETWORK_NOTES in member_client.get(meeting.get_absolute_url()).content.decode()

    client.force_login(world["coordinator_a"])
    role = GroupRole.objects.get(person__user=member)
    response = client.post(reverse("members:group_role_remove", args=[role.pk]))
    assert response.status_code == 302
    assert not GroupRole.objects.filter(pk=role.pk).exists()

    assert NETWORK_NOTES not in member_client.get(meeting.get_absolute_url()).content.decode()
    assert member_client.get(reverse("meetings:my_networks")).status_code == 403


def test_a_coordinator_removes_members_not_coordinators_nor_other_groups_people(
    client, world, member
):
    """Coordinator B cannot remove A's member; coordinator A cannot remove A's convener; the
    network developer can."""
    role = GroupRole.objects.get(person__user=member)
    convener = GroupRole.objects.get(person__user=world["coordinator_a"])
    client.force_login(world["coordinator_b"])
    assert client.post(reverse("members:group_role_remove", args=[role.pk])).status_code == 403
    client.force_login(world["coordinator_a"])
    url = reverse("members:group_role_remove", args=[convener.pk])
    assert client.post(url).status_code == 403
    assert GroupRole.objects.filter(pk__in=[role.pk, convener.pk]).count() == 2
    client.force_login(world["developer"])
    assert client.post(url).status_code == 302
    assert not GroupRole.objects.filter(pk=convener.pk).exists()


def _idle(username, *, last_login=None, joined_days_ago=0, superuser=False):
    now = timezone.now()
    user = User.objects.create_user(username, f"{username}@example.org", "pw")
    User.objects.filter(pk=user.pk).update(
        last_login=last_login,
        date_joined=now - datetime.timedelta(days=joined_days_ago),
        is_superuser=superuser,
    )
    return user


def test_housekeeping_deactivates_exactly_the_idle_accounts(settings, caplog):
    """Unused for ACCOUNT_INACTIVE_DAYS (last login, or joining if never): deactivated;
    recent ones, administrators and those already inactive are left; the log gives a count."""
    settings.ACCOUNT_INACTIVE_DAYS = 30
    now = timezone.now()
    days = datetime.timedelta
    idle_login = _idle("idle-login", last_login=now - days(31), joined_days_ago=400)
    never = _idle("never-logged-in", joined_days_ago=31)
    recent_login = _idle("recent", last_login=now - days(29), joined_days_ago=400)
    new = _idle("new", joined_days_ago=29)
    admin = _idle("admin", last_login=now - days(400), joined_days_ago=400, superuser=True)
    with caplog.at_level(logging.INFO, logger="members.services"):
        summary = housekeeping_run(now=now)
    assert summary["accounts_deactivated"] == 2
    active = dict(User.objects.values_list("username", "is_active"))
    assert not active[idle_login.username] and not active[never.username]
    assert active[recent_login.username] and active[new.username] and active[admin.username]
    logged = " ".join(record.getMessage() for record in caplog.records)
    assert "Deactivated 2 accounts" in logged and "idle-login" not in logged
    assert inactive_accounts_deactivate(now=now) == 0  # the second night finds nothing more


def test_a_deactivated_account_cannot_log_in(client, settings):
    """After deactivation the password no longer lets them in."""
    settings.ACCOUNT_INACTIVE_DAYS = 30
    _idle("idle", joined_days_ago=40)
    inactive_accounts_deactivate(now=timezone.now())
    response = client.post(reverse("login"), {"username": "idle", "password": "pw"})
    assert response.status_code == 200 and "_auth_user_id" not in client.session


def test_unanswered_invitations_go_a_month_after_their_link_expired(world):
    """The name and address of someone who never answered are not kept for nothing."""
    now = timezone.now()
    old = now - datetime.timedelta(days=40)
    expired_long_ago = InvitationFactory(
        group=world["group_a"], created_at=old, expires_at=old + datetime.timedelta(days=7)
    )
    accepted_long_ago = InvitationFactory(
        group=world["group_a"],
        created_at=old,
        expires_at=old + datetime.timedelta(days=7),
        accepted_at=old,
    )
    pending = InvitationFactory(group=world["group_a"])
    assert unanswered_invitations_delete(now=now) == 1
    left = set(Invitation.objects.values_list("pk", flat=True))
    assert left == {accepted_long_ago.pk, pending.pk}
    assert expired_long_ago.pk not in left
