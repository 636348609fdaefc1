"""What a session remembers about signing in: how the user logged in, and a password login that
still waits for its second factor.

A user who must give a code is not logged in after the password: the session holds only whose
password it was, for SECOND_FACTOR_TIMEOUT seconds, and Django's login happens once the code is
right. No page, the admin included, can serve them before that.
"""

import time
from enum import StrEnum

from django.conf import settings
from django.contrib.auth import get_user_model

SIGN_IN_METHOD = "accounts_sign_in_method"
PENDING = "accounts_pending_login"


class SignInMethod(StrEnum):
    PASSWORD = "password"
    PASSWORD_AND_CODE = "password+totp"
    MUNICIPAL = "oidc"


def pending_login_start(request, *, user, next_url: str) -> None:
    """Remember that `user` gave the right password and must now give a code.

    The session gets a new key, as a login would: whoever knew the old one (a session fixed in
    the browser beforehand) cannot see the setup page's secret or try codes.
    """
    request.session.cycle_key()
    request.session[PENDING] = {
        "user": user.pk,
        "backend": user.backend,
        "since": int(time.time()),
        "next": next_url,
    }


def pending_login(request) -> dict | None:
    """Return the waiting password login ({"user", "backend", "next"}), or None if there is
    none, it has expired, or its user may no longer log in."""
    pending = request.session.get(PENDING)
    if not isinstance(pending, dict):
        return None
    if int(time.time()) - pending.get("since", 0) > settings.SECOND_FACTOR_TIMEOUT:
        pending_login_clear(request)
        return None
    user = get_user_model().objects.filter(pk=pending.get("user"), is_active=True).first()
    if user is None:
        pending_login_clear(request)
        return None
    return {"user": user, "backend": pending["backend"], "next": pending.get("next", "")}


def pending_login_clear(request) -> None:
    request.session.pop(PENDING, None)
