"""The nightly housekeeping, and `celery -A lokalsamverkan beat` starting with it scheduled."""

import datetime
import os
import subprocess
import sys
import time
import uuid

import pytest
from axes.models import AccessAttempt, AccessLog
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from networks.permissions import Role
from portal.tasks import housekeeping_task
from reports.models import JobStatus, ReportJob
from submissions.models import FormSubmission
from submissions.services import KEPT_FOR
from tests.factories.accounts import user_with_role
from tests.reports.test_worker import redis_problem, redis_url

BIN = os.path.dirname(sys.executable)


@pytest.mark.django_db
def test_housekeeping_removes_only_what_the_retention_rules_let_go(settings, tmp_path):
    """Expired sessions, old failed logins and logs, orphaned report files, old one-time
    form keys go; the rest stays."""
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    now = timezone.now()
    live, expired = SessionStore(), SessionStore()
    live.create()
    expired.set_expiry(-1)
    expired.create()
    AccessAttempt.objects.create(username="a", ip_address="192.0.2.1", failures_since_start=5)
    old_attempt = AccessAttempt.objects.create(
        username="b", ip_address="192.0.2.1", failures_since_start=5
    )
    AccessAttempt.objects.filter(pk=old_attempt.pk).update(
        attempt_time=now - datetime.timedelta(minutes=16)
    )
    AccessLog.objects.create(username="a", ip_address="192.0.2.1")
    old_log = AccessLog.objects.create(username="b", ip_address="192.0.2.1")
    AccessLog.objects.filter(pk=old_log.pk).update(
        attempt_time=now - datetime.timedelta(days=settings.LOGIN_LOG_RETENTION_DAYS + 1)
    )
    job = ReportJob.objects.create(kind="annual", year=2017, status=JobStatus.DONE)
    job.file.name = default_storage.save("reports/2017/annual-2017-job1.pdf", ContentFile(b"%PDF"))
    job.save()
    orphan = default_storage.save("reports/2017/annual-2017-job99.pdf", ContentFile(b"%PDF"))
    leftover = default_storage.save("reports/2016/x.pdf.abc.part", ContentFile(b"%PD"))
    fresh_orphan = default_storage.save("reports/2017/calendar-2017-job98.pdf", ContentFile(b"%"))
    a_day_ago = (now - datetime.timedelta(days=2)).timestamp()
    for name in (job.file.name, orphan, leftover):
        os.utime(default_storage.path(name), (a_day_ago, a_day_ago))

    user = user_with_role(Role.NETWORK_DEVELOPER)
    kept_key, old_key = uuid.uuid4(), uuid.uuid4()
    FormSubmission.objects.create(key=kept_key, user=user)
    old = FormSubmission.objects.create(key=old_key, user=user)
    FormSubmission.objects.filter(pk=old.pk).update(
        created_at=now - KEPT_FOR - datetime.timedelta(minutes=1)
    )

    summary = housekeeping_task.apply().get()

    assert summary == {
        "failed_logins": 1,
        "login_log": 1,
        "report_files": 2,
        "form_keys": 1,
        "accounts_deactivated": 0,
        "invitations": 0,
    }
    assert list(FormSubmission.objects.values_list("key", flat=True)) == [kept_key]
    assert list(Session.objects.values_list("session_key", flat=True)) == [live.session_key]
    assert list(AccessAttempt.objects.values_list("username", flat=True)) == ["a"]
    assert list(AccessLog.objects.values_list("username", flat=True)) == ["a"]
    assert default_storage.exists(job.file.name)
    assert default_storage.exists(fresh_orphan)
    assert not default_storage.exists(orphan) and not default_storage.exists(leftover)


@pytest.mark.redis
def test_beat_starts_with_the_housekeeping_scheduled(tmp_path):
    """`celery -A lokalsamverkan beat`, as docker-compose.yml runs it, starts with its schedule."""
    broker = redis_url()
    problem = redis_problem(broker)
    if problem:
        pytest.skip(problem)
    log = tmp_path / "beat.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "lokalsamverkan.settings.test",
        "CELERY_BROKER_URL": broker,
        "CELERY_BEAT_SCHEDULE_FILENAME": str(tmp_path / "schedule"),
        "PYTHONPATH": str(settings.BASE_DIR),
    }
    with log.open("wb") as output:
        beat = subprocess.Popen(
            [f"{BIN}/celery", "-A", "lokalsamverkan", "beat", "--loglevel", "INFO"],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and beat.poll() is None:
                if "Beat schedule: housekeeping" in log.read_text():
                    break
                time.sleep(0.2)
        finally:
            beat.terminate()
            beat.wait(timeout=30)
    text = log.read_text()
    assert "beat: Starting..." in text, text
    assert (
        "Beat schedule: housekeeping sends lokalsamverkan.housekeeping at "
        "<crontab: 30 3 * * * (m/h/dM/MY/d)>" in text
    ), text
