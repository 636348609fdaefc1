from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """What spans the apps: the public pages and feeds, their cache, housekeeping, the demo."""

    name = "portal"
    verbose_name = _("Portal")

    def ready(self):
        from .public_cache import connect_signals

        connect_signals()
