"""Password-reset mails: a few per address and per client an hour, the same answer for all.

Without a limit anyone could send an address sixteen mails a minute (case variants of the address
count as the same address). The page must not tell whether an address has an account, nor whether
a mail was withheld.
"""

import time

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from tests.reports.test_worker import redis_problem, redis_url

from .test_faults import DEAD_REDIS, resilient_cache

pytestmark = pytest.mark.django_db

CLIENT = "192.0.2.20"


@pytest.fixture
def users():
    """Twelve accounts, anna0@example.org … anna11@example.org."""
    User = get_user_model()
    return [User.objects.create_user(f"anna{n}", f"anna{n}@example.org", "pw") for n in range(12)]


def ask(client, email, *, address=CLIENT):
    """Ask for a reset mail from the client `address`; return what the page answered."""
    response = client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=address)
    return response.status_code, response["Location"], client.get(response["Location"]).content


def test_an_address_gets_three_mails_an_hour_whatever_its_case(client, users, settings):
    """The fourth request for one address sends nothing, from another client too, in any case."""
    assert settings.PASSWORD_RESET_MAILS_PER_ADDRESS == 3
    answers = {
        ask(client, email, address=f"192.0.2.{n}")
        for n, email in enumerate(["anna0@example.org", "Anna0@example.org", "ANNA0@EXAMPLE.ORG"])
    }
    assert len(mail.outbox) == 3
    answers.add(ask(client, "anna0@Example.ORG", address="198.51.100.7"))
    assert len(mail.outbox) == 3
    assert len(answers) == 1, "the withheld mail must not show on the page"
    ask(client, "anna1@example.org")
    assert len(mail.outbox) == 4, "another address is not limited by the first one"


def test_a_client_asks_for_ten_mails_an_hour_whatever_the_addresses(client, users, settings):
    """From one client address the eleventh request sends nothing, to whichever address."""
    assert settings.PASSWORD_RESET_MAILS_PER_CLIENT == 10
    answers = {ask(client, user.email) for user in users[:10]}
    assert len(mail.outbox) == 10
    answers.add(ask(client, users[10].email))
    assert len(mail.outbox) == 10
    assert len(answers) == 1
    ask(client, users[11].email, address="198.51.100.7")
    assert len(mail.outbox) == 11, "another client is not limited by the first one"


def test_the_answer_is_the_same_whether_the_address_has_an_account_or_not(client, users):
    """Known, unknown and limited addresses all get the same redirect and the same page."""
    known = ask(client, "anna0@example.org")
    unknown = ask(client, "ingen@example.org")
    for _ in range(4):
        limited = ask(client, "anna1@example.org")
    assert known == unknown == limited
    assert len(mail.outbox) == 1 + 3


def test_the_limits_count_per_hour(client, users, settings, monkeypatch):
    """An hour later the address (and the client) may ask again."""
    for _ in range(4):
        ask(client, "anna0@example.org")
    assert len(mail.outbox) == 3
    later = time.time() + settings.PASSWORD_RESET_LIMIT_WINDOW
    monkeypatch.setattr(time, "time", lambda: later)
    ask(client, "anna0@example.org")
    assert len(mail.outbox) == 4


@pytest.mark.redis
def test_the_limit_holds_in_redis_shared_by_the_processes(client, users):
    """With Redis as the cache (production), the count is kept there."""
    url = redis_url()
    problem = redis_problem(url)
    if problem:
        pytest.skip(problem)
    with override_settings(CACHES=resilient_cache(url)):
        for _ in range(4):
            ask(client, "anna0@example.org")
    assert len(mail.outbox) == 3


@override_settings(CACHES=resilient_cache(DEAD_REDIS))
def test_with_the_cache_down_the_mails_still_go(client, users):
    """Redis down: nothing is counted, so nothing is withheld (and nothing fails)."""
    for _ in range(4):
        assert ask(client, "anna0@example.org")[0] == 302
    assert len(mail.outbox) == 4
