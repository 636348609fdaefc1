"""Real Celery workers for tests: a `celery worker` subprocess on Redis and the test database.

Shared by the worker tests (tests/reports/test_worker.py) and the browser journey in which the head
of administration waits for the annual report (tests/browser/). The worker runs on the test
database: on PostgreSQL the very test database; on SQLite, whose test database lives in this
process's memory, a file copy of it (`WorkerDatabase.hand_over`).
"""

import contextlib
import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.db import connection

from lokalsamverkan.celery import app as celery_app
from reports.models import ReportJob

WAIT_SECONDS = 120


@contextlib.contextmanager
def celery_broker(url: str, *, queue: str | None = None):
    """Send tasks to a real broker at `url` (not in-process) while the block runs.

    The app caches its connection pool and queues: both are dropped on the way in and out, so
    no test leaks its broker into another.
    """
    conf = celery_app.conf
    names = ("broker_url", "broker_read_url", "broker_write_url", "task_always_eager")
    saved = {name: conf[name] for name in (*names, "task_default_queue")}

    def reset():
        # Only the app's references: kombu keeps its pools per URL, shared by the whole process.
        celery_app._pool = None
        celery_app.__dict__.pop("amqp", None)

    conf.broker_url = conf.broker_read_url = conf.broker_write_url = url
    conf.task_always_eager = False
    if queue:
        conf.task_default_queue = queue
    reset()
    try:
        yield
    finally:
        reset()
        for name, value in saved.items():
            conf[name] = value


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


def wait_for(database: WorkerDatabase, pk: int, statuses: set, log: Path) -> dict:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        state = database.job(pk)
        if state["status"] in statuses:
            return state
        time.sleep(0.3)
    tail = log.read_text(errors="replace")[-3000:] if log.exists() else ""
    raise AssertionError(f"job {pk} never reached {statuses}: {database.job(pk)}\n{tail}")
