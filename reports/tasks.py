"""The Celery task that renders a report job. Without a broker it runs in-process (eagerly).

The task takes the job's id and reads everything else from the row, so a message delivered twice
or after a crash does no harm: a done job returns at once, and a rerun replaces the job's one
file. acks_late with reject_on_worker_lost puts the message back when the worker dies mid-render,
so another worker redoes the job; transient errors (the database or the disk hiccuping) are
retried with backoff, and after the last try the job is failed with a message in Swedish.
"""

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .jobs import (
    RENDER_SOFT_TIME_LIMIT,
    RENDER_TIME_LIMIT,
    report_job_fail,
    report_job_start,
    report_render,
)

logger = logging.getLogger(__name__)

TRANSIENT_ERRORS = (OperationalError, InterfaceError, OSError)
MAX_RETRIES = 3


TEMPORARY_FAULT = _(
    "The report could not be created because of a temporary fault. Try again in a while."
)
TOO_SLOW = _(
    "Creating the report took too long and was stopped. Try again; if it happens again, "
    "contact the system administrator."
)
ERROR = _(
    "The report could not be created because of an error. The error has been logged; contact "
    "the system administrator if it happens again."
)


def _fail_in_site_language(job_id: int, message) -> None:
    """Fail the job with `message` in the site's language (a worker has no request)."""
    with translation.override(settings.LANGUAGE_CODE):
        report_job_fail(job_id=job_id, message=str(message))


@shared_task(
    bind=True,
    name="reports.render",
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=RENDER_SOFT_TIME_LIMIT.total_seconds(),
    time_limit=RENDER_TIME_LIMIT.total_seconds(),
    autoretry_for=TRANSIENT_ERRORS,
    max_retries=MAX_RETRIES,
    retry_backoff=5,
    retry_backoff_max=120,
    retry_jitter=True,
    ignore_result=True,
)
def report_render_task(self, job_id: int) -> None:
    """Render report job `job_id`; return at once when it is done (or gone, or failed)."""
    job = report_job_start(job_id=job_id)
    if job is None:
        return
    try:
        report_render(job=job)
    except TRANSIENT_ERRORS:
        if self.request.retries >= MAX_RETRIES:
            logger.exception("Report job %s failed after %s retries", job_id, MAX_RETRIES)
            _fail_in_site_language(job_id, TEMPORARY_FAULT)
            return
        logger.warning("Report job %s hit a transient error; retrying", job_id, exc_info=True)
        if self.request.is_eager:
            # In-process there is no queue to wait in (and Celery does not rerun an eager task
            # that asks for a retry): try again at once.
            report_render_task.apply(args=(job_id,), retries=self.request.retries + 1)
            return
        raise
    except SoftTimeLimitExceeded:
        logger.exception("Report job %s took too long", job_id)
        _fail_in_site_language(job_id, TOO_SLOW)
    except Exception:
        logger.exception("Report job %s failed", job_id)
        _fail_in_site_language(job_id, ERROR)
