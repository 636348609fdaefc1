"""The pooled funds can never be overdrawn: not one decision after another, nor two at once."""

import threading
import time
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connections

from budget import services
from budget.models import Application, ApplicationStatus
from networks.permissions import Role
from tests.factories.accounts import user_with_role
from tests.factories.budget import ApplicationFactory, BudgetYearFactory
from tests.factories.networks import NetworkGroupFactory

D = Decimal
LEFT_40000 = "Det finns bara 40\u00a0000\u00a0kr kvar av övriga medel."


@pytest.mark.django_db
def test_grants_one_after_another_stop_at_the_pool():
    """Granting in turn, the grant that would overdraw the pool is refused and changes nothing."""
    budget_year = BudgetYearFactory(year=2017, pool_amount=D("140000"))
    developer = user_with_role(Role.NETWORK_DEVELOPER)
    first, second = (
        ApplicationFactory(budget_year=budget_year, amount_requested=D("100000")) for _ in range(2)
    )
    services.application_decide(
        application=first, amount_granted=D("100000"), reason="", decided_by=developer
    )
    with pytest.raises(ValidationError) as refused:
        services.application_decide(
            application=second, amount_granted=D("40000.01"), reason="", decided_by=developer
        )
    assert refused.value.message_dict["amount_granted"] == [LEFT_40000]
    second.refresh_from_db()
    assert second.status == ApplicationStatus.SUBMITTED and second.amount_granted is None
    # What is left can still be granted, to the öre.
    services.application_decide(
        application=second, amount_granted=D("40000.00"), reason="Delvis.", decided_by=developer
    )
    assert services.pool_granted(budget_year.pk) == D("140000.00")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_grants_at_the_same_moment_never_overdraw_the_pool(monkeypatch):
    """Two decisions made at once, together more than the pool has: exactly one is granted."""
    # Widen the race: each decision pauses after reading what is granted, so without the row
    # lock both would read "140 000 kr left" and both grant. With it, the second waits.
    read_granted = services.pool_granted

    def slow_pool_granted(budget_year_id):
        granted = read_granted(budget_year_id)
        time.sleep(0.3)
        return granted

    monkeypatch.setattr(services, "pool_granted", slow_pool_granted)
    budget_year = BudgetYearFactory(year=2017, pool_amount=D("140000"))
    developer = user_with_role(Role.NETWORK_DEVELOPER)
    applications = [
        ApplicationFactory(
            budget_year=budget_year,
            group=NetworkGroupFactory(),
            amount_requested=D("100000"),
        )
        for _ in range(2)
    ]
    start = threading.Barrier(len(applications))
    outcomes = {}

    def decide(application):
        try:
            start.wait(timeout=10)
            services.application_decide(
                application=application,
                amount_granted=D("100000"),
                reason="",
                decided_by=developer,
            )
            outcomes[application.pk] = "granted"
        except ValidationError as error:
            outcomes[application.pk] = error
        finally:
            # Each thread has its own connection: close it, or the test database stays in use.
            connections.close_all()

    threads = [threading.Thread(target=decide, args=(app,)) for app in applications]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads)

    assert list(outcomes.values()).count("granted") == 1
    refused = [outcome for outcome in outcomes.values() if isinstance(outcome, ValidationError)]
    assert len(refused) == 1
    assert refused[0].message_dict["amount_granted"] == [LEFT_40000]
    assert services.pool_granted(budget_year.pk) == D("100000.00")
    statuses = sorted(Application.objects.values_list("status", flat=True))
    assert statuses == [ApplicationStatus.GRANTED, ApplicationStatus.SUBMITTED]
