"""Production settings: check --deploy clean, no default secrets, headers, limits, error pages,
cache, logs."""

import json
import re
import subprocess
import sys

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from tests.factories.networks import NetworkGroupFactory
from tests.text import sv

from .conftest import production_env

pytestmark = pytest.mark.django_db


def manage(*args, **env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=production_env(**env),
        capture_output=True,
        text=True,
    )


def production_value(expression: str, **env) -> str:
    result = manage("shell", "-c", f"from django.conf import settings; print({expression})", **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_check_deploy_reports_nothing_under_the_production_settings():
    """`manage.py check --deploy --fail-level WARNING` passes with the production settings."""
    result = manage("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"])
def test_production_refuses_to_start_without_a_required_setting(missing):
    """A missing secret or host list stops start-up instead of falling back to a default."""
    env = production_env()
    del env[missing]
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert f"Set the {missing} environment variable" in result.stderr


def test_the_cache_is_redis_where_configured_and_memory_otherwise():
    """CACHE_URL (or REDIS_URL) gives the Redis cache that survives an outage."""
    backend = "settings.CACHES['default']['BACKEND']"
    assert production_value(backend) == "django.core.cache.backends.locmem.LocMemCache"
    redis = "core.cache.ResilientRedisCache"
    assert production_value(backend, CACHE_URL="redis://127.0.0.1:6379/1") == redis
    assert production_value(backend, REDIS_URL="redis://127.0.0.1:6379/1") == redis


def test_production_keeps_database_connections_and_checks_them():
    """Connections are reused between requests and checked first (recovery after a restart)."""
    db = "settings.DATABASES['default']"
    assert production_value(f"{db}['CONN_MAX_AGE']") == "60"
    assert production_value(f"{db}['CONN_HEALTH_CHECKS']") == "True"


def test_production_logs_one_json_line_per_record_on_stdout():
    """Even an error with a traceback is one line of JSON on stdout."""
    code = (
        "import logging\n"
        "try:\n    1 / 0\n"
        "except ZeroDivisionError:\n"
        "    logging.getLogger('lokalsamverkan.test').exception('Failed\\non two lines')\n"
    )
    result = manage("shell", "-c", code)
    assert result.returncode == 0, result.stderr
    # Django's shell may print a line of its own; every log line is a JSON object.
    records = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    failure = next(r for r in records if r["logger"] == "lokalsamverkan.test")
    assert failure["level"] == "ERROR"
    assert failure["message"] == "Failed\non two lines"
    assert "ZeroDivisionError" in failure["exc_info"]


def test_every_page_has_the_security_headers_and_a_csp_without_inline_code(client):
    """Development and tests send the same policy as production: no inline code, no framing."""
    response = client.get(reverse("portal:overview"))
    csp = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["img-src"] == "'self' data:"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["form-action"] == "'self'"
    assert directives["base-uri"] == "'self'"
    assert "unsafe" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


INLINE_CODE = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle=\"|\son[a-z]+=\"", re.I)


def test_the_admin_pages_need_no_inline_code(client):
    """Django's admin runs under the CSP: its pages carry no inline script, style or handler."""
    group = NetworkGroupFactory()
    admin = get_user_model().objects.create_superuser("chef-admin", "a@example.org", "x")
    login_page = client.get(reverse("admin:login"), follow=True).content.decode()
    assert not INLINE_CODE.findall(login_page)
    client.force_login(admin)
    pages = [
        reverse("admin:index"),
        reverse("admin:networks_networkgroup_changelist"),
        reverse("admin:networks_networkgroup_add"),
        reverse("admin:networks_networkgroup_change", args=[group.pk]),
        reverse("admin:auth_user_changelist"),
        reverse("admin:auth_user_change", args=[admin.pk]),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        found = INLINE_CODE.findall(response.content.decode())
        assert not found, f"{url}: {found}"


def test_a_form_post_over_one_megabyte_is_refused(client):
    """Ordinary form data is limited to 1 MB (files are counted separately)."""
    response = client.post(reverse("login"), {"username": "x" * (1024 * 1024 + 1)})
    assert response.status_code == 400


def test_a_form_post_with_too_many_fields_is_refused(client):
    """More than 1000 fields is refused."""
    response = client.post(reverse("login"), {f"field{n}": "x" for n in range(1001)})
    assert response.status_code == 400


def test_a_request_body_over_eight_megabytes_is_refused_with_413(client):
    """A body too large even with a 5 MB receipt in it is refused before it is read, in Swedish
    that arrives as Swedish (the charset is declared)."""
    response = client.post(
        reverse("login"), b"x" * (8 * 1024 * 1024 + 1), content_type="application/octet-stream"
    )
    assert response.status_code == 413
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode(response.charset) == sv("The request is too large.")


def post_form(path: str, charset: str):
    """POST a login form that declares `charset`, with the CSRF check on, as browsers meet it."""
    client = Client(enforce_csrf_checks=True)
    client.get(reverse("login"))
    token = client.cookies["csrftoken"].value
    body = f"username=a&password=b&csrfmiddlewaretoken={token}".encode()
    content_type = f"application/x-www-form-urlencoded; charset={charset}"
    return client.generic("POST", path, body, content_type=content_type)


def assert_portal_page(response, status: int, title: str):
    assert response.status_code == status
    page = response.content.decode()
    assert '<html lang="sv"' in page
    assert sv(title) in page


@pytest.mark.parametrize(
    "charset", ["utf-16", "utf-32", "UTF-16LE", "utf-7", "latin-1", "x-nonsense"]
)
def test_a_request_declaring_a_charset_other_than_utf8_gets_the_400_page(charset):
    """Forms and addresses are read as UTF-8 only: any other declared charset is a 400."""
    assert_portal_page(post_form(reverse("login"), charset), 400, "The request could not be read")
    response = Client().get(
        reverse("meetings:meeting_list"), {"q": "a"}, CONTENT_TYPE=f"text/plain; charset={charset}"
    )
    assert_portal_page(response, 400, "The request could not be read")


def test_a_form_declaring_utf8_is_read_as_usual():
    """UTF-8, declared as browsers and libraries spell it, is simply read."""
    for charset in ("utf-8", "UTF-8"):
        response = post_form(reverse("login"), charset)
        assert response.status_code == 200
        assert response.context["form"].data["username"] == "a"


def test_the_error_pages_never_read_the_request_again():
    """Django refuses a form in "utf8" (UTF-8 by another name) while checking CSRF; the 400
    and 404 pages must not read that form once more, or they fail too (a bare 500)."""
    assert_portal_page(post_form(reverse("login"), "utf8"), 400, "The request could not be read")
    assert_portal_page(post_form("/finns-inte/", "utf8"), 404, "Page not found")


def test_a_receipt_of_five_megabytes_fits_the_limits():
    """The largest receipt (budget/receipts.py) and its form fit the request size limits.

    tests/budget/test_expenses.py posts a 5 MB receipt through the whole middleware stack.
    """
    from budget.receipts import MAX_RECEIPT_BYTES

    assert MAX_RECEIPT_BYTES + settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= (
        settings.MAX_REQUEST_BODY_SIZE
    )
