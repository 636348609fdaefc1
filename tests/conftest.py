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


def pytest_report_header(config):
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    mode = "CI: skips fail" if STRICT else "skips allowed"
    return f"lokalsamverkan: database {engine}, {mode}"
