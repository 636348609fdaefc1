"""Housekeeping that celery beat runs every night (CELERY_BEAT_SCHEDULE in settings/base.py).

- expired sessions go (Django's `clearsessions`);
- failed logins older than the lockout cool-off go, and the login log after
  LOGIN_LOG_RETENTION_DAYS;
- report files that no report job refers to any more (left by a deleted job or a worker
  killed while writing) go after a day. Files of existing jobs, published or not, stay;
- the one-time keys of sent forms go after submissions.services.KEPT_FOR (a form sent again
  after that long would save again);
- accounts nobody has used for ACCOUNT_INACTIVE_DAYS are deactivated (never an administrator's),
  and invitations never accepted go members.services.UNANSWERED_KEPT_FOR after their link
  expired.
"""

import datetime
import logging
from importlib import import_module

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from members.services import inactive_accounts_deactivate, unanswered_invitations_delete
from reports.files import orphan_report_files_delete
from submissions.services import old_form_submissions_delete

logger = logging.getLogger(__name__)


def housekeeping_run(*, now: datetime.datetime | None = None) -> dict:
    """Remove what the retention rules say is no longer kept; return counts per kind."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    now = now or timezone.now()
    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
    log_cutoff = now - datetime.timedelta(days=settings.LOGIN_LOG_RETENTION_DAYS)
    summary = {
        "failed_logins": AccessAttempt.objects.filter(
            attempt_time__lt=now - settings.AXES_COOLOFF_TIME
        ).delete()[0],
        "login_log": AccessLog.objects.filter(attempt_time__lt=log_cutoff).delete()[0]
        + AccessFailureLog.objects.filter(attempt_time__lt=log_cutoff).delete()[0],
        "report_files": orphan_report_files_delete(now=now),
        "form_keys": old_form_submissions_delete(now=now),
        "accounts_deactivated": inactive_accounts_deactivate(now=now),
        "invitations": unanswered_invitations_delete(now=now),
    }
    logger.info("Housekeeping done: %s", summary)
    return summary


@shared_task(name="lokalsamverkan.housekeeping")
def housekeeping_task() -> dict:
    return housekeeping_run()
