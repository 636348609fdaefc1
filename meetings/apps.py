from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Meetings and activities")
    # The models the staff roles reach in the admin (networks.services.role_group_setup).
    staff_admin_models = ("meeting", "activity", "meetingseries")
