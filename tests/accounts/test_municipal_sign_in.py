"""The municipality's sign-in over OpenID Connect, against a real provider on loopback."""

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.urls import reverse

from accounts.oidc import REFUSALS
from accounts.sessions import SIGN_IN_METHOD
from networks.permissions import Role
from tests.factories.accounts import coordinator_of, user_with_role
from tests.factories.networks import NetworkGroupFactory, PersonFactory
from tests.oidc_provider import ACCOUNTS, provider_login
from tests.text import sv

pytestmark = pytest.mark.django_db

ANNA = ACCOUNTS["anna"]["email"]


def sign_in(client, login, *, next_url=""):
    """Go through the whole code flow as `login`; return the portal's answer to the callback."""
    start = reverse("accounts:oidc_start") + (f"?next={next_url}" if next_url else "")
    response = client.get(start)
    assert response.status_code == 302, response
    callback = provider_login(response["Location"], login)
    assert callback.startswith("http://testserver/konto/kommunen/svar/?"), callback
    return client.get(callback.removeprefix("http://testserver"))


def logged_in_user(client):
    return client.session.get("_auth_user_id")


def refused_with(client, response, reason):
    """The answer is the login page with the Swedish reason, and nobody is logged in."""
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    page = client.get(response["Location"]).content.decode()
    assert sv(REFUSALS[reason]) in page
    return logged_in_user(client) is None


@pytest.fixture
def anna():
    """A coordinator whose person has Anna's municipal e-mail (in another case)."""
    user = coordinator_of(NetworkGroupFactory(), username="anna")
    user.email = ""
    user.save()
    user.person.email = ANNA.upper()
    user.person.save()
    return user


def test_the_login_page_offers_the_municipal_sign_in_only_when_configured(
    client, settings, oidc_provider
):
    """Without a client id, secret and issuer there is no button, and its address is a 404."""
    settings.OIDC_OP_ISSUER = oidc_provider.issuer
    settings.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_SECRET = ""
    label = sv("Log in with the municipality's account")
    assert label not in client.get(reverse("login")).content.decode()
    assert client.get(reverse("accounts:oidc_start")).status_code == 404
    assert client.get(reverse("accounts:oidc_callback")).status_code == 404
    settings.OIDC_RP_CLIENT_ID, settings.OIDC_RP_CLIENT_SECRET = "portal", "secret"
    page = client.get(reverse("login") + "?next=/moten/").content.decode()
    assert label in page
    assert f'href="{reverse("accounts:oidc_start")}?next=/moten/"' in page
    # Above the password form.
    assert page.index(label) < page.index('name="password"')


def test_a_municipal_employee_is_logged_in_by_their_persons_email(client, municipal_sign_in, anna):
    """The provider's verified e-mail names Anna's person: she lands on "Mina nätverk"."""
    response = sign_in(client, "anna")
    assert response.status_code == 302
    assert response["Location"] == reverse("meetings:my_networks")
    assert logged_in_user(client) == str(anna.pk)
    assert client.session[SIGN_IN_METHOD] == "oidc"
    assert client.get(reverse("meetings:my_networks")).status_code == 200


def test_the_sign_in_returns_to_the_page_asked_for(client, municipal_sign_in, anna):
    """A safe `next` is kept through the provider; another site's is not."""
    assert sign_in(client, "anna", next_url="/moten/")["Location"] == "/moten/"
    client.logout()
    evil = sign_in(client, "anna", next_url="https://evil.example/")
    assert evil["Location"] == reverse("meetings:my_networks")


def test_the_users_own_email_matches_too(client, municipal_sign_in):
    """A user account whose own e-mail is the provider's (no person) is logged in."""
    user = get_user_model().objects.create_user("berg", ANNA.title(), "pw")
    sign_in(client, "anna")
    assert logged_in_user(client) == str(user.pk)


def test_the_network_developer_signing_in_is_not_asked_for_a_code(client, municipal_sign_in):
    """The identity provider does the second factor: the network developer reaches the admin."""
    developer = user_with_role(Role.NETWORK_DEVELOPER, username="vera")
    developer.email = ACCOUNTS["utvecklare"]["email"]
    developer.save()
    response = sign_in(client, "utvecklare", next_url="/admin/")
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    assert client.get(reverse("meetings:meeting_list")).status_code == 200


def test_an_unknown_email_is_refused_and_no_account_is_created(client, municipal_sign_in, anna):
    """Nobody has the stranger's e-mail: a Swedish message, no user created, nobody logged in."""
    users = get_user_model().objects.count()
    assert refused_with(client, sign_in(client, "stranger"), "unknown")
    assert get_user_model().objects.count() == users


def test_an_email_of_two_accounts_is_refused(client, municipal_sign_in):
    """Two accounts have the e-mail (one by its person): neither is chosen."""
    shared = ACCOUNTS["shared"]["email"]
    get_user_model().objects.create_user("ett", shared, "pw")
    PersonFactory(email=shared.upper(), user=get_user_model().objects.create_user("tva"))
    assert refused_with(client, sign_in(client, "shared"), "ambiguous")


def test_an_unverified_email_is_refused(client, municipal_sign_in, anna):
    """email_verified false: the e-mail does not count, even if it is Anna's."""
    assert refused_with(client, sign_in(client, "unverified"), "unverified")


def test_a_deactivated_account_is_refused(client, municipal_sign_in, anna):
    anna.is_active = False
    anna.save()
    assert refused_with(client, sign_in(client, "anna"), "inactive")


@pytest.mark.parametrize(
    "mode", ["audience", "issuer", "nonce", "expired", "signature", "unsigned"]
)
def test_a_forged_or_stale_id_token_is_refused(client, municipal_sign_in, anna, mode):
    """An ID token for another client, from another issuer, for another login, expired, signed
    by another key or not at all: refused in Swedish, nobody logged in, nothing saved."""
    municipal_sign_in.tamper(mode)
    sessions = Session.objects.count()
    assert refused_with(client, sign_in(client, "anna"), "invalid")
    assert Session.objects.count() <= sessions + 1  # the anonymous session with the message


def test_a_forged_state_is_refused(client, municipal_sign_in, anna):
    """A callback whose state this browser never sent is refused, and its code never used."""
    response = client.get(reverse("accounts:oidc_start"))
    callback = provider_login(response["Location"], "anna").removeprefix("http://testserver")
    forged = callback.replace("state=", "state=x", 1)
    assert refused_with(client, client.get(forged), "state")
    # The provider accepts a code once: the real answer still works, so the forged one did
    # not even redeem it.
    assert client.get(callback)["Location"] == reverse("meetings:my_networks")
    assert logged_in_user(client) == str(anna.pk)


def test_an_answer_used_twice_is_refused(client, municipal_sign_in, anna):
    """Replaying the provider's answer (after logging out) logs nobody in."""
    response = client.get(reverse("accounts:oidc_start"))
    callback = provider_login(response["Location"], "anna").removeprefix("http://testserver")
    assert client.get(callback)["Location"] == reverse("meetings:my_networks")
    client.post(reverse("logout"))
    assert refused_with(client, client.get(callback), "state")


def test_an_answer_for_another_browser_is_refused(client, municipal_sign_in, anna):
    """A callback address sent to someone else's browser (login CSRF) logs them in as nobody."""
    response = client.get(reverse("accounts:oidc_start"))
    callback = provider_login(response["Location"], "anna").removeprefix("http://testserver")
    victim = type(client)()
    assert refused_with(victim, victim.get(callback), "state")


def test_a_cancelled_sign_in_says_so(client, municipal_sign_in):
    """The provider answers access_denied (the user cancelled): a Swedish message."""
    client.get(reverse("accounts:oidc_start"))
    state = next(iter(client.session["oidc_states"]))
    response = client.get(
        reverse("accounts:oidc_callback"), {"error": "access_denied", "state": state}
    )
    assert refused_with(client, response, "cancelled")
    assert state not in client.session.get("oidc_states", {})


def test_a_provider_that_does_not_answer_is_said_in_swedish(client, settings):
    """The issuer does not answer: the login page says so, nothing fails."""
    settings.OIDC_OP_ISSUER = "http://127.0.0.1:9"
    settings.OIDC_RP_CLIENT_ID, settings.OIDC_RP_CLIENT_SECRET = "portal", "secret"
    settings.OIDC_TIMEOUT = 2
    assert refused_with(client, client.get(reverse("accounts:oidc_start")), "unavailable")


def test_logging_out_ends_the_session(client, municipal_sign_in, anna):
    """After logging out, the signed-in session is gone from the server too."""
    sign_in(client, "anna")
    key = client.session.session_key
    client.post(reverse("logout"))
    assert not Session.objects.filter(session_key=key).exists()
    assert client.get(reverse("meetings:my_networks")).status_code == 302


def test_refused_sign_ins_lock_nobody_out(client, municipal_sign_in, anna, settings):
    """Refusals of the municipal sign-in are not counted as password guesses: after more of
    them than the lockout limit, from one address, a right sign-in and password still work."""
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        assert refused_with(client, sign_in(client, "stranger"), "unknown")
    assert not AccessAttempt.objects.exists()
    assert sign_in(client, "anna")["Location"] == reverse("meetings:my_networks")
    client.logout()
    anna.set_password("rätt-lösenord-2024")
    anna.save()
    response = client.post(reverse("login"), {"username": "anna", "password": "rätt-lösenord-2024"})
    assert response.status_code == 302


def test_password_guesses_are_still_locked_out(client, anna, settings):
    """django-axes keeps counting wrong passwords with the sign-in's backend installed."""
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "anna", "password": "fel"})
    assert client.post(reverse("login"), {"username": "anna", "password": "pw"}).status_code == 429
