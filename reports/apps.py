from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")
    # The models the staff roles reach in the admin (networks.services.role_group_setup).
    staff_admin_models = ("annualreporttext", "kindreporttext", "reportjob")

    def ready(self):
        from .checks import report_timeouts_check

        checks.register(report_timeouts_check)
