"""Invitations: how a person gets an account and a role in a group.

The network developer (any group) or a group's coordinator (their groups) invites a person by
e-mail. The mail carries a random token; only its SHA-256 hash is stored, so the database
alone never yields a working link. A link works once, until it expires, unless withdrawn.
"""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from networks.models import GroupRole, NetworkGroup, Organisation, Person


def token_new() -> str:
    """Return a fresh random token for an invitation link (256 bits, URL-safe)."""
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """Return the hash under which an invitation's token is stored."""
    return hashlib.sha256(token.encode()).hexdigest()


class InvitationState(models.TextChoices):
    PENDING = "pending", _("pending")
    ACCEPTED = "accepted", _("accepted")
    WITHDRAWN = "withdrawn", _("withdrawn")
    EXPIRED = "expired", _("expired")


class InvitationQuerySet(models.QuerySet):
    def pending(self, now=None):
        """Return the invitations whose link still works."""
        return self.filter(
            accepted_at__isnull=True,
            withdrawn_at__isnull=True,
            expires_at__gt=now or timezone.now(),
        )

    def by_token(self, token: str):
        """Return the invitations (none or one) whose link carries `token`."""
        return self.filter(token_hash=token_hash(token))

    def for_list(self):
        return self.select_related("group", "group__kind", "organisation", "invited_by")


class Invitation(models.Model):
    """An invitation of a person, by e-mail, to a group with a role."""

    group = models.ForeignKey(
        NetworkGroup,
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("group"),
    )
    role = models.CharField(_("role"), max_length=20, choices=GroupRole.Role.choices)
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"))
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    # The person in the registry: the one the e-mail belonged to when invited, or the one
    # created when the invitation was accepted. Removing the person removes their invitations.
    person = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="invitations",
        verbose_name=_("person"),
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="invitations_sent",
        verbose_name=_("invited by"),
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("withdrawn by"),
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["group", "accepted_at", "withdrawn_at"])]

    def __str__(self):
        return f"{self.name} <{self.email}>: {self.get_role_display()}, {self.group}"

    def state(self, now=None) -> InvitationState:
        """Return whether the link still works, and if not, why."""
        if self.accepted_at is not None:
            return InvitationState.ACCEPTED
        if self.withdrawn_at is not None:
            return InvitationState.WITHDRAWN
        if self.expires_at <= (now or timezone.now()):
            return InvitationState.EXPIRED
        return InvitationState.PENDING

    @property
    def inviter_name(self) -> str:
        """Return who invited, as the invitation names them."""
        user = self.invited_by
        if user is None:
            return ""
        person = getattr(user, "person", None)
        if person is not None:
            return person.name
        return user.get_full_name() or user.get_username()
