"""Faults: Redis down, PostgreSQL restarted. Real services, nothing mocked.

- Redis down (the broker and the cache at a closed port): asking for a report says so in
  Swedish (the message itself is tested in tests/reports/test_views.py), and the rest of the
  portal keeps working, also the pages that use the cache.
- PostgreSQL restarted: gunicorn, started as deployed, answers the next requests on fresh
  connections without being restarted (CONN_HEALTH_CHECKS with CONN_MAX_AGE > 0).
- A Celery worker killed mid-job: the job is redone once (tests/reports/test_worker.py).
"""

import datetime
import logging
import uuid

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.urls import reverse

from meetings.models import Meeting
from networks.permissions import Role
from reports.models import JobStatus, ReportJob
from tests.factories.accounts import coordinator_of, user_with_role
from tests.factories.meetings import MeetingFactory
from tests.factories.networks import MunicipalityFactory, NetworkGroupFactory, NetworkKindFactory
from tests.reports.conftest import celery_broker
from tests.reports.test_worker import redis_problem, redis_url
from tests.submitted import fresh_key
from tests.text import sv

from .conftest import Gunicorn, production_env, served_database_url

DEAD_REDIS = "redis://127.0.0.1:1/0"


def resilient_cache(url: str) -> dict:
    return {
        "default": {
            "BACKEND": "core.cache.ResilientRedisCache",
            "LOCATION": url,
            "KEY_PREFIX": f"test-{uuid.uuid4().hex[:8]}",
        }
    }


@pytest.fixture
def network():
    MunicipalityFactory()
    kind = NetworkKindFactory(name="Nätverk barn och unga", slug="barn-och-unga")
    group = NetworkGroupFactory(kind=kind, name="Boda", slug="boda")
    MeetingFactory(group=group, date=datetime.date.today() + datetime.timedelta(days=7))
    return {"kind": kind, "group": group, "coordinator": coordinator_of(group)}


# Committed for real: the report job is handed to the broker on commit, inside the request.
@pytest.mark.django_db(transaction=True)
def test_with_redis_down_reports_say_so_and_everything_else_works(client, network):
    """Broker and cache unreachable: a report request fails cleanly, the pages all answer."""
    kind, group = network["kind"], network["group"]
    with override_settings(CACHES=resilient_cache(DEAD_REDIS)), celery_broker(DEAD_REDIS):
        public = [
            reverse("portal:overview"),
            reverse("portal:kind_detail", args=[kind.slug]),
            reverse("portal:group_detail", args=[kind.slug, group.slug]),
            reverse("portal:search") + "?q=boda",
            reverse("portal:feed_all"),
            reverse("portal:feed_group", args=[kind.slug, group.slug]),
            reverse("portal:year_grid", args=[datetime.date.today().year]),
            reverse("portal:published_list"),
        ]
        for url in public:
            assert client.get(url).status_code == 200, url
        # The feed is cached where the cache works; here it is built on every request.
        assert client.get(reverse("portal:feed_all")).status_code == 200

        client.force_login(network["coordinator"])
        assert client.get(reverse("meetings:my_networks")).status_code == 200
        assert client.get(reverse("meetings:meeting_create")).status_code == 200
        response = client.post(
            reverse("meetings:meeting_create"),
            {
                **fresh_key(),
                "owner": f"group:{group.pk}",
                "status": "planned",
                "date": (datetime.date.today() + datetime.timedelta(days=14)).isoformat(),
                "start_time": "18:00",
                "end_time": "19:30",
                "place": "Bodaskolan",
                "type": "ordinary",
                "visibility": "public",
                "notes_visibility": "confidential",
            },
        )
        assert response.status_code == 302, response.content.decode()[:3000]
        assert Meeting.objects.filter(place="Bodaskolan").exists()

        client.force_login(user_with_role(Role.HEAD_OF_ADMINISTRATION))
        response = client.post(
            reverse("reports:report_create"), {"kind": "annual", "year": 2017}, follow=True
        )
        assert response.status_code == 200
        unreachable = sv(
            "The report service cannot be reached right now, so the report was not started. "
            "Try again in a while; if it keeps failing, contact the system administrator."
        )
        assert unreachable in response.content.decode()
        assert ReportJob.objects.get().status == JobStatus.FAILED


@override_settings(CACHES=resilient_cache(DEAD_REDIS))
def test_a_dead_cache_misses_and_logs_once(caplog):
    """Every operation on an unreachable cache answers like an empty cache, with one warning."""
    with caplog.at_level(logging.WARNING, logger="core.cache"):
        assert cache.get("feed", "missing") == "missing"
        cache.set("feed", "x")
        assert cache.get_or_set("feed", lambda: "built") == "built"
        assert cache.get_many(["a", "b"]) == {}
        assert cache.add("feed", "x") is False
        cache.delete_many(["a"])
        with pytest.raises(ValueError):
            cache.incr("counter")
    assert len([r for r in caplog.records if r.name == "core.cache"]) == 1


@pytest.mark.redis
def test_the_cache_keeps_values_in_a_running_redis():
    """With Redis up the same backend is an ordinary Redis cache shared by the processes."""
    url = redis_url()
    problem = redis_problem(url)
    if problem:
        pytest.skip(problem)
    with override_settings(CACHES=resilient_cache(url)):
        cache.set("feed", {"body": "BEGIN:VCALENDAR"}, 60)
        assert cache.get("feed") == {"body": "BEGIN:VCALENDAR"}
        cache.set("hits", 1, 60)
        assert cache.incr("hits") == 2
        cache.delete_many(["feed", "hits"])
        assert cache.get("feed") is None


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_after_a_postgresql_restart_gunicorn_recovers_by_itself(tmp_path, static_root, network):
    """Every database connection killed (what a server restart does): the next requests work."""
    env = production_env(
        DATABASE_URL=served_database_url(tmp_path),
        STATIC_ROOT=str(static_root),
        MEDIA_ROOT=str(tmp_path / "media"),
        CONN_MAX_AGE="60",
        SECURE_SSL_REDIRECT="false",
    )
    url = reverse("portal:group_detail", args=[network["kind"].slug, network["group"].slug])
    log = tmp_path / "gunicorn.log"
    with Gunicorn(env=env, log=log) as server:
        status, _, body = server.request(url)
        assert status == 200, body[:2000]
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            (terminated,) = cursor.fetchone()
        # The worker kept its connection between requests; that is the one killed.
        assert terminated >= 1
        for _ in range(3):
            status, _, body = server.request(url)
            assert status == 200, body[:2000]
            assert "Boda" in body.decode()
        assert server.process.poll() is None
    assert log.read_text().count("Booting worker") == 1
