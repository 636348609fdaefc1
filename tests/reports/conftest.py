"""Fixtures of the report tests: the Borås demo with its narrative, PDFs as text, the broker."""

import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from pypdf import PdfReader

from lokalsamverkan.celery import app as celery_app
from tests.workers import celery_broker  # noqa: F401 – the report tests import it from here

DEMO = Path(settings.BASE_DIR) / "demo" / "boras-2017.json"


def load_boras():
    """Load the Borås 2017 demo: registry, meetings, activities, budget and report narrative."""
    call_command("loaddemo", stdout=io.StringIO())


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
