"""The demo's second factor: the demo accounts that need a code get an authenticator app with
one published secret, so a newcomer can log in as them (README, "Demo accounts").

Only the demo loader calls this. The secret is public: an account with it is as open as its
password "demo".
"""

import base64

from django.contrib.auth import get_user_model

from core.demo import LoadSummary
from networks.permissions import requires_second_factor

from . import services
from .models import AuthenticatorApp

# Base32, as an authenticator app takes it (20 bytes).
DEMO_TOTP_SECRET = "LOKALSAMVERKANDEMOLOKALSAMVERKAN"


def demo_key_hex() -> str:
    return base64.b32decode(DEMO_TOTP_SECRET).hex()


def demo_second_factor_load(*, data: dict) -> LoadSummary:
    """Give the data set's accounts that need a second factor the demo's authenticator app."""
    summary = LoadSummary()
    names = [item["username"] for item in data.get("accounts", [])]
    users = [
        user
        for user in get_user_model().objects.filter(username__in=names).order_by("username")
        if requires_second_factor(user)
    ]
    created = services.demo_devices_create(users=users, key_hex=demo_key_hex())
    summary.created[str(AuthenticatorApp._meta.verbose_name_plural)] = created
    return summary
