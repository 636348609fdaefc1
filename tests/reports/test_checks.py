"""The report job's clocks agree: the broker keeps a rendering job's message past its time limit."""

from django.core.checks import run_checks

from reports.jobs import RENDER_SOFT_TIME_LIMIT, RENDER_TIME_LIMIT, STALE_RUNNING
from reports.tasks import report_render_task


def report_errors() -> list[str]:
    return [message.id for message in run_checks() if message.id.startswith("reports.")]


def test_the_task_and_the_lost_job_age_follow_the_render_time_limit():
    """The task stops a render at the limit; a running job counts as lost only after it."""
    assert report_render_task.time_limit == RENDER_TIME_LIMIT.total_seconds()
    assert report_render_task.soft_time_limit == RENDER_SOFT_TIME_LIMIT.total_seconds()
    assert RENDER_SOFT_TIME_LIMIT < RENDER_TIME_LIMIT < STALE_RUNNING


def test_the_project_settings_pass_the_check():
    """The settings' visibility timeout outlasts the render time limit."""
    assert report_errors() == []


def test_a_visibility_timeout_within_the_time_limit_fails_the_check(settings):
    """A broker that would hand a job still rendering to a second worker is an error."""
    limit = RENDER_TIME_LIMIT.total_seconds()
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": limit}
    assert report_errors() == ["reports.E001"]
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": limit + 1}
    assert report_errors() == []
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {}  # the transport's default: an hour on Redis
    assert report_errors() == []
