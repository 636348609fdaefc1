"""An invitation's link accepted from two tabs at the same moment makes one account."""

import threading
import time

import pytest
from django.contrib.auth import get_user_model
from django.db import connections

from members import services
from members.models import Invitation
from networks.models import GroupRole
from tests.factories.members import InvitationFactory


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_acceptances_at_the_same_moment_make_one_account(world, monkeypatch):
    """Both tabs had a valid page; the second waits for the first, then is told the link was
    used: one account, one role, no server error."""
    # Widen the race: each acceptance pauses after its checks, so without the row lock both
    # would find the invitation pending and go on.
    match = services.registry_match

    def slow_match(**kwargs):
        found = match(**kwargs)
        time.sleep(0.3)
        return found

    monkeypatch.setattr(services, "registry_match", slow_match)
    invitation = InvitationFactory(group=world["group_a"], invited_by=world["coordinator_a"])
    pages = [services.invitation_find(invitation.token) for _ in range(2)]
    start = threading.Barrier(len(pages))
    outcomes = []

    def accept(page):
        try:
            start.wait(timeout=10)
            services.invitation_accept_with_password(invitation=page, password="Sommarlov-2017")
            outcomes.append("joined")
        except services.InvitationUnusable as refused:
            outcomes.append(f"refused: {refused.reason}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=accept, args=(page,)) for page in pages]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads)
    assert sorted(outcomes) == ["joined", "refused: accepted"]
    assert get_user_model().objects.filter(username=invitation.email).count() == 1
    assert GroupRole.objects.filter(group=world["group_a"], role="member").count() == 1
    assert Invitation.objects.get().accepted_at is not None
