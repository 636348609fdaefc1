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
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from pypdf import PdfReader

from networks.permissions import Role
from reports.models import JobStatus, ReportJob, ReportKind
from reports.services import report_request
from tests.factories.accounts import user_with_role

from .conftest import celery_broker, load_boras, pdf_text

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]

WAIT_SECONDS = 120


def redis_url() -> str:
    broker = os.environ.get("CELERY_BROKER_URL", "")
    if broker.startswith(("redis://", "rediss://")):
        return broker
    return os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15")


def redis_problem(url: str) -> str | None:
    """Return why Redis at `url` cannot be used, or None when it answers."""
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except Exception as error:  # noqa: BLE001 – any failure means: no usable Redis
        return f"needs Redis at {url} for a real Celery worker: {error}"
    return None


class WorkerDatabase:
    """The database the worker uses, and how the test reads the job's state from it."""

    def __init__(self, folder: Path):
        self.settings = connection.settings_dict
        self.is_sqlite = self.settings["ENGINE"].endswith("sqlite3")
        self.file = folder / "worker.sqlite3"

    @property
    def url(self) -> str:
        if self.is_sqlite:
            return f"sqlite:///{self.file}"
        s = self.settings
        password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
        return f"postgres://{s['USER']}{password}@{s['HOST']}:{s['PORT'] or 5432}/{s['NAME']}"

    def hand_over(self):
        """Make what this process committed visible to the worker (SQLite: copy the memory DB)."""
        if self.is_sqlite:
            connection.ensure_connection()
            target = sqlite3.connect(self.file)
            connection.connection.backup(target)
            target.close()

    def job(self, pk: int) -> dict:
        """Return the job's status, attempts and file as the worker left them."""
        if self.is_sqlite:
            db = sqlite3.connect(self.file, timeout=10)
            try:
                row = db.execute(
                    "SELECT status, attempts, file FROM reports_reportjob WHERE id = ?", (pk,)
                ).fetchone()
            finally:
                db.close()
            return dict(zip(("status", "attempts", "file"), row, strict=True))
        job = ReportJob.objects.get(pk=pk)
        return {"status": job.status, "attempts": job.attempts, "file": job.file.name}


class Worker:
    """A `celery worker` subprocess in its own process group, so it can be killed whole."""

    def __init__(
        self, *, database: WorkerDatabase, broker: str, queue: str, media: Path, log: Path
    ):
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.reports.worker_settings",
            "DATABASE_URL": database.url,
            "CELERY_BROKER_URL": broker,
            "MEDIA_ROOT": str(media),
            "REPORTS_TEST_QUEUE": queue,
            "PYTHONPATH": str(settings.BASE_DIR),
        }
        self.queue = queue
        self.log = log
        self.process = None
        self.output = None

    def start(self, *, pause: float = 0) -> "Worker":
        env = {**self.env, "REPORTS_RENDER_PAUSE": str(pause)}
        self.output = self.log.open("ab")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "lokalsamverkan",
                "worker",
                "--pool=prefork",
                "--concurrency=1",
                "--loglevel=INFO",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-Q",
                self.queue,
                "-n",
                f"{self.queue}-{uuid.uuid4().hex[:6]}@%h",
            ],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=self.output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        return self

    def kill(self):
        """Kill the worker and its pool at once (SIGKILL): no warm shutdown, no acks."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        self.output.close()

    def stop(self):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        self.output.close()


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


def wait_for(database: WorkerDatabase, pk: int, statuses: set, log: Path) -> dict:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        state = database.job(pk)
        if state["status"] in statuses:
            return state
        time.sleep(0.3)
    tail = log.read_text(errors="replace")[-3000:] if log.exists() else ""
    raise AssertionError(f"job {pk} never reached {statuses}: {database.job(pk)}\n{tail}")


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
