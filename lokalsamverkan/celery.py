"""The Celery app. Configured from Django settings (the CELERY_ namespace)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lokalsamverkan.settings.local")

app = Celery("lokalsamverkan")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
