"""Invitations and memberships: invite, withdraw, accept, remove; deactivate idle accounts.

Views validate with a form, then call these. Every check that decides whether an invitation
may be sent or accepted is made here too, so no path around a form writes anything wrong.
"""

import dataclasses
import datetime
import logging
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from networks import permissions
from networks.models import GroupRole, Municipality, NetworkGroup, Organisation, Person

from .models import Invitation, InvitationState, token_hash, token_new

logger = logging.getLogger(__name__)

# An invitation that was never accepted is kept this long after it expired, then deleted
# (its name and e-mail address are personal data kept for nothing once the link is dead).
UNANSWERED_KEPT_FOR = datetime.timedelta(days=30)

NOT_YOUR_GROUP = _("You can only invite people to the groups you coordinate.")
ROLE_REFUSED = _(
    "Only the network developer invites conveners and contact persons; you invite members."
)
TIER_REFUSED = _(
    "You cannot invite a person of this organisation: they would read more of the group "
    "than you may yourself (its confidential notes). Ask the network developer to invite them."
)
EMAIL_TAKEN = _(
    "This e-mail address belongs to someone else in the registry, under another name. Check "
    "the address and the name, or ask the network developer."
)
EMAIL_AMBIGUOUS = _(
    "Several people or accounts in the registry have this e-mail address. Ask the network "
    "developer to sort it out before inviting."
)
ORGANISATION_DIFFERS = _(
    "The registry has this person with another organisation. Choose that one, or ask the "
    "network developer to change it."
)
ALREADY_HAS_ROLE = _("This person already has this role in the group.")
ALREADY_INVITED = _(
    "This address has already been invited to the group and has not answered yet. Withdraw "
    "that invitation first to send a new one."
)
PERSON_HAS_OTHER_ACCOUNT = _(
    "The person with this e-mail address is already linked to another user account. Ask "
    "the network developer, who can sort out which account is theirs."
)


class InvitationUnusable(Exception):
    """The link cannot be used: unknown or tampered ("invalid"), or no longer pending."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclasses.dataclass(frozen=True)
class Match:
    """Who an e-mail address already is in the registry: a person, an account, both or none."""

    person: Person | None
    user: object | None

    @property
    def has_active_account(self) -> bool:
        return self.user is not None and self.user.is_active


def _same_name(first: str, second: str) -> bool:
    return " ".join(first.split()).casefold() == " ".join(second.split()).casefold()


def registry_match(*, email: str, name: str) -> Match:
    """Return the person and account the address belongs to; refuse an address that belongs
    to someone by another name, or to several.

    An account counts when its e-mail or user name is the address, or when it is linked to
    the person whose address it is.
    """
    User = get_user_model()
    people = list(Person.objects.filter(email__iexact=email).select_related("user")[:2])
    users = list(User.objects.filter(Q(email__iexact=email) | Q(username__iexact=email))[:2])
    if len(people) > 1 or len(users) > 1:
        raise ValidationError({"email": EMAIL_AMBIGUOUS})
    person = people[0] if people else None
    user = users[0] if users else None
    if user is not None:
        linked = Person.objects.filter(user=user).first()
        if linked is not None:
            if person is not None and person.pk != linked.pk:
                raise ValidationError({"email": EMAIL_TAKEN})
            person = linked
    if person is not None and person.user_id is not None:
        if user is None:
            user = person.user
        elif person.user_id != user.pk:
            raise ValidationError({"email": PERSON_HAS_OTHER_ACCOUNT})
    if person is not None and not _same_name(person.name, name):
        raise ValidationError({"email": EMAIL_TAKEN})
    if person is None and user is not None:
        full_name = user.get_full_name()
        if full_name and not _same_name(full_name, name):
            raise ValidationError({"email": EMAIL_TAKEN})
    return Match(person=person, user=user)


def _invitation_check(*, invited_by, group, role, name, email, organisation, now) -> Match:
    """Refuse an invitation the inviter may not send, or that clashes with the registry."""
    if not permissions.can_invite(invited_by, group):
        raise ValidationError({"group": NOT_YOUR_GROUP})
    if role not in permissions.invitable_roles(invited_by, group):
        raise ValidationError({"role": ROLE_REFUSED})
    if not permissions.may_grant(invited_by, group, organisation, role):
        raise ValidationError({"organisation": TIER_REFUSED})
    match = registry_match(email=email, name=name)
    if match.person is not None:
        if match.person.organisation_id != (organisation.pk if organisation else None):
            raise ValidationError({"organisation": ORGANISATION_DIFFERS})
        if GroupRole.objects.filter(group=group, person=match.person, role=role).exists():
            raise ValidationError({"email": ALREADY_HAS_ROLE})
    if Invitation.objects.pending(now).filter(group=group, email__iexact=email).exists():
        raise ValidationError({"email": ALREADY_INVITED})
    return match


@transaction.atomic
def invitation_create(
    *,
    invited_by,
    group: NetworkGroup,
    role: str,
    name: str,
    email: str,
    organisation: Organisation | None,
    link_for: Callable[[str], str],
) -> Invitation:
    """Create an invitation and mail its link once the transaction is committed.

    `link_for(token)` returns the absolute address of the accept page for a token (built
    from the request, as Django's password reset builds its link). The token itself is never
    stored, only its hash: the link exists only in the mail.
    """
    now = timezone.now()
    email = email.strip()
    match = _invitation_check(
        invited_by=invited_by,
        group=group,
        role=role,
        name=name,
        email=email,
        organisation=organisation,
        now=now,
    )
    token = token_new()
    invitation = Invitation(
        group=group,
        role=role,
        name=name.strip(),
        email=email,
        organisation=organisation,
        person=match.person,
        invited_by=invited_by,
        token_hash=token_hash(token),
        created_at=now,
        expires_at=now + datetime.timedelta(days=settings.INVITATION_MAX_AGE_DAYS),
    )
    invitation.full_clean()
    invitation.save()
    message = _invitation_mail(invitation, link_for(token), has_account=match.has_active_account)
    transaction.on_commit(lambda: _send(message, invitation.pk))
    return invitation


def _invitation_mail(invitation, link: str, *, has_account: bool) -> EmailMultiAlternatives:
    """Return the invitation's mail, in the portal's language, as text and HTML."""
    municipality = Municipality.objects.first()
    context = {
        "invitation": invitation,
        "link": link,
        "has_account": has_account,
        "inviter": invitation.inviter_name,
        "group": invitation.group,
        "role": invitation.get_role_display(),
        "expires_at": timezone.localtime(invitation.expires_at),
        "municipality": municipality,
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("members/invitation_subject.txt", context)
        text = render_to_string("members/invitation_email.txt", context)
        html = render_to_string("members/invitation_email.html", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()), body=text, to=[invitation.email]
    )
    message.attach_alternative(html, "text/html")
    return message


def _send(message: EmailMultiAlternatives, invitation_id: int) -> None:
    """Send an invitation's mail; a failure is logged (the invitation stays, and can be
    withdrawn and sent again), never shown as a server error."""
    try:
        message.send()
    except Exception:
        logger.exception("Invitation %s: the mail could not be sent", invitation_id)
    else:
        logger.info("Invitation %s mailed", invitation_id)


def invitation_withdraw(*, invitation: Invitation, withdrawn_by) -> Invitation:
    """Withdraw a pending invitation: its link stops working at once."""
    if invitation.state() != InvitationState.PENDING:
        raise ValidationError(_("Only an invitation that has not been answered can be withdrawn."))
    invitation.withdrawn_at = timezone.now()
    invitation.withdrawn_by = withdrawn_by
    invitation.save(update_fields=["withdrawn_at", "withdrawn_by"])
    return invitation


def invitation_find(token: str) -> Invitation:
    """Return the pending invitation whose link carries `token`; raise InvitationUnusable
    when there is none (unknown, tampered) or it can no longer be used."""
    if not token or len(token) > 100:
        raise InvitationUnusable("invalid")
    invitation = (
        Invitation.objects.by_token(token)
        .select_related("group", "group__kind", "organisation", "invited_by", "invited_by__person")
        .first()
    )
    if invitation is None:
        raise InvitationUnusable("invalid")
    _check_usable(invitation)
    return invitation


def _check_usable(invitation: Invitation) -> None:
    state = invitation.state()
    if state != InvitationState.PENDING:
        raise InvitationUnusable(state.value)
    # Whoever sent it must still be allowed to: a coordinator who left the group, or an
    # account deactivated since, no longer lets people in.
    inviter = invitation.invited_by
    if (
        inviter is None
        or not inviter.is_active
        or not permissions.can_invite(inviter, invitation.group)
    ):
        raise InvitationUnusable(InvitationState.WITHDRAWN.value)


def _locked(invitation: Invitation) -> Invitation:
    """Return the invitation locked for this transaction, checked again: two tabs sending
    the form at once accept it once."""
    # Only the invitation's own row is locked (`of=("self",)`): its inviter may be NULL, and
    # PostgreSQL cannot lock the nullable side of an outer join.
    locked = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("group", "invited_by")
        .get(pk=invitation.pk)
    )
    _check_usable(locked)
    return locked


def _name_parts(name: str) -> tuple[str, str]:
    first, _space, rest = " ".join(name.split()).partition(" ")
    return first[:150], rest[:150]


def account_for(invitation: Invitation, match: Match):
    """Return the account the accept page sets a password for: a new, unsaved one, or the
    inactive account the address already has (an invitation wakes it)."""
    if match.user is not None:
        return match.user
    first, last = _name_parts(invitation.name)
    User = get_user_model()
    return User(
        username=invitation.email.lower(), email=invitation.email, first_name=first, last_name=last
    )


def _join(invitation: Invitation, user, match: Match, now) -> None:
    person = match.person
    if person is None:
        person = Person(
            name=invitation.name, email=invitation.email, organisation=invitation.organisation
        )
    if person.user_id is None:
        person.user = user
    elif person.user_id != user.pk:
        raise ValidationError(PERSON_HAS_OTHER_ACCOUNT)
    person.full_clean()
    person.save()
    GroupRole.objects.get_or_create(group=invitation.group, person=person, role=invitation.role)
    invitation.person = person
    invitation.accepted_at = now
    invitation.save(update_fields=["person", "accepted_at"])


@transaction.atomic
def invitation_accept_with_password(*, invitation: Invitation, password: str):
    """Accept an invitation for someone without an active account: create the account (user
    name: the e-mail address) or wake their deactivated one, with the password chosen; link
    it to their person (created if the registry has none); give them the role. Return the
    account. Raise InvitationUnusable or ValidationError, and nothing is saved."""
    invitation = _locked(invitation)
    now = timezone.now()
    match = registry_match(email=invitation.email, name=invitation.name)
    if match.has_active_account:
        raise InvitationUnusable("has_account")
    user = account_for(invitation, match)
    user.set_password(password)
    user.is_active = True
    user.full_clean()
    user.save()
    _join(invitation, user, match, now)
    logger.info("Invitation %s accepted: account %s", invitation.pk, user.pk)
    return user


@transaction.atomic
def invitation_accept_by_account(*, invitation: Invitation, user):
    """Accept an invitation for the logged-in `user`, whose address it is: give their
    person the role. Raise InvitationUnusable when the address is not theirs."""
    invitation = _locked(invitation)
    match = registry_match(email=invitation.email, name=invitation.name)
    if match.user is None or match.user.pk != user.pk:
        raise InvitationUnusable("other_account")
    _join(invitation, user, match, timezone.now())
    logger.info("Invitation %s accepted: account %s", invitation.pk, user.pk)
    return user


@transaction.atomic
def group_role_remove(*, group_role: GroupRole) -> None:
    """Take a person's role in a group away: from their next request on, they read the group
    no more than anyone else (networks.permissions computes access per request)."""
    group_role.delete()
    logger.info("Role %s removed from group %s", group_role.role, group_role.group_id)


def inactive_accounts_deactivate(*, now: datetime.datetime) -> int:
    """Deactivate the accounts nobody has used for ACCOUNT_INACTIVE_DAYS (last login, or
    when the account was made if it never logged in); never an administrator's. Return how
    many."""
    cutoff = now - datetime.timedelta(days=settings.ACCOUNT_INACTIVE_DAYS)
    idle = Q(last_login__lt=cutoff) | Q(last_login__isnull=True, date_joined__lt=cutoff)
    count = (
        get_user_model()
        .objects.filter(idle, is_active=True, is_superuser=False)
        .update(is_active=False)
    )
    if count:
        logger.info(
            "Deactivated %s accounts unused for %s days", count, settings.ACCOUNT_INACTIVE_DAYS
        )
    return count


def unanswered_invitations_delete(*, now: datetime.datetime) -> int:
    """Delete the invitations never accepted whose link expired UNANSWERED_KEPT_FOR ago."""
    return Invitation.objects.filter(
        accepted_at__isnull=True, expires_at__lt=now - UNANSWERED_KEPT_FOR
    ).delete()[0]
