"""Reports: ask for one, build its PDF, keep its file, publish it; and the report's narrative.

A request is a `ReportJob` row; the Celery task (tasks.py) renders it. The same `report_build`
makes the bytes for the jobs, for `manage.py render_report` and for the benchmark.
"""

import datetime
import logging
import os
import tempfile
from functools import partial
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError as BrokerError

from core.demo import LoadSummary
from meetings.calendar import year_grid
from networks.models import Municipality, NetworkKind

from .models import (
    ACTIVE_STATUSES,
    REPORTS_FOLDER,
    AnnualReportText,
    JobStatus,
    KindReportText,
    ReportJob,
    ReportKind,
    report_upload_to,
)
from .pdf import html_to_pdf
from .selectors import annual_report

logger = logging.getLogger(__name__)

# A job that has been queued or running longer than this has lost its message (a broker
# restart, a worker killed for good): asking for the report again sends it once more.
STALE_QUEUED = datetime.timedelta(minutes=15)
# The task's hard time limit plus a margin (see tasks.py).
STALE_RUNNING = datetime.timedelta(minutes=12)
# Redeliveries after a lost worker count as attempts too; beyond this the job fails for good.
MAX_ATTEMPTS = 5


class ReportUnavailable(Exception):
    """The job could not be handed to the workers (the broker is down)."""


# --- building the PDF ----------------------------------------------------------------------


def _document_meta(
    *, title: str, generated_at: datetime.datetime, municipality: Municipality | None
) -> dict:
    return {
        "document_title": title,
        "author": municipality.name if municipality else "",
        "municipality": municipality,
        "generated_at": timezone.localtime(generated_at),
    }


def report_html(
    *,
    kind: str,
    year: int,
    network_kind: NetworkKind | None = None,
    generated_at: datetime.datetime | None = None,
) -> str:
    """Return the HTML a report's PDF is made from, in Swedish whatever the caller's language."""
    generated_at = generated_at or timezone.now()
    with translation.override(settings.LANGUAGE_CODE):
        if kind == ReportKind.ANNUAL:
            report = annual_report(year=year)
            written = report.text.title if report.text else ""
            if not written:
                title = _("Annual report %(year)s") % {"year": year}
            else:
                title = written if str(year) in written else f"{written} {year}"
            context = {
                "report": report,
                **_document_meta(
                    title=title, generated_at=generated_at, municipality=report.municipality
                ),
            }
            return render_to_string("reports/pdf/annual_report.html", context)
        if kind == ReportKind.CALENDAR:
            grid = year_grid(year=year, kind=network_kind, include_internal=True)
            if network_kind:
                title = _("Meeting dates %(year)s: %(kind)s") % {
                    "year": year,
                    "kind": network_kind.name,
                }
            else:
                title = _("Meeting dates %(year)s") % {"year": year}
            context = {
                "grid": grid,
                **_document_meta(
                    title=title,
                    generated_at=generated_at,
                    municipality=Municipality.objects.first(),
                ),
            }
            return render_to_string("reports/pdf/calendar.html", context)
    raise ValueError(f"Unknown report kind {kind!r}")


def report_build(
    *,
    kind: str,
    year: int,
    network_kind: NetworkKind | None = None,
    generated_at: datetime.datetime | None = None,
) -> bytes:
    """Return the PDF/A of a report: the annual report or the meeting calendar of `year`."""
    html = report_html(kind=kind, year=year, network_kind=network_kind, generated_at=generated_at)
    return html_to_pdf(html)


# --- storing the file ----------------------------------------------------------------------


def report_file_name(job: ReportJob) -> str:
    """Return the storage name of a job's PDF: one name per job, so a rerun replaces it."""
    scope = f"-{job.network_kind.slug}" if job.network_kind_id else ""
    return report_upload_to(job, f"{job.kind}-{job.year}{scope}-job{job.pk}.pdf")


def _store_pdf(job: ReportJob, pdf: bytes) -> str:
    """Write the job's PDF under its one name, replacing an earlier one, and return the name.

    On a local disk the file is written beside its final name and renamed into place, so a
    reader (or a worker killed halfway) never sees half a PDF.
    """
    name = report_file_name(job)
    storage = job.file.storage
    if not isinstance(storage, FileSystemStorage):
        if storage.exists(name):
            storage.delete(name)
        saved = storage.save(name, ContentFile(pdf))
        if saved != name:  # pragma: no cover – a storage that renames would leave two files
            raise OSError(f"The storage saved {name} as {saved}")
        return name
    final = Path(storage.path(name))
    final.parent.mkdir(parents=True, exist_ok=True)
    for stale in final.parent.glob(f"{final.name}.*.part"):
        stale.unlink(missing_ok=True)  # left by a worker killed while writing
    handle, temporary = tempfile.mkstemp(dir=final.parent, prefix=f"{final.name}.", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(pdf)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, final)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return name


# --- the job's life ------------------------------------------------------------------------


def _enqueue(job_id: int) -> None:
    """Hand the job to the workers (in-process without a broker); a broker down fails it."""
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
    if job.status == JobStatus.QUEUED:
        return (job.queued_at or job.created_at) < now - STALE_QUEUED
    return job.status == JobStatus.RUNNING and (job.started_at or job.created_at) < (
        now - STALE_RUNNING
    )


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
        pass
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
        locked.file.name = _store_pdf(locked, pdf)
        locked.status = JobStatus.DONE
        locked.finished_at = timezone.now()
        locked.error_message = ""
        locked.save(update_fields=["file", "status", "finished_at", "error_message"])
    return locked


def _fail(job: ReportJob, message: str) -> None:
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


# A file younger than this may belong to a job being saved right now.
ORPHAN_AGE = datetime.timedelta(days=1)


def _files_under(storage, folder: str):
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in files:
        yield f"{folder}/{name}"
    for sub in folders:
        yield from _files_under(storage, f"{folder}/{sub}")


def orphan_report_files_delete(*, now: datetime.datetime) -> int:
    """Delete report files older than ORPHAN_AGE that no job refers to (left by a deleted job
    or a worker killed while writing); return how many."""
    kept = set(ReportJob.objects.exclude(file="").values_list("file", flat=True))
    deleted = 0
    for name in list(_files_under(default_storage, REPORTS_FOLDER)):
        if name in kept or default_storage.get_modified_time(name) > now - ORPHAN_AGE:
            continue
        default_storage.delete(name)
        deleted += 1
    return deleted


# --- the narrative -----------------------------------------------------------------------


TEXT_FIELDS = ("title", "introduction", "organisation", "development_areas", "signatures")


@transaction.atomic
def annual_report_text_save(
    *, year: int, updated_by=None, kind_texts: dict | None = None, **values
) -> AnnualReportText:
    """Save a year's narrative; `kind_texts` maps a kind to {"experiences", "challenges"}."""
    unknown = set(values) - set(TEXT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown fields: {sorted(unknown)}")
    text = AnnualReportText.objects.filter(year=year).first() or AnnualReportText(year=year)
    for name, value in values.items():
        setattr(text, name, value)
    text.updated_by = updated_by
    text.full_clean()
    text.save()
    for kind, parts in (kind_texts or {}).items():
        item = KindReportText.objects.filter(report=text, kind=kind).first() or KindReportText(
            report=text, kind=kind
        )
        item.experiences = parts.get("experiences", item.experiences)
        item.challenges = parts.get("challenges", item.challenges)
        item.full_clean()
        item.save()
    return text


def _paragraphs(value) -> str:
    """Return a demo text given as a string or a list of paragraphs as one text."""
    if isinstance(value, list):
        return "\n\n".join(str(part) for part in value)
    return str(value or "")


@transaction.atomic
def demo_report_texts_load(*, data: dict) -> LoadSummary:
    """Load the "report" section of a demo data set: each year's narrative of the annual report.

    A year whose narrative exists already is left as it is (staff may have edited it).
    """
    summary = LoadSummary()
    label = str(AnnualReportText._meta.verbose_name_plural)
    kinds = {kind.slug: kind for kind in NetworkKind.objects.all()}
    for item in data.get("report", []):
        year = int(item["year"])
        if AnnualReportText.objects.filter(year=year).exists():
            summary.count(label, False)
            continue
        kind_texts = {}
        for slug, parts in item.get("kinds", {}).items():
            if slug not in kinds:
                raise ValueError(f"Unknown kind {slug!r} in the report section")
            kind_texts[kinds[slug]] = {
                "experiences": _paragraphs(parts.get("experiences")),
                "challenges": _paragraphs(parts.get("challenges")),
            }
        annual_report_text_save(
            year=year,
            kind_texts=kind_texts,
            **{name: _paragraphs(item.get(name, "")) for name in TEXT_FIELDS},
        )
        summary.count(label, True)
    return summary
