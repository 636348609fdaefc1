import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from members.models import Invitation, token_hash
from networks.models import GroupRole
from tests.factories.networks import NetworkGroupFactory


class InvitationFactory(DjangoModelFactory):
    """A pending invitation; its link's token is `invitation.token` (only the hash is stored)."""

    class Meta:
        model = Invitation

    group = factory.SubFactory(NetworkGroupFactory)
    role = GroupRole.Role.MEMBER
    name = factory.Sequence(lambda n: f"Inbjuden Person{n}")
    email = factory.Sequence(lambda n: f"inbjuden{n}@example.org")
    token = factory.Sequence(lambda n: f"token-{n}")
    token_hash = factory.LazyAttribute(lambda invitation: token_hash(invitation.token))
    created_at = factory.LazyFunction(timezone.now)
    expires_at = factory.LazyAttribute(
        lambda invitation: invitation.created_at + datetime.timedelta(days=7)
    )

    @classmethod
    def _create(cls, model_class, *args, token, **kwargs):
        invitation = super()._create(model_class, *args, **kwargs)
        invitation.token = token
        return invitation
