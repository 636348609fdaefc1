from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The shared pieces. No models; installed so that its signal receivers are connected at
    start-up, not only once a middleware module happens to be imported."""

    name = "core"

    def ready(self):
        from . import security  # noqa: F401 – connects the login clock's receiver
