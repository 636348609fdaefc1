"""Report jobs in-process (no broker): one job per report, one file per job, clear failures."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import IntegrityError, OperationalError, transaction
from django.utils import timezone

from networks.permissions import Role
from reports import jobs
from reports.files import report_file_name
from reports.jobs import report_publish, report_render, report_request, report_retry
from reports.models import JobStatus, ReportJob, ReportKind
from reports.tasks import MAX_RETRIES, report_render_task
from tests.factories.accounts import user_with_role
from tests.factories.meetings import MeetingFactory
from tests.factories.networks import NetworkGroupFactory, NetworkKindFactory
from tests.text import sv

from .conftest import celery_broker

pytestmark = pytest.mark.django_db

FAKE_PDF = b"%PDF-1.7 fake"


@pytest.fixture
def chef(db):
    return user_with_role(Role.HEAD_OF_ADMINISTRATION, "chef")


@pytest.fixture
def small_year(db):
    """A kind with a group that met twice in 2017: enough for a real calendar PDF."""
    group = NetworkGroupFactory(name="Boda")
    MeetingFactory(group=group, date=datetime.date(2017, 3, 16))
    MeetingFactory(group=group, date=datetime.date(2017, 10, 6))
    return group


def stored_reports():
    """Return every file under reports/ in the storage."""
    found = []

    def walk(path):
        directories, files = default_storage.listdir(path)
        found.extend(f"{path}/{name}" for name in files)
        for directory in directories:
            walk(f"{path}/{directory}")

    if default_storage.exists("reports"):
        walk("reports")
    return found


def test_asking_twice_for_the_same_report_returns_the_queued_job(chef):
    """While a report is queued, asking again returns that job: one job, not two."""
    first = report_request(kind=ReportKind.ANNUAL, year=2017, requested_by=chef)
    second = report_request(kind=ReportKind.ANNUAL, year=2017, requested_by=chef)
    assert second.pk == first.pk
    assert ReportJob.objects.count() == 1
    other_year = report_request(kind=ReportKind.ANNUAL, year=2016, requested_by=chef)
    calendar = report_request(kind=ReportKind.CALENDAR, year=2017, requested_by=chef)
    kind = NetworkKindFactory()
    one_kind = report_request(
        kind=ReportKind.CALENDAR, year=2017, network_kind=kind, requested_by=chef
    )
    assert len({first.pk, other_year.pk, calendar.pk, one_kind.pk}) == 4


def test_the_database_refuses_a_second_active_job_for_a_report(chef):
    """Two requests racing past the check still cannot both insert: the constraint holds."""
    ReportJob.objects.create(kind=ReportKind.CALENDAR, year=2017, status=JobStatus.RUNNING)
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportJob.objects.create(kind=ReportKind.CALENDAR, year=2017, status=JobStatus.QUEUED)
    # Finished and failed jobs do not count: a report can be made again.
    ReportJob.objects.update(status=JobStatus.DONE)
    ReportJob.objects.create(kind=ReportKind.CALENDAR, year=2017, status=JobStatus.QUEUED)


def test_a_request_runs_in_process_without_a_broker(
    chef, small_year, django_capture_on_commit_callbacks
):
    """With no broker configured, the job is rendered on commit and has its PDF at once."""
    with django_capture_on_commit_callbacks(execute=True):
        job = report_request(kind=ReportKind.CALENDAR, year=2017, requested_by=chef)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert job.attempts == 1
    assert job.file.name == report_file_name(job)
    assert job.file.read().startswith(b"%PDF-")
    assert stored_reports() == [job.file.name]


def test_the_task_returns_at_once_for_a_done_job(chef, small_year, monkeypatch):
    """A second delivery of a finished job does nothing: no new render, no new attempt."""
    job = ReportJob.objects.create(kind=ReportKind.CALENDAR, year=2017, requested_by=chef)
    report_render_task.apply(args=(job.pk,))
    job.refresh_from_db()
    assert job.status == JobStatus.DONE

    def must_not_render(**kwargs):
        raise AssertionError("a done job was rendered again")

    monkeypatch.setattr(jobs, "report_build", must_not_render)
    report_render_task.apply(args=(job.pk,))
    job.refresh_from_db()
    assert (job.status, job.attempts) == (JobStatus.DONE, 1)


def test_a_rerun_replaces_the_file_and_never_leaves_two(chef, monkeypatch):
    """Rendering a job again (after a crash) overwrites its one file."""
    job = ReportJob.objects.create(
        kind=ReportKind.CALENDAR, year=2017, requested_by=chef, status=JobStatus.RUNNING
    )
    monkeypatch.setattr(jobs, "report_build", lambda **kwargs: b"%PDF-first")
    report_render(job=job)
    ReportJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING)
    job.refresh_from_db()
    monkeypatch.setattr(jobs, "report_build", lambda **kwargs: b"%PDF-second")
    report_render(job=job)
    job.refresh_from_db()
    assert stored_reports() == [job.file.name]
    assert job.file.read() == b"%PDF-second"


def test_a_finished_job_keeps_its_file_when_a_late_run_finishes(chef, monkeypatch):
    """Two runs of one job at once: the second to finish drops its result."""
    job = ReportJob.objects.create(
        kind=ReportKind.CALENDAR, year=2017, requested_by=chef, status=JobStatus.RUNNING
    )
    stale_copy = ReportJob.objects.get(pk=job.pk)
    monkeypatch.setattr(jobs, "report_build", lambda **kwargs: b"%PDF-first")
    report_render(job=job)
    monkeypatch.setattr(jobs, "report_build", lambda **kwargs: b"%PDF-late")
    report_render(job=stale_copy)
    job.refresh_from_db()
    assert job.file.read() == b"%PDF-first"
    assert len(stored_reports()) == 1


def test_transient_errors_are_retried_then_fail_the_job_sv(chef, monkeypatch):
    """A database hiccup is retried; after the last retry the job fails with a clear message."""
    calls = []

    def flaky(**kwargs):
        calls.append(1)
        raise OperationalError("database is restarting")

    monkeypatch.setattr(jobs, "report_build", flaky)
    job = ReportJob.objects.create(kind=ReportKind.ANNUAL, year=2017, requested_by=chef)
    report_render_task.apply(args=(job.pk,))
    job.refresh_from_db()
    assert len(calls) == MAX_RETRIES + 1
    assert job.status == JobStatus.FAILED
    assert job.error_message == sv(
        "The report could not be created because of a temporary fault. Try again in a while."
    )
    assert job.attempts == MAX_RETRIES + 1


def test_a_transient_error_that_passes_leaves_a_done_job(chef, monkeypatch):
    """One failed try and a good one: the job is done, after two attempts."""
    results = [OperationalError("gone away"), FAKE_PDF]

    def once_flaky(**kwargs):
        result = results.pop(0)
        if isinstance(result, Exception):
            raise result
        return result

    monkeypatch.setattr(jobs, "report_build", once_flaky)
    job = ReportJob.objects.create(kind=ReportKind.ANNUAL, year=2017, requested_by=chef)
    report_render_task.apply(args=(job.pk,))
    job.refresh_from_db()
    assert (job.status, job.attempts) == (JobStatus.DONE, 2)


def test_a_broken_report_fails_at_once_with_a_message(chef, monkeypatch):
    """A programming error is not retried: the job fails and says so in Swedish."""

    def broken(**kwargs):
        raise ValueError("template error")

    monkeypatch.setattr(jobs, "report_build", broken)
    job = ReportJob.objects.create(kind=ReportKind.ANNUAL, year=2017, requested_by=chef)
    report_render_task.apply(args=(job.pk,))
    job.refresh_from_db()
    assert (job.status, job.attempts) == (JobStatus.FAILED, 1)
    assert job.error_message == sv(
        "The report could not be created because of an error. The error has been logged; "
        "contact the system administrator if it happens again."
    )


def test_a_failed_job_can_be_retried(chef, small_year, django_capture_on_commit_callbacks):
    """Retrying a failed job queues the same job again and this time it is done."""
    job = ReportJob.objects.create(
        kind=ReportKind.CALENDAR,
        year=2017,
        requested_by=chef,
        status=JobStatus.FAILED,
        error_message="Fel",
        attempts=3,
    )
    with django_capture_on_commit_callbacks(execute=True):
        retried = report_retry(job=job, requested_by=chef)
    assert retried.pk == job.pk
    job.refresh_from_db()
    assert (job.status, job.error_message, job.attempts) == (JobStatus.DONE, "", 1)


def test_retrying_returns_the_job_already_on_its_way(chef):
    """If the same report was asked for again meanwhile, retrying returns that job."""
    failed = ReportJob.objects.create(
        kind=ReportKind.ANNUAL, year=2017, requested_by=chef, status=JobStatus.FAILED
    )
    running = ReportJob.objects.create(
        kind=ReportKind.ANNUAL, year=2017, requested_by=chef, status=JobStatus.RUNNING
    )
    assert report_retry(job=failed, requested_by=chef).pk == running.pk
    failed.refresh_from_db()
    assert failed.status == JobStatus.FAILED


def test_a_job_lost_long_ago_is_sent_again(chef, django_capture_on_commit_callbacks, monkeypatch):
    """A job queued for longer than its message can live is queued again on the next request."""
    sent = []
    monkeypatch.setattr(jobs, "_enqueue", sent.append)
    job = ReportJob.objects.create(
        kind=ReportKind.ANNUAL,
        year=2017,
        requested_by=chef,
        queued_at=timezone.now() - jobs.STALE_QUEUED - datetime.timedelta(minutes=1),
    )
    with django_capture_on_commit_callbacks(execute=True):
        again = report_request(kind=ReportKind.ANNUAL, year=2017, requested_by=chef)
    assert again.pk == job.pk and sent == [job.pk]
    with django_capture_on_commit_callbacks(execute=True):
        report_request(kind=ReportKind.ANNUAL, year=2017, requested_by=chef)
    assert sent == [job.pk], "a job queued a moment ago is not sent twice"


def test_a_job_that_keeps_losing_its_worker_fails_for_good(chef, monkeypatch):
    """Redelivered after every crash, a job stops after its last attempt instead of looping."""
    monkeypatch.setattr(jobs, "report_build", lambda **kwargs: FAKE_PDF)
    job = ReportJob.objects.create(
        kind=ReportKind.ANNUAL,
        year=2017,
        requested_by=chef,
        status=JobStatus.RUNNING,
        attempts=jobs.MAX_ATTEMPTS,
    )
    report_render_task.apply(args=(job.pk,))
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.error_message == sv("The report could not be created after several attempts.")


def test_a_broker_that_is_down_fails_the_job_with_a_clear_message(
    chef, django_capture_on_commit_callbacks
):
    """With the broker unreachable the request fails cleanly: the job says so, in Swedish."""
    with celery_broker("redis://127.0.0.1:1/0"), django_capture_on_commit_callbacks(execute=True):
        job = report_request(kind=ReportKind.ANNUAL, year=2017, requested_by=chef)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.error_message == sv(
        "The report service cannot be reached right now, so the report was not started. Try "
        "again in a while; if it keeps failing, contact the system administrator."
    )


def test_only_a_finished_annual_report_can_be_published(chef, monkeypatch):
    """Publishing needs a done annual report, and replaces the year's published one."""
    refusal = [sv("Only a finished annual report can be published.")]
    monkeypatch.setattr(jobs, "report_build", lambda **kwargs: FAKE_PDF)
    first = ReportJob.objects.create(kind=ReportKind.ANNUAL, year=2017, status=JobStatus.RUNNING)
    with pytest.raises(ValidationError) as refused:
        report_publish(job=first, published=True)
    assert refused.value.messages == refusal
    report_render(job=first)
    report_publish(job=first, published=True)
    second = ReportJob.objects.create(kind=ReportKind.ANNUAL, year=2017, status=JobStatus.RUNNING)
    report_render(job=second)
    report_publish(job=second, published=True)
    assert list(ReportJob.objects.published()) == [second]
    calendar = ReportJob.objects.create(
        kind=ReportKind.CALENDAR, year=2017, status=JobStatus.RUNNING
    )
    report_render(job=calendar)
    with pytest.raises(ValidationError) as refused:
        report_publish(job=calendar, published=True)
    assert refused.value.messages == refusal


def test_on_disk_a_rerun_replaces_the_file_in_one_step(chef, monkeypatch, settings, tmp_path):
    """On a local disk the PDF is renamed into place: one file per job, no part files left."""
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    job = ReportJob.objects.create(
        kind=ReportKind.ANNUAL, year=2017, requested_by=chef, status=JobStatus.RUNNING
    )
    (tmp_path / "reports" / "2017").mkdir(parents=True)
    leftover = tmp_path / "reports" / "2017" / f"annual-2017-job{job.pk}.pdf.x1y2.part"
    leftover.write_bytes(b"half a PDF from a killed worker")
    for content in (b"%PDF-first", b"%PDF-second"):
        monkeypatch.setattr(jobs, "report_build", lambda content=content, **kwargs: content)
        ReportJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING)
        job.refresh_from_db()
        report_render(job=job)
    files = sorted(
        path.relative_to(tmp_path).as_posix() for path in tmp_path.rglob("*") if path.is_file()
    )
    assert files == [f"reports/2017/annual-2017-job{job.pk}.pdf"]
    assert (tmp_path / files[0]).read_bytes() == b"%PDF-second"
