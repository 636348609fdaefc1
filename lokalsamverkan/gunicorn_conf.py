"""Gunicorn's configuration, read from the environment: one file for production, the tests and
the benchmark, which all start the server with

    gunicorn --config python:lokalsamverkan.gunicorn_conf lokalsamverkan.wsgi

GUNICORN_BIND (default 0.0.0.0:8000) and WEB_CONCURRENCY (default 2 × cores + 1 workers) size it.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then, so a slow leak never grows without bound.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = 200
# Logs go to stdout/stderr, where the container runtime collects them.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
# Request limits (gunicorn's defaults, stated): the request line, the number and size of header
# fields. Bodies are limited in Django (MAX_REQUEST_BODY_SIZE, DATA_UPLOAD_MAX_*).
limit_request_line = 4094
limit_request_fields = 100
limit_request_field_size = 8190
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
