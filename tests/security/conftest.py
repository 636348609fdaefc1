"""Helpers of the security tests: the production environment, and gunicorn as a subprocess.

The server runs exactly as docker-compose.yml starts it:
`gunicorn --config python:lokalsamverkan.gunicorn_conf lokalsamverkan.wsgi`, with the production
settings, static files collected (hashed) into a temporary STATIC_ROOT, and the test database:
on PostgreSQL the very test database, on SQLite a file copy of the in-memory one.
"""

import http.client
import os
import secrets
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

BIN = Path(sys.executable).parent
WAIT_SECONDS = 60


def production_env(**extra) -> dict:
    """Return the environment of a production process: every required setting, nothing else."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "CACHE_URL", "REDIS_URL"}
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "lokalsamverkan.settings.production",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DATABASE_URL": "sqlite:////nonexistent/never-opened.sqlite3",
            "PYTHONPATH": str(settings.BASE_DIR),
        }
    )
    env.update(extra)
    return env


@pytest.fixture(scope="session")
def static_root(tmp_path_factory) -> Path:
    """Collect the static files once, hashed and compressed, as the Dockerfile does."""
    root = tmp_path_factory.mktemp("staticfiles")
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=settings.BASE_DIR,
        env=production_env(STATIC_ROOT=str(root)),
        check=True,
    )
    return root


def served_database_url(folder: Path) -> str:
    """Return a URL at which another process sees what this test committed."""
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        file = folder / "served.sqlite3"
        connection.ensure_connection()
        target = sqlite3.connect(file)
        connection.connection.backup(target)
        target.close()
        return f"sqlite:///{file}"
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    return f"postgres://{s['USER']}{password}@{s['HOST']}:{s['PORT'] or 5432}/{s['NAME']}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Gunicorn:
    """`gunicorn --config python:lokalsamverkan.gunicorn_conf lokalsamverkan.wsgi`, as deployed."""

    COMMAND = ["gunicorn", "--config", "python:lokalsamverkan.gunicorn_conf", "lokalsamverkan.wsgi"]

    def __init__(self, *, env: dict, log: Path):
        self.port = free_port()
        self.env = {**env, "GUNICORN_BIND": f"127.0.0.1:{self.port}", "WEB_CONCURRENCY": "1"}
        self.log = log
        self.process = None

    def __enter__(self) -> "Gunicorn":
        self.output = self.log.open("ab")
        self.process = subprocess.Popen(
            [str(BIN / self.COMMAND[0]), *self.COMMAND[1:]],
            cwd=settings.BASE_DIR,
            env={**self.env, "PATH": f"{BIN}:{os.environ.get('PATH', '')}"},
            stdout=self.output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return self
            except OSError:
                time.sleep(0.2)
        self.__exit__(None, None, None)
        raise AssertionError(f"gunicorn did not start:\n{self.log.read_text()}")

    def __exit__(self, *exc):
        if self.process.poll() is None:
            os.killpg(self.process.pid, 15)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, 9)
                self.process.wait(timeout=10)
        self.output.close()

    def request(self, path: str, *, method="GET", headers=None, body=None):
        """Return (status, headers, body) of one request on a fresh connection."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            return response.status, response.headers, response.read()
        finally:
            conn.close()

    def raw(self, data: bytes) -> bytes:
        """Send raw bytes and return the first bytes of the answer."""
        with socket.create_connection(("127.0.0.1", self.port), timeout=30) as sock:
            sock.sendall(data)
            return sock.recv(4096)
