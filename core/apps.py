from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class CoreConfig(AppConfig):
    """The shared pieces. No models; installed so that its signal receivers are connected at
    start-up, not only once a middleware module happens to be imported."""

    name = "core"

    def ready(self):
        from . import security  # noqa: F401 – connects the login clock's receiver


class AdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with the portal's admin site (core.admin.AdminSite) as its default."""

    default_site = "core.admin.AdminSite"
    # Named in INSTALLED_APPS itself; "core" stays CoreConfig.
    default = False
