"""Settings of the Celery worker that tests/reports/test_worker.py starts as a subprocess.

The test settings (on the test database the test passes in DATABASE_URL), with files on disk
where the test can see them, the test's own queue, and a short visibility timeout so a message
left unacknowledged by a killed worker comes back within seconds instead of an hour.
"""

import os
import time

from celery.signals import worker_process_init

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
# The visibility timeout is far below the render's time limit on purpose: a render of these tests
# takes seconds, and a killed worker's job must come back at once.
SILENCED_SYSTEM_CHECKS = ["reports.E001"]

# Seconds each render waits before it builds the PDF (tests.workers.Worker.start(pause=…)).
RENDER_PAUSE = float(os.environ.get("REPORTS_RENDER_PAUSE", "0"))


@worker_process_init.connect
def slow_down_rendering(**kwargs):
    """Hold each job in "running" for RENDER_PAUSE seconds, so a test can kill the worker then.

    Runs in each pool process the worker starts, after Django is set up: the job life cycle's
    PDF builder is wrapped there, in the worker alone.
    """
    if not RENDER_PAUSE:
        return
    from reports import jobs

    build = jobs.report_build

    def paused_build(**options):
        time.sleep(RENDER_PAUSE)
        return build(**options)

    jobs.report_build = paused_build
