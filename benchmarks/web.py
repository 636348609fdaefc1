"""Load the portal's pages with wrk, each beside the framework's ceiling, through gunicorn.

Used by benchmarks/run.py: `serve()` starts the one production invocation

    gunicorn --config python:lokalsamverkan.gunicorn_conf lokalsamverkan.wsgi

with the benchmark settings, and `load()` runs wrk against each page and against
`/bench/ceiling/<size>/` (a bare view answering with the same number of bytes) at each number of
connections, page and ceiling one after the other, so both meet the same machine.
"""

import contextlib
import json
import os
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = Path(__file__).resolve().parent / "wrk.lua"


@contextlib.contextmanager
def serve(*, env: dict, port: int, log_path: Path):
    """Run gunicorn on 127.0.0.1:`port` until the block ends; yield its base URL."""
    gunicorn = Path(sys.executable).parent / "gunicorn"
    server_env = {
        **os.environ,
        **env,
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        # Recycling workers every 2 000 requests would restart them many times in a run.
        "GUNICORN_MAX_REQUESTS": env.get("GUNICORN_MAX_REQUESTS", "0"),
        "LOG_LEVEL": env.get("LOG_LEVEL", "warning"),
    }
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [
                str(gunicorn),
                "--config",
                "python:lokalsamverkan.gunicorn_conf",
                "lokalsamverkan.wsgi",
            ],
            cwd=ROOT,
            env=server_env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            _wait_until_up(base, process)
            yield base
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_until_up(base: str, process) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("gunicorn stopped; see its log")
        try:
            fetch(base + "/bench/ceiling/1/", {})
            return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.5)
    raise RuntimeError("gunicorn did not answer within a minute")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def fetch(url: str, headers: dict, body: bytes | None = None) -> tuple[int, int]:
    """Return the status and the body's size of one request (redirects not followed)."""
    request = urllib.request.Request(url, data=body, headers=headers)
    try:
        with _opener.open(request, timeout=60) as response:
            return response.status, len(response.read())
    except urllib.error.HTTPError as error:
        return error.code, len(error.read())


def wrk(url: str, *, connections: int, seconds: int, headers: dict, env: dict) -> dict:
    """Run wrk once and return its figures (latencies in milliseconds)."""
    command = [
        shutil.which("wrk") or "wrk",
        "-t",
        str(min(2, connections)),
        "-c",
        str(connections),
        "-d",
        f"{seconds}s",
        "--timeout",
        "10s",
        "-s",
        str(SCRIPT),
    ]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    command.append(url)
    output = subprocess.run(
        command, capture_output=True, text=True, check=True, env={**os.environ, **env}
    ).stdout
    line = next(line for line in output.splitlines() if line.startswith("WRK_JSON "))
    raw = json.loads(line.removeprefix("WRK_JSON "))
    seconds_run = raw["duration_us"] / 1e6
    errors = raw["connect"] + raw["read"] + raw["write"] + raw["timeout"]
    return {
        "requests": raw["requests"],
        "rps": raw["requests"] / seconds_run,
        "p50_ms": raw["p50_us"] / 1000,
        "p95_ms": raw["p95_us"] / 1000,
        "p99_ms": raw["p99_us"] / 1000,
        "non_2xx_3xx": raw["status"],
        "socket_errors": errors,
    }


def scenarios(found: dict, base: str) -> list[dict]:
    """Return what to load: the public pages, the coordinator's page and posting a meeting."""
    pages = found["pages"]
    proxy = {"X-Forwarded-Proto": "https"}
    secret = found["csrf_secret"]
    logged_in = {**proxy, "Cookie": found["session_cookie"]}
    posting = {
        **proxy,
        "Cookie": f"{found['session_cookie']}; {found['csrf_cookie_name']}={secret}",
        "Origin": "https://" + base.split("://", 1)[1],
        "Referer": "https://" + base.split("://", 1)[1] + found["meeting_create_url"],
    }
    body = urllib.parse.urlencode({**found["meeting_form"], "csrfmiddlewaretoken": secret})
    rows = [
        {"name": "overview", "url": pages["overview"]["url"], "headers": proxy},
        {"name": "group page", "url": pages["group"]["url"], "headers": proxy},
        {"name": "district search", "url": pages["search"]["url"], "headers": proxy},
        {"name": "group iCal feed", "url": pages["group_feed"]["url"], "headers": proxy},
        {"name": "full iCal feed", "url": pages["all_feed"]["url"], "headers": proxy},
        {
            "name": "Mina nätverk (logged in)",
            "url": pages["my_networks"]["url"],
            "headers": logged_in,
        },
        {
            "name": "post a meeting",
            "url": found["meeting_create_url"],
            "headers": posting,
            "body": body,
        },
    ]
    for row in rows:
        row["public"] = row["headers"] is proxy
    return rows


def load(found: dict, base: str, *, connections=(8, 32), seconds=8, warmup=2, log=print) -> list:
    """Measure every scenario and its ceiling at each number of connections."""
    results = []
    for scenario in scenarios(found, base):
        body = scenario.get("body")
        data = body.encode() if body else None
        try:
            status, size = fetch(base + scenario["url"], scenario["headers"], data)
        except (urllib.error.URLError, ConnectionError, TimeoutError) as error:
            status, size = str(error), 0
        if status not in (200, 302):
            log(f"{scenario['name']}: {scenario['url']} answered {status}; not loaded")
            results.append(
                {
                    "name": scenario["name"],
                    "url": scenario["url"],
                    "public": scenario["public"],
                    "method": "POST" if body else "GET",
                    "failed": str(status),
                }
            )
            continue
        ceiling = f"/bench/ceiling/{size}/"
        ceiling_status, _size = fetch(base + ceiling, scenario["headers"], data)
        if ceiling_status != status:
            raise RuntimeError(f"{ceiling} answered {ceiling_status}, the page {status}")
        env = {"WRK_METHOD": "POST", "WRK_BODY": body} if body else {}
        for count in connections:
            figures = {}
            for which, url in (("page", scenario["url"]), ("ceiling", ceiling)):
                wrk(
                    base + url,
                    connections=count,
                    seconds=warmup,
                    headers=scenario["headers"],
                    env=env,
                )
                figures[which] = wrk(
                    base + url,
                    connections=count,
                    seconds=seconds,
                    headers=scenario["headers"],
                    env=env,
                )
            row = {
                "name": scenario["name"],
                "url": scenario["url"],
                "public": scenario["public"],
                "method": "POST" if body else "GET",
                "status": status,
                "bytes": size,
                "connections": count,
                "page": figures["page"],
                "ceiling": figures["ceiling"],
                "ratio": figures["page"]["rps"] / figures["ceiling"]["rps"],
            }
            results.append(row)
            log(
                f"{scenario['name']:<26} c={count:<3} {figures['page']['rps']:8.1f} req/s "
                f"(ceiling {figures['ceiling']['rps']:8.1f}, {row['ratio']:.0%}) "
                f"p95 {figures['page']['p95_ms']:.1f} ms, errors "
                f"{figures['page']['non_2xx_3xx'] + figures['page']['socket_errors']}"
            )
    return results
