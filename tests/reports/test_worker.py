"""Report jobs through a real Celery worker on Redis, as in production.

The worker runs as a subprocess (`celery -A lokalsamverkan worker`) on the test database: on
PostgreSQL the very test database; on SQLite, whose test database lives in this process's memory,
a file copy of it made after the job is asked for. Files go to a temporary folder on disk. Each
test has its own queue, so no message of another run can reach it.

Needs Redis: CELERY_BROKER_URL when it names Redis, else REDIS_URL, else redis://127.0.0.1:6379/15.
Without a reachable Redis the tests skip, and CI (where Redis runs) fails them.
"""

import io
import os
import signal
import uuid
from pathlib import Path

import pytest
from pypdf import PdfReader

from networks.permissions import Role
from reports.jobs import report_request
from reports.models import JobStatus, ReportJob, ReportKind
from tests.factories.accounts import user_with_role
from tests.workers import (
    Worker,
    WorkerDatabase,
    celery_broker,
    redis_problem,
    redis_url,
    wait_for,
)

from .conftest import load_boras, pdf_text

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker_setup(tmp_path, settings):
    """Yield a factory of workers on this test's queue, database and media folder."""
    broker = redis_url()
    problem = redis_problem(broker)
    if problem:
        pytest.skip(problem)
    media = tmp_path / "media"
    media.mkdir()
    settings.MEDIA_ROOT = media
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    queue = f"reports-test-{uuid.uuid4().hex[:10]}"
    database = WorkerDatabase(tmp_path)
    workers = []

    def make():
        worker = Worker(
            database=database, broker=broker, queue=queue, media=media, log=tmp_path / "worker.log"
        )
        workers.append(worker)
        return worker

    with celery_broker(broker, queue=queue):
        yield {"make": make, "database": database, "media": media, "log": tmp_path / "worker.log"}
    for worker in workers:
        worker.stop()


def pdf_files(media: Path) -> list[Path]:
    return sorted(path for path in media.rglob("*") if path.is_file())


def test_a_real_worker_renders_the_annual_report(worker_setup):
    """Asked for on the web side, the 2017 annual report is rendered by a worker on Redis."""
    load_boras()
    chef = user_with_role(Role.HEAD_OF_ADMINISTRATION, "chef-worker")
    job = report_request(kind=ReportKind.ANNUAL, year=2017, requested_by=chef)
    assert ReportJob.objects.get(pk=job.pk).status == JobStatus.QUEUED  # not rendered here
    worker_setup["database"].hand_over()
    worker_setup["make"]().start()
    state = wait_for(
        worker_setup["database"], job.pk, {JobStatus.DONE, JobStatus.FAILED}, worker_setup["log"]
    )
    assert state["status"] == JobStatus.DONE, state
    assert state["attempts"] == 1
    files = pdf_files(worker_setup["media"])
    assert [path.relative_to(worker_setup["media"]).as_posix() for path in files] == [state["file"]]
    pdf = files[0].read_bytes()
    assert 'pdfaid:part="3"' in PdfReader(io.BytesIO(pdf)).xmp_metadata.stream.get_data().decode()
    assert "Totalt 400 000 kr" in pdf_text(pdf)


def test_a_job_survives_its_worker_being_killed_mid_render(worker_setup):
    """Kill -9 the worker while it renders: a new worker redoes the job, leaving one file."""
    load_boras()
    chef = user_with_role(Role.HEAD_OF_ADMINISTRATION, "chef-worker")
    job = report_request(kind=ReportKind.CALENDAR, year=2017, requested_by=chef)
    database = worker_setup["database"]
    database.hand_over()
    first = worker_setup["make"]().start(pause=60)
    state = wait_for(database, job.pk, {JobStatus.RUNNING}, worker_setup["log"])
    assert state["attempts"] == 1
    first.kill()
    assert pdf_files(worker_setup["media"]) == []
    worker_setup["make"]().start()
    state = wait_for(database, job.pk, {JobStatus.DONE, JobStatus.FAILED}, worker_setup["log"])
    assert state["status"] == JobStatus.DONE, state
    assert state["attempts"] == 2  # redone, not lost
    files = pdf_files(worker_setup["media"])
    assert len(files) == 1 and files[0].name.endswith(".pdf")
    assert "Mötesdatum 2017" in pdf_text(files[0].read_bytes())


def test_a_job_whose_pool_process_dies_is_rejected_and_redone(worker_setup):
    """The pool process killed mid-render: reject_on_worker_lost puts the job back at once."""
    load_boras()
    chef = user_with_role(Role.HEAD_OF_ADMINISTRATION, "chef-worker")
    job = report_request(kind=ReportKind.CALENDAR, year=2017, requested_by=chef)
    database = worker_setup["database"]
    database.hand_over()
    worker = worker_setup["make"]().start(pause=4)
    wait_for(database, job.pk, {JobStatus.RUNNING}, worker_setup["log"])
    children = Path(f"/proc/{worker.process.pid}/task/{worker.process.pid}/children")
    pool = [int(pid) for pid in children.read_text().split()]
    assert pool, "the prefork worker has a pool process"
    for pid in pool:
        os.kill(pid, signal.SIGKILL)
    state = wait_for(database, job.pk, {JobStatus.DONE, JobStatus.FAILED}, worker_setup["log"])
    assert state["status"] == JobStatus.DONE, state
    assert state["attempts"] == 2
    assert len(pdf_files(worker_setup["media"])) == 1
