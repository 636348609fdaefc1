"""The second factor: network developers and administrators give a code from an app (TOTP) after
their password, before they are logged in at all."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.sessions import SIGN_IN_METHOD
from networks.permissions import Role, requires_second_factor
from tests.factories.accounts import coordinator_of, user_with_role
from tests.factories.networks import NetworkGroupFactory
from tests.text import sv

pytestmark = pytest.mark.django_db

PASSWORD = "rätt-lösenord-2024"


def with_password(user):
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.fixture
def developer():
    return with_password(user_with_role(Role.NETWORK_DEVELOPER, username="vera"))


def device_of(user, *, confirmed=True):
    return TOTPDevice.objects.create(user=user, name="app", confirmed=confirmed)


def code_of(device, *, steps_ahead=0) -> str:
    """The code the user's app shows now (or a later time step's: a fresh code)."""
    return f"{totp(device.bin_key, t0=-steps_ahead * device.step):06d}"


def log_in(client, username, *, next_url=None):
    data = {"username": username, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post(reverse("login"), data)


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def code_errors(response) -> list[str]:
    return response.context["form"].errors.get("code", [])


def test_who_must_give_a_code():
    """Administrators and the network developer; not the head of administration, coordinators
    or anyone else."""
    assert requires_second_factor(user_with_role(Role.ADMINISTRATOR))
    assert requires_second_factor(user_with_role(Role.NETWORK_DEVELOPER))
    assert not requires_second_factor(user_with_role(Role.HEAD_OF_ADMINISTRATION))
    assert not requires_second_factor(coordinator_of(NetworkGroupFactory()))
    assert not requires_second_factor(get_user_model().objects.create_user("medlem"))


def test_a_first_login_sets_up_the_app_with_a_qr_code_and_the_key_as_text(client, developer):
    """Right password, no app yet: the setup page, a QR code (SVG) and the key; a right code
    confirms the app and logs in where the user was going."""
    response = log_in(client, "vera", next_url="/moten/")
    assert response["Location"] == reverse("accounts:second_factor_setup")
    assert not logged_in(client)
    page = client.get(response["Location"])
    html = page.content.decode()
    assert sv("Set up your authenticator app") in html
    assert re.search(r'<img [^>]*src="data:image/svg\+xml;base64,[A-Za-z0-9+/=]+"[^>]*alt="', html)
    device = TOTPDevice.objects.get(user=developer)
    assert not device.confirmed
    assert page.context["secret"].replace(" ", "") in device.config_url
    assert "<code" in html and page.context["secret"] in html

    response = client.post(reverse("accounts:second_factor_setup"), {"code": code_of(device)})
    assert response["Location"] == "/moten/"
    assert logged_in(client)
    assert client.session[SIGN_IN_METHOD] == "password+totp"
    device.refresh_from_db()
    assert device.confirmed


def test_reloading_the_setup_page_keeps_the_key(client, developer):
    """An app that scanned the code before a reload still gives right codes."""
    log_in(client, "vera")
    first = client.get(reverse("accounts:second_factor_setup")).context["secret"]
    assert client.get(reverse("accounts:second_factor_setup")).context["secret"] == first
    assert TOTPDevice.objects.filter(user=developer).count() == 1


def test_a_wrong_code_at_setup_is_refused_next_to_the_field(client, developer, settings):
    """A wrong code: a Swedish message at the field, the app not confirmed, nobody logged in."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    log_in(client, "vera")
    client.get(reverse("accounts:second_factor_setup"))
    for wrong in ("000000", "12345", "abcdef"):
        response = client.post(reverse("accounts:second_factor_setup"), {"code": wrong})
        assert response.status_code == 200
        assert code_errors(response)
        assert 'aria-invalid="true"' in response.content.decode()
    assert sv("Enter the six digits the app shows.") in code_errors(response)
    assert not logged_in(client)
    assert not TOTPDevice.objects.get(user=developer).confirmed


def test_the_network_developer_gives_a_code_before_being_logged_in(client, developer):
    """With an app: after the password the code page, and nothing of the portal or the admin
    until the code is right."""
    device = device_of(developer)
    response = log_in(client, "vera", next_url="/admin/")
    assert response["Location"] == reverse("accounts:second_factor")
    assert not logged_in(client)
    # /moten/ shows only what the public sees; the rest sends to log in.
    assert not client.get(reverse("meetings:meeting_list")).wsgi_request.user.is_authenticated
    for path in ("/admin/", reverse("meetings:my_networks"), reverse("meetings:meeting_create")):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith(("/konto/logga-in/", "/admin/login/"))
    page = client.get(reverse("accounts:second_factor")).content.decode()
    assert sv("Code from your app") in page
    assert 'autocomplete="one-time-code"' in page

    response = client.post(reverse("accounts:second_factor"), {"code": code_of(device)})
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    assert client.get(reverse("meetings:meeting_list")).status_code == 200


def test_an_administrator_gives_a_code_too(client):
    admin = with_password(user_with_role(Role.ADMINISTRATOR, username="admin"))
    device = device_of(admin)
    assert log_in(client, "admin")["Location"] == reverse("accounts:second_factor")
    assert not logged_in(client)
    client.post(reverse("accounts:second_factor"), {"code": code_of(device)})
    assert logged_in(client)


@pytest.mark.parametrize("role", ["head", "coordinator"])
def test_other_roles_are_not_asked_for_a_code(client, role):
    """The head of administration and coordinators are logged in by their password alone."""
    if role == "head":
        user = user_with_role(Role.HEAD_OF_ADMINISTRATION, username="chef")
    else:
        user = coordinator_of(NetworkGroupFactory(), username="chef")
    with_password(user)
    assert log_in(client, "chef")["Location"] == reverse("meetings:my_networks")
    assert logged_in(client)
    assert client.session[SIGN_IN_METHOD] == "password"


def test_a_wrong_code_is_refused_and_repeated_ones_are_slowed_down(client, developer):
    """Each wrong code doubles the wait; during it even the right code is not checked."""
    device = device_of(developer)
    log_in(client, "vera")
    response = client.post(reverse("accounts:second_factor"), {"code": "000000"})
    assert sv(
        "The code is not right. Enter the code the app shows now; each code can be used once."
    ) in code_errors(response)
    response = client.post(reverse("accounts:second_factor"), {"code": code_of(device)})
    (message,) = code_errors(response)
    assert message.startswith(
        sv("Too many wrong codes. Wait %(seconds)s seconds, then try again.", seconds=1)[:30]
    )
    assert not logged_in(client)
    device.refresh_from_db()
    assert device.throttling_failure_count == 1
    # Once the pause is over the right code works.
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=timezone.now() - datetime.timedelta(seconds=5)
    )
    client.post(reverse("accounts:second_factor"), {"code": code_of(device)})
    assert logged_in(client)


def test_a_code_is_accepted_once(client, developer):
    """A code seen over someone's shoulder cannot be used again after its owner used it."""
    device = device_of(developer)
    code = code_of(device)
    log_in(client, "vera")
    client.post(reverse("accounts:second_factor"), {"code": code})
    assert logged_in(client)
    client.post(reverse("logout"))
    log_in(client, "vera")
    response = client.post(reverse("accounts:second_factor"), {"code": code})
    assert code_errors(response)
    assert not logged_in(client)


def test_the_setup_page_cannot_add_a_second_app(client, developer):
    """Someone with only the password cannot replace the owner's app: setup leads to the code."""
    device_of(developer)
    log_in(client, "vera")
    response = client.get(reverse("accounts:second_factor_setup"))
    assert response["Location"] == reverse("accounts:second_factor")
    assert TOTPDevice.objects.filter(user=developer).count() == 1


def test_the_code_pages_need_a_right_password_first(client, developer):
    """Without a password just given, the code pages send to the login page in Swedish."""
    for name in ("accounts:second_factor", "accounts:second_factor_setup"):
        response = client.get(reverse(name))
        assert response["Location"] == reverse("login")
    assert (
        sv("Your login has expired. Log in again.") in client.get(reverse("login")).content.decode()
    )


def test_a_waiting_password_expires(client, developer, settings):
    """A password not followed by a code within the time limit must be given again."""
    device = device_of(developer)
    log_in(client, "vera")
    session = client.session
    session["accounts_pending_login"]["since"] -= settings.SECOND_FACTOR_TIMEOUT + 1
    session.save()
    response = client.post(reverse("accounts:second_factor"), {"code": code_of(device)})
    assert response["Location"] == reverse("login")
    assert not logged_in(client)


def test_a_user_deactivated_while_giving_the_code_is_not_logged_in(client, developer):
    device = device_of(developer)
    log_in(client, "vera")
    developer.is_active = False
    developer.save()
    client.post(reverse("accounts:second_factor"), {"code": code_of(device)})
    assert not logged_in(client)


def test_the_admin_login_is_the_portals(client, developer):
    """/admin/login/ sends to the portal's login (with the second factor), keeping a safe next."""
    response = client.get("/admin/login/?next=/admin/networks/")
    assert response["Location"] == "/konto/logga-in/?next=/admin/networks/"
    response = client.get("/admin/login/?next=https://evil.example/")
    assert response["Location"] == "/konto/logga-in/?next=/admin/"
    # Posting a password to the admin's login logs nobody in.
    client.post("/admin/login/", {"username": "vera", "password": PASSWORD})
    assert not logged_in(client)


def test_wrong_passwords_of_the_network_developer_are_still_locked_out(client, developer, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "vera", "password": "fel"})
    assert log_in(client, "vera").status_code == 429
    assert "accounts_pending_login" not in client.session


def test_the_right_password_gives_the_waiting_login_a_new_session_key(client, developer):
    """A session key known beforehand (fixed in the browser) is worth nothing after the password."""
    device_of(developer)
    client.get(reverse("login"))
    client.session.save()
    before = client.session.session_key
    log_in(client, "vera")
    assert client.session.session_key != before
    fixed = type(client)()
    fixed.cookies["sessionid"] = before
    assert fixed.get(reverse("accounts:second_factor"))["Location"] == reverse("login")
