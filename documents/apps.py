from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = _("Shared documents")
    # Not in the admin: its lists could not tell the head of administration's tier from the
    # network developer's, so documents are reached through their own pages only.
    staff_admin_models = ()
