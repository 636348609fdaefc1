"""The life of a report job: asked for, queued, started, rendered or failed, published, deleted.

A request is a `ReportJob` row; the Celery task (tasks.py) renders it through these functions.
The job's clocks are set here, from the render's time limit: the task's limits, and when a job
counts as lost. checks.py checks that the broker's visibility timeout agrees.
"""

import datetime
import logging
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError as BrokerError

from networks.models import NetworkKind

from .build import report_build
from .files import report_file_store
from .models import ACTIVE_STATUSES, JobStatus, ReportJob, ReportKind

logger = logging.getLogger(__name__)

# How long one render may take: at the soft limit the job fails with a message, at the hard
# limit the pool process is killed. The demo year renders in seconds and a year a hundred times
# larger in about a minute; the limits leave room and still stop a runaway render (see
# BENCHMARKS.md).
RENDER_SOFT_TIME_LIMIT = datetime.timedelta(minutes=9)
RENDER_TIME_LIMIT = datetime.timedelta(minutes=10)
# A job running longer than the hard limit (and a margin) has lost its worker: asking for the
# report again sends it once more.
STALE_RUNNING = RENDER_TIME_LIMIT + datetime.timedelta(minutes=2)
# A job queued longer than this has lost its message (a broker restart): asking for the report
# again sends it once more.
STALE_QUEUED = datetime.timedelta(minutes=15)
# Redeliveries after a lost worker count as attempts too; beyond this the job fails for good.
MAX_ATTEMPTS = 5


def _enqueue(job_id: int) -> None:
    """Hand the job to the workers (in-process without a broker); a broker down fails it."""
    # Imported here: the task module imports this one.
    from .tasks import report_render_task

    try:
        report_render_task.apply_async(args=(job_id,))
    except (BrokerError, OSError):
        # Only reaching the broker fails here: the task itself catches its own errors.
        logger.exception("Could not queue report job %s", job_id)
        with translation.override(settings.LANGUAGE_CODE):
            message = _(
                "The report service cannot be reached right now, so the report was not "
                "started. Try again in a while; if it keeps failing, contact the system "
                "administrator."
            )
        ReportJob.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
            status=JobStatus.FAILED, error_message=message, finished_at=timezone.now()
        )


def _queue(job: ReportJob) -> None:
    """Send the job to the workers once the current transaction commits."""
    transaction.on_commit(partial(_enqueue, job.pk))


def _is_stale(job: ReportJob, now: datetime.datetime) -> bool:
    """Return whether an active job has waited or run so long that its message must be lost."""
    if job.status == JobStatus.QUEUED:
        return (job.queued_at or job.created_at) < now - STALE_QUEUED
    return job.status == JobStatus.RUNNING and (job.started_at or job.created_at) < (
        now - STALE_RUNNING
    )


def _active_job_or_new(*, requested_by, identity: dict) -> ReportJob:
    """Return the active job of the report, sent again if it looks lost; or queue a new one."""
    with transaction.atomic():
        existing = (
            ReportJob.objects.select_for_update()
            .active()
            .identical(**identity)
            .order_by("pk")
            .first()
        )
        if existing is None:  # it finished between our insert and this read: ask once more
            job = ReportJob(requested_by=requested_by, queued_at=timezone.now(), **identity)
            job.save()
            _queue(job)
            return job
        if _is_stale(existing, timezone.now()):
            logger.warning("Report job %s looked lost; queueing it again", existing.pk)
            existing.queued_at = timezone.now()
            existing.save(update_fields=["queued_at"])
            _queue(existing)
        return existing


def report_request(
    *, kind: str, year: int, requested_by, network_kind: NetworkKind | None = None
) -> ReportJob:
    """Ask for a report; return the job, the one already queued or running if there is one.

    The job is handed to the workers once the transaction commits. Two requests at once still
    make one job: the database allows one active job per report. A job whose message was lost
    long ago is sent again.
    """
    if kind != ReportKind.CALENDAR:
        network_kind = None
    identity = {"kind": kind, "year": year, "network_kind": network_kind}
    job = ReportJob(requested_by=requested_by, queued_at=timezone.now(), **identity)
    job.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            job.save()
            _queue(job)
            return job
    except IntegrityError:
        return _active_job_or_new(requested_by=requested_by, identity=identity)


def report_retry(*, job: ReportJob, requested_by) -> ReportJob:
    """Run a failed job again; if the same report is already on its way, return that job."""
    if job.status != JobStatus.FAILED:
        return job
    try:
        with transaction.atomic():
            locked = ReportJob.objects.select_for_update().get(pk=job.pk)
            if locked.status != JobStatus.FAILED:
                return locked
            locked.status = JobStatus.QUEUED
            locked.error_message = ""
            locked.attempts = 0
            locked.started_at = locked.finished_at = None
            locked.queued_at = timezone.now()
            locked.save()
            _queue(locked)
            return locked
    except IntegrityError:
        return report_request(
            kind=job.kind, year=job.year, network_kind=job.network_kind, requested_by=requested_by
        )


def report_job_start(*, job_id: int) -> ReportJob | None:
    """Mark a job running and count the attempt; None when there is nothing to do.

    Nothing to do: the job is gone, done, or failed (a failed job runs again only through
    `report_retry`). A job that has used up its attempts is failed here.
    """
    with transaction.atomic():
        job = ReportJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status not in ACTIVE_STATUSES:
            return None
        if job.attempts >= MAX_ATTEMPTS:
            with translation.override(settings.LANGUAGE_CODE):
                _fail(job, _("The report could not be created after several attempts."))
            return None
        job.status = JobStatus.RUNNING
        job.started_at = timezone.now()
        job.attempts += 1
        job.save(update_fields=["status", "started_at", "attempts"])
    return job


def report_render(*, job: ReportJob) -> ReportJob:
    """Build the job's PDF and keep it as the job's one file; mark the job done.

    If another run finished the job meanwhile, its file stays and this result is dropped.
    """
    pdf = report_build(kind=job.kind, year=job.year, network_kind=job.network_kind)
    with transaction.atomic():
        locked = ReportJob.objects.select_for_update().get(pk=job.pk)
        if locked.status == JobStatus.DONE:
            return locked
        locked.file.name = report_file_store(job=locked, pdf=pdf)
        locked.status = JobStatus.DONE
        locked.finished_at = timezone.now()
        locked.error_message = ""
        locked.save(update_fields=["file", "status", "finished_at", "error_message"])
    return locked


def _fail(job: ReportJob, message: str) -> None:
    """Mark a locked job failed with `message`."""
    job.status = JobStatus.FAILED
    job.error_message = message
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "error_message", "finished_at"])


def report_job_fail(*, job_id: int, message: str) -> None:
    """Mark a job failed with a message for the person who asked for it (in Swedish)."""
    with transaction.atomic():
        job = ReportJob.objects.select_for_update().filter(pk=job_id).first()
        if job is not None and job.status != JobStatus.DONE:
            _fail(job, message)


@transaction.atomic
def report_publish(*, job: ReportJob, published: bool) -> ReportJob:
    """Publish a finished annual report (or withdraw it); one published report per year."""
    job = ReportJob.objects.select_for_update().get(pk=job.pk)
    if published and not (job.kind == ReportKind.ANNUAL and job.is_done):
        raise ValidationError(_("Only a finished annual report can be published."))
    if published:
        ReportJob.objects.filter(kind=job.kind, year=job.year, is_published=True).exclude(
            pk=job.pk
        ).update(is_published=False, published_at=None)
    job.is_published = published
    job.published_at = timezone.now() if published else None
    job.save(update_fields=["is_published", "published_at"])
    return job


def report_job_delete(*, job: ReportJob) -> None:
    """Delete a job and its file."""
    if job.file:
        job.file.storage.delete(job.file.name)
    job.delete()
