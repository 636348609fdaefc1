from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Signing in: the municipality's identity provider (OpenID Connect) and, for the roles
    that need one, a second factor (TOTP) after a password."""

    name = "accounts"
    verbose_name = _("Sign-in")
