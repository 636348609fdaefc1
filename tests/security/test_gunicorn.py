"""The portal as deployed: gunicorn, the production settings, hashed static files, the headers.

The server is started with the one invocation docker-compose.yml uses (see conftest.py).
"""

import re

import pytest

from tests.factories.networks import MunicipalityFactory, NetworkKindFactory
from tests.text import sv

from .conftest import Gunicorn, production_env, served_database_url

pytestmark = pytest.mark.django_db(transaction=True)

HTTPS = {"Host": "127.0.0.1", "X-Forwarded-Proto": "https"}


@pytest.fixture
def server(tmp_path, static_root):
    MunicipalityFactory()
    NetworkKindFactory(name="Områdesnätverk")
    env = production_env(
        DATABASE_URL=served_database_url(tmp_path),
        STATIC_ROOT=str(static_root),
        MEDIA_ROOT=str(tmp_path / "media"),
    )
    with Gunicorn(env=env, log=tmp_path / "gunicorn.log") as gunicorn:
        yield gunicorn


def test_a_public_page_is_served_with_every_security_header(server):
    """Over https (as the proxy reports it) the page comes with CSP, HSTS and the rest."""
    status, headers, body = server.request("/lokalsamverkan/", headers=HTTPS)
    assert status == 200, body[:2000]
    assert "Områdesnätverk" in body.decode()
    csp = headers["Content-Security-Policy"]
    for directive in (
        "default-src 'self'",
        "frame-ancestors 'none'",
        "form-action 'self'",
        "object-src 'none'",
        "base-uri 'self'",
    ):
        assert directive in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"


def test_plain_http_is_redirected_to_https(server):
    """A request the proxy did not mark as https is sent to the https address."""
    status, headers, _ = server.request("/lokalsamverkan/", headers={"Host": "127.0.0.1"})
    assert status == 301
    assert headers["Location"] == "https://127.0.0.1/lokalsamverkan/"


def test_static_files_are_served_under_hashed_names_for_a_year(server):
    """The page links its stylesheet by a content hash, and that file is served, cacheable."""
    _, _, body = server.request("/lokalsamverkan/", headers=HTTPS)
    stylesheets = re.findall(r'href="(/static/[^"]+\.[0-9a-f]{12}\.css)"', body.decode())
    assert stylesheets, "no hashed stylesheet linked"
    status, headers, css = server.request(stylesheets[0], headers=HTTPS)
    assert status == 200 and css
    assert "immutable" in headers["Cache-Control"]


def test_login_cookies_are_secure_and_hidden_from_scripts(server):
    """The CSRF cookie of the login page is Secure and HttpOnly."""
    status, headers, _ = server.request("/konto/logga-in/", headers=HTTPS)
    assert status == 200
    cookie = headers["Set-Cookie"]
    assert cookie.startswith("csrftoken=")
    assert "Secure" in cookie and "HttpOnly" in cookie


def test_a_form_in_another_charset_than_utf8_gets_the_400_page(server):
    """A login form declaring UTF-16, UTF-32, UTF-7, "utf8" or no real charset, with a valid
    CSRF cookie and token, gets the Swedish 400 page (not a bare 500: the error pages once read
    the form again)."""
    _, headers, body = server.request("/konto/logga-in/", headers=HTTPS)
    cookie = headers["Set-Cookie"].split(";")[0]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body.decode()).group(1)
    form = {
        **HTTPS,
        "Cookie": cookie,
        "Referer": "https://127.0.0.1/konto/logga-in/",
    }
    for charset in ("utf-16", "utf-32", "utf-7", "utf8", "x-nonsense"):
        status, headers, body = server.request(
            "/konto/logga-in/",
            method="POST",
            headers={
                **form,
                "Content-Type": f"application/x-www-form-urlencoded; charset={charset}",
            },
            body=f"csrfmiddlewaretoken={token}&username=a&password=b".encode(),
        )
        assert status == 400, charset
        page = body.decode()
        assert '<html lang="sv"' in page and sv("The request could not be read") in page
        assert "Content-Security-Policy" in headers


def test_gunicorn_refuses_an_overlong_request_line(server):
    """A request line over gunicorn's limit is refused before Django sees it."""
    answer = server.raw(b"GET /" + b"a" * 5000 + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 400") or answer.startswith(b"HTTP/1.1 414")


def test_gunicorn_refuses_too_many_header_fields(server):
    """More than 100 header fields are refused before Django sees them."""
    fields = b"".join(b"X-Filler-%d: x\r\n" % n for n in range(120))
    answer = server.raw(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n" + fields + b"\r\n")
    assert answer.startswith(b"HTTP/1.1 400") or answer.startswith(b"HTTP/1.1 431")


def test_a_declared_body_over_the_limit_is_refused_unread(server):
    """A POST declaring more than 8 MB gets 413 at once."""
    answer = server.raw(
        b"POST /konto/logga-in/ HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Forwarded-Proto: https\r\n"
        b"Content-Type: application/x-www-form-urlencoded\r\n"
        b"Content-Length: 104857600\r\n\r\nusername=a"
    )
    assert answer.startswith(b"HTTP/1.1 413")
