"""Settings for `make bench`: the production settings, on loopback, with a benchmark-only page.

Everything else is production's: DEBUG off, the manifest static files, persistent database
connections, the security middleware (the load generator says it came through HTTPS with
X-Forwarded-Proto, as the TLS proxy in front of the portal does).
"""

import os

os.environ.setdefault("SECRET_KEY", "django-insecure-benchmark-only")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/lokalsamverkan_bench")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/14")

from .production import *  # noqa: E402,F403
from .production import env  # noqa: E402

# The project's pages plus the ceiling: a bare view returning a fixed page.
ROOT_URLCONF = "benchmarks.urls"
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=600)  # noqa: F405

_cache = CACHES["default"]["BACKEND"] if "CACHES" in globals() else ""  # noqa: F405
if "redis" not in _cache.lower():
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": env("REDIS_URL"),
        }
    }
