"""Settings for a server on the internet. Secrets have no defaults: a missing one stops start-up.

Required: SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL. Served behind a TLS proxy that sets
X-Forwarded-Proto (see README, "Drift").
"""

from .base import *  # noqa: F403
from .base import LOGGING, env

DEBUG = False
SECRET_KEY = env("SECRET_KEY")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
DATABASES = {"default": env.db("DATABASE_URL")}
# Keep connections between requests, and check one before reuse: after a database restart the
# next request opens a fresh connection instead of failing.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "core.storage.StaticFilesStorage"},
    "private": {"BACKEND": "core.storage.PrivateFileSystemStorage"},
}

# HTTPS only. The proxy terminates TLS and says so in X-Forwarded-Proto; it must overwrite
# that header from clients. SECURE_SSL_REDIRECT=false only where the proxy redirects itself.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SECURE = True
LANGUAGE_COOKIE_HTTPONLY = True

LOGGING["handlers"]["console"]["formatter"] = env("LOG_FORMAT", default="json")
