from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworksConfig(AppConfig):
    name = "networks"
    verbose_name = _("Networks")
    # The models the staff roles reach in the admin (networks.services.role_group_setup).
    staff_admin_models = (
        "municipality",
        "district",
        "organisation",
        "networkkind",
        "networkgroup",
        "forum",
        "person",
        "grouprole",
    )
