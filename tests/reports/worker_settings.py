"""Settings of the Celery worker that tests/reports/test_worker.py starts as a subprocess.

The test settings (on the test database the test passes in DATABASE_URL), with files on disk
where the test can see them, the test's own queue, and a short visibility timeout so a message
left unacknowledged by a killed worker comes back within seconds instead of an hour.
"""

import os

from lokalsamverkan.settings.test import *  # noqa: F403
from lokalsamverkan.settings.test import STORAGES

MEDIA_ROOT = os.environ["MEDIA_ROOT"]
STORAGES = {**STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}
CELERY_TASK_DEFAULT_QUEUE = os.environ["REPORTS_TEST_QUEUE"]
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 8,
    # Look for such messages every second (kombu's default: every 100 seconds).
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}
# Holds a job in "running" so the test can kill the worker in the middle of it.
REPORTS_RENDER_PAUSE = float(os.environ.get("REPORTS_RENDER_PAUSE", "0"))
