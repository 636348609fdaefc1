"""The Celery app. Configured from Django settings (the CELERY_ namespace).

`celery -A lokalsamverkan worker` runs the jobs; `celery -A lokalsamverkan beat` sends the
scheduled ones (CELERY_BEAT_SCHEDULE) and logs its schedule when it starts.
"""

import logging
import os

from celery import Celery
from celery.signals import beat_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lokalsamverkan.settings.local")

app = Celery("lokalsamverkan")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

logger = logging.getLogger(__name__)


@beat_init.connect
def log_schedule(sender, **kwargs):
    """Say what beat will send and when, so a log reader sees the schedule it started with."""
    for name, entry in sorted(app.conf.beat_schedule.items()):
        logger.info("Beat schedule: %s sends %s at %s", name, entry["task"], entry["schedule"])
