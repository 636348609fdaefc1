"""Logging in and out and resetting a password, in Swedish, at the /konto/ addresses."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from tests.factories.accounts import coordinator_of
from tests.factories.networks import MunicipalityFactory, NetworkGroupFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator():
    MunicipalityFactory()
    user = coordinator_of(NetworkGroupFactory(name="Boda"), username="samordnare")
    user.email = "samordnare@example.org"
    user.save()
    return user


def html_of(response):
    return response.content.decode()


def test_account_pages_live_at_swedish_addresses():
    """Login, logout, password change and reset are under /konto/ with Swedish words."""
    assert reverse("login") == "/konto/logga-in/"
    assert reverse("logout") == "/konto/logga-ut/"
    assert reverse("password_change") == "/konto/losenord/"
    assert reverse("password_reset") == "/konto/aterstall/"


def test_login_page_is_swedish_with_labelled_fields(client, coordinator):
    """The login page is in Swedish, each field with its label, and links to the reset."""
    html = html_of(client.get(reverse("login")))
    assert '<html lang="sv">' in html
    assert "<h1>Logga in</h1>" in html
    assert re.search(r'<label\s+for="id_username"[^>]*>\s*Användarnamn', html)
    assert re.search(r'<label\s+for="id_password"[^>]*>\s*Lösenord', html)
    assert reverse("password_reset") in html


def test_wrong_password_is_refused_in_swedish(client, coordinator):
    """A wrong password gives a Swedish message and no session."""
    response = client.post(reverse("login"), {"username": "samordnare", "password": "fel"})
    assert response.status_code == 200
    html = html_of(response)
    assert "Ange ett korrekt användarnamn och lösenord" in html
    assert 'role="alert"' in html
    assert "_auth_user_id" not in client.session


def test_login_goes_to_my_networks(client, coordinator):
    """After logging in a coordinator lands on Mina nätverk, showing their group."""
    response = client.post(reverse("login"), {"username": "samordnare", "password": "pw"})
    assert response["Location"] == reverse("meetings:my_networks")
    assert "Boda" in html_of(client.get(response["Location"]))


def test_login_follows_next(client, coordinator):
    """Logging in from a page that needed it returns the user to that page."""
    create = reverse("meetings:meeting_create")
    response = client.get(create)
    assert response["Location"] == f"{reverse('login')}?next={create}"
    response = client.post(
        reverse("login"), {"username": "samordnare", "password": "pw", "next": create}
    )
    assert response["Location"] == create


def test_logout_by_post_ends_the_session(client, coordinator):
    """Logging out (a POST, as the menu's button sends) ends the session."""
    client.force_login(coordinator)
    assert client.get(reverse("meetings:my_networks")).status_code == 200
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("meetings:my_networks"))["Location"].startswith(reverse("login"))


def test_password_reset_mails_a_link_that_sets_a_new_password(client, coordinator):
    """The reset mails a Swedish message whose link lets the user choose a new password."""
    response = client.post(reverse("password_reset"), {"email": "samordnare@example.org"})
    assert response["Location"] == reverse("password_reset_done")
    assert "Titta i din e-post" in html_of(client.get(response["Location"]))
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "Återställ ditt lösenord till Lokal samverkan"
    assert "Ditt användarnamn är: samordnare" in message.body
    link = re.search(r"https?://[^/\s]+(/konto/aterstall/\S+/)", message.body).group(1)

    # Django swaps the token for a session key, then shows the form at a fixed address.
    form_url = client.get(link)["Location"]
    assert "Välj ett nytt lösenord" in html_of(client.get(form_url))
    response = client.post(
        form_url, {"new_password1": "Trygg-Hulta-2027", "new_password2": "Trygg-Hulta-2027"}
    )
    assert response["Location"] == reverse("password_reset_complete")
    assert "Lösenordet är sparat" in html_of(client.get(response["Location"]))
    assert get_user_model().objects.get(pk=coordinator.pk).check_password("Trygg-Hulta-2027")
    # The link works once.
    assert "Länken fungerar inte längre" in html_of(client.get(link, follow=True))


def test_password_reset_mismatch_is_explained_in_swedish(client, coordinator):
    """Two different new passwords are refused with a Swedish message beside the field."""
    client.post(reverse("password_reset"), {"email": "samordnare@example.org"})
    link = re.search(r"(/konto/aterstall/\S+/)", mail.outbox[0].body).group(1)
    form_url = client.get(link)["Location"]
    html = html_of(client.post(form_url, {"new_password1": "Abc-12345x", "new_password2": "x"}))
    assert re.search(
        r'<input[^>]*name="new_password2"[^>]*aria-describedby="[^"]*id_new_password2_error"', html
    )
    error = re.search(r'id="id_new_password2_error"[^>]*>(.*?)</div>', html, re.S).group(1)
    assert "De två lösenordsfälten stämmer inte överens." in error


def test_password_change_needs_login_and_is_swedish(client, coordinator):
    """Changing the password asks for the old one, in Swedish."""
    assert client.get(reverse("password_change"))["Location"].startswith(reverse("login"))
    client.force_login(coordinator)
    html = html_of(client.get(reverse("password_change")))
    assert "<h1>Byt lösenord</h1>" in html
    assert re.search(r'<label\s+for="id_old_password"[^>]*>\s*Gammalt lösenord', html)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "pw",
            "new_password1": "Trygg-Hulta-2027",
            "new_password2": "Trygg-Hulta-2027",
        },
    )
    assert response["Location"] == reverse("password_change_done")
