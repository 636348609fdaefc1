"""Shared fixtures, and the rule that a skipped test fails in CI.

A test that needs a service the machine lacks (PostgreSQL, Redis, Chromium) skips with a reason
when run by hand; with CI set in the environment, such a skip is reported as a failure, so a
green CI run means every test really ran.
"""

import os

import pytest

STRICT = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if STRICT and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.longrepr = f"Skipped in CI, where every service must be present: {reason}"


def pytest_collection_modifyitems(config, items):
    """Leave out the tests marked `postgres` when the database is not PostgreSQL.

    They test what only PostgreSQL does (row locks under concurrency, a worker sharing the
    database); CI runs the suite on PostgreSQL as well, so there they always run.
    """
    from django.db import connection

    if connection.vendor == "postgresql":
        return
    postgres_only = [item for item in items if item.get_closest_marker("postgres")]
    if postgres_only:
        config.hook.pytest_deselected(items=postgres_only)
        items[:] = [item for item in items if not item.get_closest_marker("postgres")]
        config.postgres_only_left_out = len(postgres_only)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    left_out = getattr(config, "postgres_only_left_out", 0)
    if left_out:
        terminalreporter.write_line(
            f"{left_out} PostgreSQL-only tests were not run on this database; run them with "
            "DATABASE_URL=postgres://… (CI does)."
        )


def pytest_report_header(config):
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    mode = "CI: skips fail" if STRICT else "skips allowed"
    return f"lokalsamverkan: database {engine}, {mode}"


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Start every test with an empty cache: a page kept by an earlier test (whose rows are gone)
    must never answer for this one."""
    from django.core.cache import cache

    cache.clear()
    yield


class QueryCount:
    """Count the database queries of a call, or of a page: the one query-budget helper."""

    def __call__(self, function, *args, **kwargs):
        """Return (what `function(*args, **kwargs)` returned, how many queries it ran)."""
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            result = function(*args, **kwargs)
        return result, len(queries)

    def page(self, client, url, params=None) -> tuple[int, bytes]:
        """Return (queries, content) of a GET that must answer 200."""
        response, count = self(client.get, url, params or {})
        assert response.status_code == 200, url
        return count, response.content


@pytest.fixture
def query_count():
    """The query-budget helper: `query_count.page(client, url)`, `query_count(function)`."""
    return QueryCount()
