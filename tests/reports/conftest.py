"""Fixtures of the report tests: the Borås demo with its narrative, PDFs as text, the broker."""

import contextlib
import io
import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from pypdf import PdfReader

from lokalsamverkan.celery import app as celery_app
from reports.services import demo_report_texts_load

DEMO = Path(settings.BASE_DIR) / "demo" / "boras-2017.json"


def load_boras():
    """Load the Borås 2017 demo: registry, meetings, activities, budget and report narrative."""
    call_command("loaddemo", stdout=io.StringIO())
    demo_report_texts_load(data=json.loads(DEMO.read_text(encoding="utf-8")))


@pytest.fixture
def boras(db):
    load_boras()


def pdf_text(pdf: bytes) -> str:
    """Return a PDF's text with every run of whitespace (also non-breaking) as one space."""
    reader = PdfReader(io.BytesIO(pdf))
    return normalise(" ".join(page.extract_text() for page in reader.pages))


def normalise(text: str) -> str:
    return re.sub(r"[\s\u00a0\u202f]+", " ", str(text)).strip()


@pytest.fixture(autouse=True)
def fresh_file_storage(settings):
    """Give each test an empty file storage (the test settings keep files in memory)."""
    settings.STORAGES = {**settings.STORAGES}


@pytest.fixture(autouse=True)
def jobs_in_process():
    """Run report jobs in-process, as with no broker, even where CELERY_BROKER_URL is set.

    CI runs the suite with a Redis broker configured; only test_worker.py (and tests that use
    `celery_broker`) send jobs to a broker.
    """
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = eager


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
