"""The account view that differs from Django's: a password reset that mails each address, and
answers each client, only so many times an hour."""

import hashlib
import logging
import unicodedata

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect

from core.security import client_ip, within_rate_limit

logger = logging.getLogger(__name__)


class PasswordResetView(auth_views.PasswordResetView):
    """Django's password reset, withholding the mail past PASSWORD_RESET_MAILS_PER_ADDRESS
    requests for one address, or PASSWORD_RESET_MAILS_PER_CLIENT from one client address, in a
    window of PASSWORD_RESET_LIMIT_WINDOW seconds.

    The answer is the same whether a mail went, was withheld, or the address has no account,
    so the page tells nobody which addresses exist.
    """

    def form_valid(self, form):
        if reset_mail_allowed(self.request, form.cleaned_data["email"]):
            return super().form_valid(form)
        logger.warning(
            "Password-reset mail withheld: limit reached (client %s)", client_ip(self.request)
        )
        return HttpResponseRedirect(self.get_success_url())


def reset_mail_allowed(request, email: str) -> bool:
    """Count a request for a reset mail to `email` from this client; return whether both the
    address and the client are within their limits.

    The address is compared as Django's reset form finds its account (NFKC, case-folded), so
    case variants count together; it is kept in the cache only as a hash.
    """
    window = settings.PASSWORD_RESET_LIMIT_WINDOW
    address = unicodedata.normalize("NFKC", email).casefold()
    digest = hashlib.sha256(address.encode()).hexdigest()
    # Count both every time: a client refused for one reason still uses up the other.
    for_address = within_rate_limit(
        f"password-reset:address:{digest}", settings.PASSWORD_RESET_MAILS_PER_ADDRESS, window
    )
    for_client = within_rate_limit(
        f"password-reset:client:{client_ip(request)}",
        settings.PASSWORD_RESET_MAILS_PER_CLIENT,
        window,
    )
    return for_address and for_client
