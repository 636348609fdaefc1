"""System checks of the reports app: the broker keeps a rendering job's message long enough.

The render's time limits and the age at which a running job counts as lost come from one place
(jobs.py). The broker's visibility timeout lives in the settings, which cannot import an app, so
this check holds it to the same clock.
"""

from django.conf import settings
from django.core.checks import Error

from .jobs import RENDER_TIME_LIMIT


def report_timeouts_check(app_configs=None, **kwargs) -> list[Error]:
    """Return an error when the broker's visibility timeout ends before a render may.

    With `acks_late` a job's message stays unacknowledged while the job renders; a visibility
    timeout shorter than the task's hard time limit would hand a job still rendering to a second
    worker. Without the option the transport's default (an hour on Redis) applies.
    """
    options = getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", None) or {}
    visibility = options.get("visibility_timeout")
    limit = RENDER_TIME_LIMIT.total_seconds()
    if visibility is None or visibility > limit:
        return []
    return [
        Error(
            f"CELERY_BROKER_TRANSPORT_OPTIONS['visibility_timeout'] is {visibility} seconds, "
            f"not more than the report task's hard time limit of {limit:.0f} seconds: the "
            "broker would hand a report still being rendered to a second worker.",
            hint=f"Set it above {limit:.0f} seconds, or shorten RENDER_TIME_LIMIT in "
            "reports/jobs.py.",
            id="reports.E001",
        )
    ]
