"""The second factor: an authenticator app's codes (TOTP, django-otp), set up once per user.

A user who must give a code (networks.permissions.requires_second_factor) and has no device yet
is led through setting one up after the password: a new secret, shown as a QR code and as text,
confirmed with a code from the app. An administrator who deletes a user's device in the admin
makes them set up a new one at their next login.
"""

import base64
from dataclasses import dataclass
from datetime import datetime

import qrcode
import qrcode.image.svg
from django.contrib.auth import login
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from .sessions import SIGN_IN_METHOD, SignInMethod, pending_login_clear

DEVICE_NAME = _("Authenticator app")


def confirmed_device(user) -> TOTPDevice | None:
    """Return the user's confirmed authenticator app, if they have set one up."""
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).order_by("pk").first()


def totp_device_setup(*, user) -> TOTPDevice:
    """Return the user's unconfirmed device, creating it with a new random secret if none.

    Showing the setup page again shows the same secret, so a code from an app that already
    scanned it still works.
    """
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice(user=user, name=str(DEVICE_NAME), confirmed=False)
        device.full_clean()
        device.save()
    return device


def secret_text(device: TOTPDevice) -> str:
    """Return the device's secret in base32, in groups of four, as apps ask it to be typed."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_code_data_uri(device: TOTPDevice) -> str:
    """Return the device's otpauth:// address as a QR code, an SVG in a data: URI (an image the
    Content Security Policy allows, with no inline code)."""
    image = qrcode.make(
        device.config_url, image_factory=qrcode.image.svg.SvgPathFillImage, box_size=10
    )
    svg = image.to_string(encoding="unicode").encode()
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode()


@dataclass(frozen=True)
class CodeCheck:
    accepted: bool
    # While wrong codes have paused checking: when the next code will be checked.
    paused_until: datetime | None = None

    @property
    def seconds_to_wait(self) -> int:
        if self.paused_until is None:
            return 0
        return max(1, int((self.paused_until - timezone.now()).total_seconds()) + 1)


@transaction.atomic
def totp_code_check(*, device: TOTPDevice, code: str) -> CodeCheck:
    """Check `code` against `device`, and confirm the device when it is right.

    Each wrong code doubles the pause before the next is checked (django-otp's throttling); a
    code is accepted once only. The device row is locked, so two requests at once are counted
    as two.
    """
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
    allowed, details = device.verify_is_allowed()
    if not allowed:
        return CodeCheck(False, paused_until=(details or {}).get("locked_until"))
    if not device.verify_token(code):
        return CodeCheck(False)
    if not device.confirmed:
        device.confirmed = True
        device.save(update_fields=["confirmed"])
    return CodeCheck(True)


def login_with_second_factor(request, *, user, backend: str, device: TOTPDevice) -> None:
    """Log the user in after the password and a right code from `device`."""
    pending_login_clear(request)
    login(request, user, backend=backend)
    otp_login(request, device)
    request.session[SIGN_IN_METHOD] = SignInMethod.PASSWORD_AND_CODE


def demo_devices_create(*, users, key_hex: str) -> int:
    """Give each of `users` without an authenticator app a confirmed one with the secret
    `key_hex` (the demo loader's published secret); return how many were created."""
    created = 0
    for user in users:
        if confirmed_device(user) is None:
            device = TOTPDevice(user=user, name=str(DEVICE_NAME), key=key_hex, confirmed=True)
            device.full_clean()
            device.save()
            created += 1
    return created
