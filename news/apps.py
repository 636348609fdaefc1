from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsConfig(AppConfig):
    """News (nyheter) of a group, a kind or the whole portal, each with a secrecy tier."""

    name = "news"
    verbose_name = _("News")
