"""Inviting a person by e-mail, and the link they follow: set a password, join, log in."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from members import services
from members.models import Invitation
from networks.models import GroupRole, Person
from tests.factories.members import InvitationFactory
from tests.factories.networks import GroupRoleFactory, PersonFactory
from tests.submitted import fresh_key
from tests.text import sv

from .conftest import link_in

pytestmark = pytest.mark.django_db

PASSWORD = "Sommarlov-i-Hulta-2017"
INVITE_URL = reverse("members:invitation_create")
User = get_user_model()


def invite(client, inviter, *, group, name="Nora Berg", email="nora@example.org", **extra):
    """Post the invitation form as `inviter`; return the response."""
    client.force_login(inviter)
    data = {**fresh_key(), "name": name, "email": email, "group": group.pk, "role": "member"}
    return client.post(INVITE_URL, {**data, **extra})


def state():
    """Return what an accept could have written: accounts, people, roles, invitations."""
    return (
        list(User.objects.order_by("pk").values()),
        list(Person.objects.order_by("pk").values()),
        list(GroupRole.objects.order_by("pk").values()),
        list(Invitation.objects.order_by("pk").values()),
    )


def test_an_invited_association_member_sets_a_password_and_lands_in_their_group(
    client, world, outbox, django_capture_on_commit_callbacks
):
    """Invite → a Swedish mail with a working link → a password → logged in, member of the
    group, at the network tier."""
    group = world["group_a"]
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(
            client, world["coordinator_a"], group=group, organisation=world["association"].pk
        )
    assert response.status_code == 302
    assert response["Location"] == reverse("members:group_members", args=[group.pk])
    assert len(outbox) == 1
    message = outbox[0]
    assert message.to == ["nora@example.org"]
    assert (
        "Grupp A" in message.subject
        and sv("Invitation to the network group %(group)s", group="Grupp A") == message.subject
    )
    assert sv("Open the link, choose a password and join the group:") in message.body
    path = link_in(message)
    client.logout()

    page = client.get(path)
    assert page.status_code == 200
    assert "Grupp A" in page.content.decode()
    assert page["Cache-Control"].startswith("max-age=0") or "no-cache" in page["Cache-Control"]
    response = client.post(path, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("meetings:my_networks")

    user = User.objects.get(username="nora@example.org")
    assert user.check_password(PASSWORD) and user.is_active
    person = Person.objects.get(user=user)
    assert (person.name, person.email, person.organisation) == (
        "Nora Berg",
        "nora@example.org",
        world["association"],
    )
    assert GroupRole.objects.filter(group=group, person=person, role="member").exists()
    assert Invitation.objects.get().accepted_at is not None
    # Logged in as the new member: Mina nätverk shows their group.
    my_networks = client.get(reverse("meetings:my_networks"))
    assert my_networks.status_code == 200
    assert my_networks.wsgi_request.user == user
    assert "Grupp A" in my_networks.content.decode()


def test_a_used_link_is_refused_the_second_time_and_nothing_more_is_saved(client, world):
    """A link works once: the second time a 410 page, no second account, nobody logged in."""
    invitation = InvitationFactory(group=world["group_a"], invited_by=world["coordinator_a"])
    path = reverse("invitation_accept", args=[invitation.token])
    client.post(path, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    client.logout()
    before = state()
    response = client.post(path, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert response.status_code == 410
    assert sv("The invitation has already been used") in response.content.decode()
    assert state() == before
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("method", ["get", "post"])
def test_an_expired_link_is_refused_and_nothing_is_saved(client, world, method):
    """A link older than INVITATION_MAX_AGE_DAYS: 410, saying it expired; nothing saved."""
    created = timezone.now() - datetime.timedelta(days=8)
    invitation = InvitationFactory(
        group=world["group_a"],
        invited_by=world["coordinator_a"],
        created_at=created,
        expires_at=created + datetime.timedelta(days=7),
    )
    before = state()
    response = getattr(client, method)(
        reverse("invitation_accept", args=[invitation.token]),
        {"new_password1": PASSWORD, "new_password2": PASSWORD},
    )
    assert response.status_code == 410
    assert sv("The invitation has expired") in response.content.decode()
    assert state() == before
    assert "_auth_user_id" not in client.session


def test_the_link_expires_after_the_configured_days(client, world, settings, outbox):
    """INVITATION_MAX_AGE_DAYS sets how long a new invitation's link works."""
    settings.INVITATION_MAX_AGE_DAYS = 3
    invite(client, world["coordinator_a"], group=world["group_a"])
    invitation = Invitation.objects.get()
    assert invitation.expires_at - invitation.created_at == datetime.timedelta(days=3)


def test_a_withdrawn_link_is_refused_and_nothing_is_saved(client, world):
    """Withdrawn by whoever sent it: the link answers 410 at once; nothing saved."""
    invitation = InvitationFactory(group=world["group_a"], invited_by=world["coordinator_a"])
    client.force_login(world["coordinator_a"])
    response = client.post(reverse("members:invitation_withdraw", args=[invitation.pk]))
    assert response.status_code == 302
    client.logout()
    before = state()
    response = client.post(
        reverse("invitation_accept", args=[invitation.token]),
        {"new_password1": PASSWORD, "new_password2": PASSWORD},
    )
    assert response.status_code == 410
    assert sv("The invitation has been withdrawn") in response.content.decode()
    assert state() == before
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("change", ["altered", "cut", "unknown"])
def test_a_tampered_link_is_refused_and_nothing_is_saved(client, world, change):
    """A link with its token changed, shortened or made up: 400, nothing saved."""
    invitation = InvitationFactory(
        group=world["group_a"], invited_by=world["coordinator_a"], token="abcdefghijklmnop"
    )
    token = {"altered": "abcdefghijklmnoq", "cut": "abcdefgh", "unknown": "x" * 43}[change]
    before = state()
    response = client.post(
        reverse("invitation_accept", args=[token]),
        {"new_password1": PASSWORD, "new_password2": PASSWORD},
    )
    assert response.status_code == 400
    assert sv("The invitation link does not work") in response.content.decode()
    assert state() == before
    assert "_auth_user_id" not in client.session
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_a_weak_password_is_refused_next_to_the_field_and_nothing_is_saved(client, world):
    """Django's password validators decide; the message stands beside the field."""
    invitation = InvitationFactory(group=world["group_a"], invited_by=world["coordinator_a"])
    before = state()
    response = client.post(
        reverse("invitation_accept", args=[invitation.token]),
        {"new_password1": "12345678", "new_password2": "12345678"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["new_password2"]
    assert state() == before


def test_an_email_belonging_to_someone_else_is_refused_next_to_the_field(client, world):
    """An address the registry has under another name: a message at the e-mail field."""
    PersonFactory(name="Karin Ek", email="karin@example.org")
    response = invite(
        client,
        world["coordinator_a"],
        group=world["group_a"],
        name="Nora Berg",
        email="KARIN@example.org",
    )
    assert response.status_code == 200
    assert response.context["form"].errors["email"] == [sv(services.EMAIL_TAKEN)]
    assert not Invitation.objects.exists()


def test_an_email_of_another_account_is_refused_next_to_the_field(client, world):
    """An address that is another person's user name: a message at the e-mail field."""
    User.objects.create_user("karin@example.org", "", "pw", first_name="Karin", last_name="Ek")
    response = invite(
        client, world["coordinator_a"], group=world["group_a"], email="karin@example.org"
    )
    assert response.context["form"].errors["email"] == [sv(services.EMAIL_TAKEN)]
    assert not Invitation.objects.exists()


def test_a_person_in_the_registry_is_reused_and_keeps_their_organisation(
    client, world, django_capture_on_commit_callbacks, outbox
):
    """An address the registry has under the same name: that person is invited, no second
    person is made; naming another organisation is refused (it would change their tier)."""
    person = PersonFactory(
        name="Nora Berg", email="nora@example.org", organisation=world["association"]
    )
    refused = invite(
        client,
        world["coordinator_a"],
        group=world["group_a"],
        organisation=world["administration"].pk,
    )
    assert refused.context["form"].errors["organisation"] == [sv(services.ORGANISATION_DIFFERS)]
    with django_capture_on_commit_callbacks(execute=True):
        invite(
            client,
            world["coordinator_a"],
            group=world["group_a"],
            name=" nora  BERG ",
            organisation=world["association"].pk,
        )
    client.logout()
    client.post(link_in(outbox[0]), {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert Person.objects.filter(email__iexact="nora@example.org").count() == 1
    person.refresh_from_db()
    assert person.user.username == "nora@example.org"
    assert person.group_roles.get().group == world["group_a"]


def test_a_person_linked_to_another_account_is_refused_at_acceptance(client, world):
    """When the address is one account's user name but its person is linked to another
    account (it came about after the invitation): a Swedish message, nothing saved, nobody
    logged in."""
    invitation = InvitationFactory(
        group=world["group_a"],
        invited_by=world["coordinator_a"],
        name="Nora Berg",
        email="nora@example.org",
    )
    User.objects.create_user("nora@example.org", "", "pw")
    other = User.objects.create_user("nora-annan", "annan@example.org", "pw")
    PersonFactory(name="Nora Berg", email="nora@example.org", user=other)
    before = state()
    response = client.post(
        reverse("invitation_accept", args=[invitation.token]),
        {"new_password1": PASSWORD, "new_password2": PASSWORD},
    )
    assert response.status_code == 400
    assert sv(services.PERSON_HAS_OTHER_ACCOUNT) in response.content.decode()
    assert state() == before
    assert "_auth_user_id" not in client.session


def test_the_account_of_the_invited_person_is_the_one_to_log_in_with(client, world):
    """The address's person has an account under another user name: the link asks them to
    log in with it, and creates no second account."""
    invitation = InvitationFactory(
        group=world["group_a"],
        invited_by=world["coordinator_a"],
        name="Nora Berg",
        email="nora@example.org",
    )
    account = User.objects.create_user("nora-b", "", "pw")
    PersonFactory(name="Nora Berg", email="nora@example.org", user=account)
    path = reverse("invitation_accept", args=[invitation.token])
    before = state()
    assert client.get(path).context["step"] == "login"
    client.post(path, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert state() == before
    client.force_login(account)
    client.post(path)
    assert GroupRole.objects.filter(group=world["group_a"], person__user=account).exists()
    assert User.objects.count() == len(before[0])


def test_a_coordinator_cannot_invite_to_a_group_they_do_not_coordinate(client, world):
    """Coordinator of B naming group A: refused beside the group field, nothing sent."""
    response = invite(client, world["coordinator_b"], group=world["group_a"])
    assert response.status_code == 200
    assert response.context["form"].errors["group"] == [sv(services.NOT_YOUR_GROUP)]
    assert not Invitation.objects.exists()


def test_a_coordinator_invites_members_only(client, world):
    """Conveners and contact persons are the network developer's to invite."""
    response = invite(client, world["coordinator_a"], group=world["group_a"], role="convener")
    assert response.context["form"].errors["role"] == [sv(services.ROLE_REFUSED)]
    assert not Invitation.objects.exists()
    invite(client, world["developer"], group=world["group_a"], role="convener")
    assert Invitation.objects.get().role == "convener"


def test_an_association_coordinator_cannot_invite_someone_bound_by_secrecy(client, world):
    """A coordinator at the network tier cannot let someone in at the confidential tier."""
    coordinator = world["coordinator_a"]
    person = coordinator.person
    person.organisation = world["association"]
    person.save()
    response = invite(
        client, coordinator, group=world["group_a"], organisation=world["administration"].pk
    )
    assert response.context["form"].errors["organisation"] == [sv(services.TIER_REFUSED)]
    invite(client, coordinator, group=world["group_a"], organisation=world["association"].pk)
    assert Invitation.objects.count() == 1


def test_a_second_pending_invitation_to_the_same_group_is_refused(client, world):
    """One pending invitation per address and group: the second says to withdraw the first."""
    invite(client, world["coordinator_a"], group=world["group_a"])
    response = invite(client, world["developer"], group=world["group_a"])
    assert response.context["form"].errors["email"] == [sv(services.ALREADY_INVITED)]
    assert Invitation.objects.count() == 1


def test_someone_with_an_account_logs_in_and_joins_another_group(
    client, world, django_capture_on_commit_callbacks, outbox
):
    """An address with an account: the link asks them to log in, then adds the role – no
    new account, the password stays."""
    member = User.objects.create_user("nora@example.org", "nora@example.org", "gammalt")
    GroupRoleFactory(
        group=world["group_b"],
        role="member",
        person=PersonFactory(
            name="Nora Berg",
            email="nora@example.org",
            user=member,
            organisation=world["association"],
        ),
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(
            client,
            world["coordinator_a"],
            group=world["group_a"],
            organisation=world["association"].pk,
        )
    assert response.status_code == 302, response.context["form"].errors
    assert (
        sv("You already have an account: open the link, log in and join the group.")
        in outbox[0].body
    )
    path = link_in(outbox[0])
    client.logout()
    page = client.get(path)
    assert page.context["step"] == "login"
    assert (
        client.post(path, {"new_password1": PASSWORD, "new_password2": PASSWORD}).status_code == 200
    )
    assert not GroupRole.objects.filter(group=world["group_a"], role="member").exists()

    client.force_login(member)
    assert client.get(path).context["step"] == "join"
    response = client.post(path)
    assert response["Location"] == reverse("meetings:my_networks")
    member.refresh_from_db()
    assert member.check_password("gammalt")
    assert User.objects.filter(email__iexact="nora@example.org").count() == 1
    assert GroupRole.objects.filter(group=world["group_a"], person__user=member).exists()


def test_a_link_opened_while_logged_in_as_someone_else_is_refused(client, world):
    """The invitation is not for the account logged in: 403, nothing saved."""
    invitation = InvitationFactory(group=world["group_a"], invited_by=world["coordinator_a"])
    client.force_login(world["coordinator_b"])
    before = state()
    response = client.post(
        reverse("invitation_accept", args=[invitation.token]),
        {"new_password1": PASSWORD, "new_password2": PASSWORD},
    )
    assert response.status_code == 403
    assert state() == before


def test_an_invitation_of_a_coordinator_who_left_the_group_no_longer_works(client, world):
    """Whoever invited must still be allowed to: once they leave the group, the link is dead."""
    coordinator = world["coordinator_a"]
    invitation = InvitationFactory(group=world["group_a"], invited_by=coordinator)
    GroupRole.objects.filter(person__user=coordinator).delete()
    response = client.get(reverse("invitation_accept", args=[invitation.token]))
    assert response.status_code == 410


def test_the_network_developer_withdraws_anyones_invitation_a_coordinator_only_their_own(
    client, world
):
    """Withdraw: the sender or the network developer; another coordinator gets 403."""
    invitation = InvitationFactory(group=world["group_a"], invited_by=world["coordinator_a"])
    url = reverse("members:invitation_withdraw", args=[invitation.pk])
    client.force_login(world["coordinator_b"])
    assert client.post(url).status_code == 403
    invitation.refresh_from_db()
    assert invitation.withdrawn_at is None
    client.force_login(world["developer"])
    assert client.post(url).status_code == 302
    invitation.refresh_from_db()
    assert invitation.withdrawn_at is not None and invitation.withdrawn_by == world["developer"]
    assert client.get(url).status_code == 405  # a GET never withdraws
