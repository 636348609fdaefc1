"""Signing in, end to end in Chromium: the municipality's identity provider, and the network
developer's second factor – every page of the portal checked on the way (see conftest.py)."""

import base64
import re

import pytest
from django.contrib.auth import get_user_model
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.demo import DEMO_TOTP_SECRET
from meetings.models import Meeting, Visibility
from tests.oidc_provider import ACCOUNTS
from tests.text import sv

from .conftest import PHONE

pytestmark = pytest.mark.django_db(transaction=True)


def code_for(secret: str, *, steps_ahead: int = 0) -> str:
    """The code an app holding the base32 `secret` shows (or a later time step's)."""
    key = base64.b32decode(secret.replace(" ", ""))
    return f"{totp(key, t0=-30 * steps_ahead):06d}"


def test_a_municipal_employee_signs_in_with_the_municipalitys_account(pages, municipal_sign_in):
    """ "Logga in med kommunens konto", the provider's login, back on "Mina nätverk", and the
    confidential notes of her group are hers to read: she works for a municipal administration,
    bound by professional secrecy."""
    # The municipality's directory knows the demo's municipal member by her work e-mail.
    employee = get_user_model().objects.get(username="medlem-kommun")
    employee.person.email = ACCOUNTS["anna"]["email"]
    employee.person.save()
    confidential = (
        Meeting.objects.filter(
            group__roles__person=employee.person,
            notes_visibility=Visibility.CONFIDENTIAL,
            visibility=Visibility.PUBLIC,
        )
        .exclude(notes="")
        .first()
    )

    tab = pages("municipal-sign-in", viewport=PHONE)
    page = tab.visit("/konto/logga-in/", "login with the municipal sign-in")
    tab.snap("login")
    page.get_by_role("link", name=sv("Log in with the municipality's account")).click()

    # The identity provider's own login page (oidc-provider's development form).
    page.wait_for_url(re.compile(re.escape(municipal_sign_in.issuer) + r"/interaction/"))
    page.locator("input[name=login]").fill("anna")
    page.locator("input[name=password]").fill("vad-som-helst")
    page.locator("button[type=submit]").click()

    page.wait_for_url(re.compile(r"/mina-natverk/$"))
    tab.check("my networks after the municipal sign-in")
    tab.snap("my-networks")
    assert page.get_by_role("heading", level=1).inner_text().strip()
    assert page.get_by_role("button", name=sv("Log out")).is_visible()
    page = tab.visit(confidential.get_absolute_url(), "a meeting with confidential notes")
    assert confidential.notes in page.locator("main").inner_text()
    tab.assert_clean()


def test_the_network_developer_sets_up_the_app_and_gives_its_code(pages):
    """A password login of the network developer: set up the app from the key shown as text,
    a wrong code refused beside the field, then the app's code logs in."""
    TOTPDevice.objects.filter(user__username="utvecklare").delete()
    tab = pages("second-factor")
    page = tab.visit("/konto/logga-in/", "login")
    page.get_by_label(sv("username")).fill("utvecklare")
    page.get_by_label(sv("Password")).fill("demo")
    page.get_by_role("button", name=sv("Log in")).click()

    page.wait_for_url(re.compile(r"/konto/kod/ny/$"))
    tab.check("set up the authenticator app")
    tab.snap("setup")
    qr = page.get_by_role(
        "img", name=sv("QR code for the authenticator app; the same key is written out below.")
    )
    assert qr.get_attribute("src").startswith("data:image/svg+xml;base64,")
    secret = page.locator("#secret").inner_text()
    code = page.get_by_label(sv("Code from the app"))
    code.fill("123456" if code_for(secret) != "123456" else "654321")
    page.get_by_role("button", name=sv("Confirm and log in")).click()
    page.wait_for_load_state("load")
    tab.check("setup with a wrong code")
    assert page.get_by_label(sv("Code from the app")).get_attribute("aria-invalid") == "true"
    page.wait_for_timeout(1100)  # the pause after one wrong code
    page.get_by_label(sv("Code from the app")).fill(code_for(secret))
    page.get_by_role("button", name=sv("Confirm and log in")).click()
    page.wait_for_url(re.compile(r"/mina-natverk/$"))
    tab.check("my networks after setting up the app")

    page.get_by_role("button", name=sv("Log out")).click()
    page.goto("/konto/logga-in/?next=/admin/")
    page.get_by_label(sv("username")).fill("utvecklare")
    page.get_by_label(sv("Password")).fill("demo")
    page.get_by_role("button", name=sv("Log in")).click()
    page.wait_for_url(re.compile(r"/konto/kod/$"))
    tab.check("code from the app")
    tab.snap("code")
    page.get_by_label(sv("Code from the app")).fill(code_for(secret, steps_ahead=1))
    page.get_by_role("button", name=sv("Log in")).click()
    page.wait_for_url(re.compile(r"/admin/$"))
    tab.assert_clean()


def test_the_demo_network_developer_logs_in_with_the_published_demo_secret(pages):
    """As README says: utvecklare / demo, then the code of the demo secret."""
    tab = pages("demo-second-factor")
    page = tab.visit("/konto/logga-in/", "login")
    page.get_by_label(sv("username")).fill("utvecklare")
    page.get_by_label(sv("Password")).fill("demo")
    page.get_by_role("button", name=sv("Log in")).click()
    page.wait_for_url(re.compile(r"/konto/kod/$"))
    page.get_by_label(sv("Code from the app")).fill(code_for(DEMO_TOTP_SECRET))
    page.get_by_role("button", name=sv("Log in")).click()
    page.wait_for_url(re.compile(r"/mina-natverk/$"))
    tab.assert_clean()
