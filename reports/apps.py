from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")
    # The models the staff roles reach in the admin (networks.services.role_group_setup).
    staff_admin_models = ("annualreporttext", "kindreporttext", "reportjob")
