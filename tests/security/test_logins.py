"""Logins: lockout after repeated failures (django-axes), sessions that end, a fresh session key."""

import datetime
import time

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.security import LAST_SEEN, LOGIN_AT
from tests.factories.accounts import coordinator_of
from tests.factories.networks import NetworkGroupFactory
from tests.text import sv

pytestmark = pytest.mark.django_db

PASSWORD = "rätt-lösenord-2024"


@pytest.fixture
def user():
    user = coordinator_of(NetworkGroupFactory(), username="samordnare")
    user.set_password(PASSWORD)
    user.save()
    return user


def log_in(client, password, *, username="samordnare", address="192.0.2.10"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def test_five_failures_lock_the_user_name_from_that_address_with_a_swedish_page(client, user):
    """The fifth wrong password locks; then even the right one is refused, with a clear page."""
    for _ in range(4):
        assert log_in(client, "fel").status_code == 200
    assert log_in(client, "fel").status_code == 429
    response = log_in(client, PASSWORD)
    assert response.status_code == 429
    page = response.content.decode()
    assert sv("Too many failed logins") in page
    try_again = sv(
        "Try again in %(minutes)s minutes. If you have forgotten your password, you can set a "
        "new one.",
        minutes=15,
    )
    assert try_again in page
    assert '<html lang="sv"' in page
    assert "_auth_user_id" not in client.session


def test_the_lockout_is_per_user_name_and_address(client, user):
    """A guesser at one address blocks neither the user elsewhere nor others at that address."""
    colleague = coordinator_of(NetworkGroupFactory(), username="kollega")
    colleague.set_password(PASSWORD)
    colleague.save()
    for _ in range(5):
        log_in(client, "fel")
    assert log_in(client, PASSWORD).status_code == 429
    assert log_in(Client(), PASSWORD, address="198.51.100.7").status_code == 302
    assert log_in(Client(), PASSWORD, username="kollega").status_code == 302


def test_the_lockout_ends_after_the_cool_off(client, user):
    """Fifteen minutes after the last failure the user may log in again: it is not permanent."""
    for _ in range(5):
        log_in(client, "fel")
    assert log_in(client, PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timezone.timedelta(minutes=16))
    assert log_in(client, PASSWORD).status_code == 302


def test_attempts_during_the_lockout_do_not_prolong_it(client, user, settings):
    """Trying again and again while locked out (wrong or right password) ends no later.

    Otherwise anyone at the victim's address could keep them locked out for good.
    """
    cool_off = 2.0
    settings.AXES_COOLOFF_TIME = datetime.timedelta(seconds=cool_off)
    for _ in range(5):
        log_in(client, "fel")
    locked_at = time.monotonic()
    attempts = 0
    while time.monotonic() - locked_at < cool_off - 0.3:
        password = PASSWORD if attempts % 2 else "fel"
        assert log_in(client, password).status_code == 429
        attempts += 1
        time.sleep(0.1)
    assert attempts >= 5
    time.sleep(max(0.0, locked_at + cool_off + 0.3 - time.monotonic()))
    assert log_in(client, PASSWORD).status_code == 302


def test_a_successful_login_clears_the_failures(client, user):
    """Four failures, a success, then four failures again: still not locked out."""
    for _ in range(4):
        log_in(client, "fel")
    assert log_in(client, PASSWORD).status_code == 302
    client.post(reverse("logout"))
    for _ in range(4):
        log_in(client, "fel")
    assert log_in(client, PASSWORD).status_code == 302


def test_logging_in_gives_a_new_session_key(client, user):
    """A session key known before the login (e.g. planted by an attacker) is worthless after."""
    client.get(reverse("login"))
    session = client.session
    session["visited"] = True
    session.save()
    before = session.session_key
    assert log_in(client, PASSWORD).status_code == 302
    after = client.cookies["sessionid"].value
    assert after != before
    assert not Session.objects.filter(session_key=before).exists()


def test_logging_out_ends_the_session_for_good(client, user):
    """After logout (a POST) the old session cookie opens nothing; a GET does not log out."""
    log_in(client, PASSWORD)
    old_cookie = client.cookies["sessionid"].value
    assert client.get(reverse("logout")).status_code == 405
    assert client.post(reverse("logout")).status_code == 302
    replay = Client()
    replay.cookies["sessionid"] = old_cookie
    response = replay.get(reverse("meetings:my_networks"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_session_ends_after_two_idle_hours(client, user):
    """No request for over two hours: the next one finds the user logged out."""
    log_in(client, PASSWORD)
    assert client.get(reverse("meetings:my_networks")).status_code == 200
    session = client.session
    session[LAST_SEEN] = int(time.time()) - 2 * 60 * 60 - 5
    session.save()
    response = client.get(reverse("meetings:my_networks"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_a_session_ends_eight_hours_after_login_however_busy(client, user):
    """Active all day, the login still ends eight hours after it began."""
    log_in(client, PASSWORD)
    session = client.session
    session[LOGIN_AT] = int(time.time()) - 8 * 60 * 60 - 5
    session[LAST_SEEN] = int(time.time())
    session.save()
    response = client.get(reverse("meetings:my_networks"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_the_session_cookie_is_http_only_and_dies_with_the_browser(client, user):
    """The session cookie is hidden from scripts and not kept when the browser closes."""
    log_in(client, PASSWORD)
    cookie = client.cookies["sessionid"]
    assert cookie["httponly"]
    assert not cookie["max-age"] and not cookie["expires"]


def test_weak_passwords_are_refused(user):
    """Django's validators refuse short, common, numeric and user-name-like passwords."""
    for weak in ("demo", "password123", "12345678901", "samordnare1"):
        with pytest.raises(ValidationError):
            validate_password(weak, user)


def test_the_address_behind_trusted_proxies_is_the_one_counted(rf, settings):
    """Behind one proxy the last X-Forwarded-For entry counts; a forged earlier one does not."""
    from core.security import client_ip

    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9")
    assert client_ip(request) == "10.0.0.2"
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request) == "203.0.113.9"


def test_a_form_the_csrf_check_refuses_gets_the_swedish_403_page(db):
    """A login form without its CSRF token is refused on the portal's page, saying what to do."""
    from django.test import Client

    from core.views import CSRF_REFUSED

    response = Client(enforce_csrf_checks=True).post(
        reverse("login"), {"username": "x", "password": "y"}
    )
    assert response.status_code == 403
    page = response.content.decode()
    assert 'lang="sv"' in page
    assert sv(CSRF_REFUSED) in page
