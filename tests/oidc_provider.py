"""A real OpenID Connect provider for the sign-in tests: tests/accounts/oidc/provider.mjs, the npm
package oidc-provider run by node on a free loopback port.

`oidc_provider` (session) starts it once, waits for its discovery document and stops it at the
end; `municipal_sign_in` points the portal's settings at it for one test. Without node or the
package (`make browser-tools` installs it into .tools/) the tests skip with the reason, and in CI
(tests/conftest.py) such a skip fails.
"""

import json
import os
import re
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from html import unescape
from pathlib import Path
from urllib.parse import urljoin

import pytest
import requests
from django.conf import settings

PROVIDER_DIR = Path(settings.BASE_DIR) / "tests" / "accounts" / "oidc"
PINNED = json.loads((PROVIDER_DIR / "package.json").read_text())["dependencies"]["oidc-provider"]
NODE_MODULES = Path(
    os.environ.get("OIDC_PROVIDER_NODE_MODULES", Path(settings.BASE_DIR) / ".tools/node_modules")
)
CLIENT_ID = "lokalsamverkan-test"
CLIENT_SECRET = "test-only-client-secret"
START_SECONDS = 20

# The people the provider knows, by login. Their e-mails are what the tests give the portal's
# people and users (or, for "stranger", nobody).
ACCOUNTS = {
    "anna": {"email": "anna.berg@kommun.example", "email_verified": True, "name": "Anna Berg"},
    "utvecklare": {
        "email": "utvecklare@kommun.example",
        "email_verified": True,
        "name": "Vera Utvecklare",
    },
    "stranger": {"email": "okand@kommun.example", "email_verified": True, "name": "Okänd"},
    "shared": {"email": "delad@kommun.example", "email_verified": True, "name": "Delad"},
    "unverified": {"email": "anna.berg@kommun.example", "email_verified": False, "name": "Anna"},
}


def node_problem() -> str | None:
    """Return why the provider cannot start here, or None."""
    if not shutil.which("node"):
        return "needs Node.js for the OpenID Connect provider (apt-get install nodejs npm)"
    package = NODE_MODULES / "oidc-provider" / "package.json"
    if not package.exists():
        return (
            f"needs the npm package oidc-provider {PINNED} in {NODE_MODULES} (make browser-tools)"
        )
    installed = json.loads(package.read_text())["version"]
    if installed != PINNED:
        return (
            f"oidc-provider {installed} is installed, the tests pin {PINNED} (make browser-tools)"
        )
    return None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Provider:
    """The running provider: its issuer, and the switch that makes it lie."""

    issuer: str
    process: subprocess.Popen

    def tamper(self, mode: str) -> None:
        """Make the token endpoint send an ID token with `mode` wrong (see provider.mjs)."""
        response = requests.get(f"{self.issuer}/__test__/tamper", params={"mode": mode}, timeout=5)
        response.raise_for_status()


def provider_start() -> Provider:
    port = free_port()
    environment = {
        **os.environ,
        "OIDC_TEST_NODE_MODULES": str(NODE_MODULES),
        "OIDC_TEST_PORT": str(port),
        "OIDC_TEST_CLIENT_ID": CLIENT_ID,
        "OIDC_TEST_CLIENT_SECRET": CLIENT_SECRET,
        "OIDC_TEST_ACCOUNTS": json.dumps(ACCOUNTS),
    }
    process = subprocess.Popen(
        ["node", str(PROVIDER_DIR / "provider.mjs")],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    issuer = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"The OIDC provider stopped at start:\n{process.stdout.read()}")
        try:
            document = requests.get(f"{issuer}/.well-known/openid-configuration", timeout=1)
            if document.ok and document.json()["issuer"] == issuer:
                return Provider(issuer=issuer, process=process)
        except requests.RequestException:
            pass
        time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"The OIDC provider did not answer within {START_SECONDS} s")


@pytest.fixture(scope="session")
def oidc_provider():
    """Yield the OpenID Connect provider, started once for the whole test session."""
    if problem := node_problem():
        pytest.skip(problem)
    provider = provider_start()
    yield provider
    provider.process.terminate()
    try:
        provider.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        provider.process.kill()


@pytest.fixture
def municipal_sign_in(oidc_provider, settings):
    """Configure the portal's municipal sign-in for the provider; it answers truthfully after."""
    settings.OIDC_OP_ISSUER = oidc_provider.issuer
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    yield oidc_provider
    oidc_provider.tamper("none")


def provider_login(authorization_url: str, login: str) -> str:
    """Sign in as `login` at the provider, as a browser would, from the address the portal sent
    the browser to; return the address the provider sends the browser back to (the callback)."""
    browser = requests.Session()
    url = authorization_url
    for _ in range(10):
        response = browser.get(url, allow_redirects=False, timeout=10)
        if response.is_redirect:
            url = urljoin(url, response.headers["Location"])
            if not url.startswith(browser_provider_prefix(authorization_url)):
                return url
            continue
        form = re.search(r'<form[^>]*action="([^"]+)"[^>]*method="post"', response.text)
        assert form, f"No login form at {url}:\n{response.text[:2000]}"
        response = browser.post(
            urljoin(url, unescape(form.group(1))),
            data={"prompt": "login", "login": login, "password": "anything"},
            allow_redirects=False,
            timeout=10,
        )
        assert response.is_redirect, response.text[:2000]
        url = urljoin(url, response.headers["Location"])
    raise AssertionError("The provider never sent the browser back")


def browser_provider_prefix(url: str) -> str:
    scheme, rest = url.split("://", 1)
    return f"{scheme}://{rest.split('/', 1)[0]}/"
