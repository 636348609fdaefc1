"""Settings shared by every environment, read from the environment.

The defaults serve local use: a SQLite file beside manage.py and Celery jobs run in-process.
"""

import datetime
import tempfile
from pathlib import Path

import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "core.apps.AdminConfig",  # django.contrib.admin, with the portal's admin site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "core",
    "submissions",
    "networks",
    "accounts",
    "members",
    "meetings",
    "news",
    "documents",
    "budget",
    "reports",
    "portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "core.security.RequestSizeLimitMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Before anything reads the request (the CSRF check reads a form once every middleware
    # has let the request through).
    "core.security.RequestCharsetMiddleware",
    "core.security.SessionTimeoutMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes requires: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "lokalsamverkan.urls"
WSGI_APPLICATION = "lokalsamverkan.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# django-axes first: it refuses a locked-out login before the password is even checked. The
# municipality's sign-in (accounts/oidc.py) answers only the OpenID Connect callback, and only
# when it is configured (below).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "accounts.oidc.MunicipalSignInBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Failed logins: after AXES_FAILURE_LIMIT failures for one user name from one address, that
# pair may not log in for AXES_COOLOFF_TIME after the last of them (a guesser is slowed down; the
# real user elsewhere and other users at the same address are not locked out). A successful
# login clears the count.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Attempts made while locked out are refused without being counted: otherwise each one would
# restart the pause, and anyone at the victim's address could keep them out for good.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_CLIENT_IP_CALLABLE = "core.security.client_ip"
# The municipal sign-in's answers are not password guesses (accounts/oidc.py).
AXES_WHITELIST_CALLABLE = "accounts.oidc.axes_ignores"
# How many reverse proxies in front of the portal append to X-Forwarded-For (0: none, so the
# address of the connection counts). Set it to the real number, or clients can forge theirs.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
# The login log (django-axes' AccessLog) is kept this long, then the nightly housekeeping
# deletes it.
LOGIN_LOG_RETENTION_DAYS = env.int("LOGIN_LOG_RETENTION_DAYS", default=90)

# Password-reset mails: at most this many requests for one address (in any case), and from one
# client address, in a fixed window of an hour; past that the page answers the same and sends
# nothing (core/accounts.py).
PASSWORD_RESET_MAILS_PER_ADDRESS = env.int("PASSWORD_RESET_MAILS_PER_ADDRESS", default=3)
PASSWORD_RESET_MAILS_PER_CLIENT = env.int("PASSWORD_RESET_MAILS_PER_CLIENT", default=10)
PASSWORD_RESET_LIMIT_WINDOW = 60 * 60

# Invitations (members/): a link works once, for this many days. Accounts nobody has used for
# ACCOUNT_INACTIVE_DAYS (last login, or creation if never) are deactivated by the nightly
# housekeeping – never an administrator's.
INVITATION_MAX_AGE_DAYS = env.int("INVITATION_MAX_AGE_DAYS", default=7)
ACCOUNT_INACTIVE_DAYS = env.int("ACCOUNT_INACTIVE_DAYS", default=365)

# A login lasts at most 8 hours, and ends after 2 hours without a request
# (core.security.SessionTimeoutMiddleware) or when the browser is closed.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 60 * 60)
SESSION_IDLE_TIMEOUT = env.int("SESSION_IDLE_TIMEOUT", default=2 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# A form refused by the CSRF check gets the portal's Swedish 403 page, saying what to do.
CSRF_FAILURE_VIEW = "core.views.csrf_failure"

# Municipal sign-in over OpenID Connect (mozilla-django-oidc, accounts/oidc.py): on when the
# client id, its secret and the issuer are all set. The endpoints come from the issuer's
# discovery document (<issuer>/.well-known/openid-configuration) unless set one by one. The
# sign-in never creates an account: it logs in the one user whose e-mail (or whose person's)
# is the verified e-mail the provider sends.
OIDC_OP_ISSUER = env("OIDC_OP_ISSUER", default="")
OIDC_RP_CLIENT_ID = env("OIDC_RP_CLIENT_ID", default="")
OIDC_RP_CLIENT_SECRET = env("OIDC_RP_CLIENT_SECRET", default="")
OIDC_RP_SCOPES = env("OIDC_RP_SCOPES", default="openid email profile")
OIDC_RP_SIGN_ALGO = env("OIDC_RP_SIGN_ALGO", default="RS256")
OIDC_OP_AUTHORIZATION_ENDPOINT = env("OIDC_OP_AUTHORIZATION_ENDPOINT", default="")
OIDC_OP_TOKEN_ENDPOINT = env("OIDC_OP_TOKEN_ENDPOINT", default="")
OIDC_OP_USER_ENDPOINT = env("OIDC_OP_USER_ENDPOINT", default="")
OIDC_OP_JWKS_ENDPOINT = env("OIDC_OP_JWKS_ENDPOINT", default="")
OIDC_CREATE_USER = False
OIDC_USE_NONCE = True
OIDC_USE_PKCE = True
OIDC_TIMEOUT = env.int("OIDC_TIMEOUT", default=10)
OIDC_AUTHENTICATION_CALLBACK_URL = "accounts:oidc_callback"
LOGIN_REDIRECT_URL_FAILURE = "login"

# The second factor (django-otp's TOTP): network developers and administrators who log in with
# a password give a code from an authenticator app before they are logged in at all. Each wrong
# code doubles the wait before the next one is checked (1, 2, 4, … seconds).
OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", default="Lokalsamverkan")
OTP_TOTP_THROTTLE_FACTOR = 1
# How long a right password waits for its code before the login must start again (seconds).
SECOND_FACTOR_TIMEOUT = 5 * 60

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "meetings:my_networks"
LOGOUT_REDIRECT_URL = "portal:overview"

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Swedish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
# MEDIA_URL is never served: receipts and report files go out only through views that check
# who may see them.
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
# The groups' shared documents: a folder of their own, outside MEDIA_ROOT, in a storage that
# has no URL at all (core.storage.PrivateFileSystemStorage); documents/views.py serves them to
# those who may read them.
PRIVATE_MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default=BASE_DIR / "private")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "private": {"BACKEND": "core.storage.PrivateFileSystemStorage"},
}
# The largest shared document (documents/forms.py says so in Swedish next to the field).
DOCUMENT_MAX_BYTES = env.int("DOCUMENT_MAX_BYTES", default=20 * 1024 * 1024)

# Request size: form fields (not files) up to 1 MB and 1000 fields, at most 5 files; files over
# 2.5 MB are spooled to disk. The whole body may be MAX_REQUEST_BODY_SIZE (a 5 MB receipt and
# the form around it fit), or MAX_UPLOAD_BODY_SIZE for the views that take a shared document
# (core.security.takes_large_uploads); larger requests get 413 before they are read.
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
DATA_UPLOAD_MAX_NUMBER_FILES = 5
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
MAX_REQUEST_BODY_SIZE = 8 * 1024 * 1024
MAX_UPLOAD_BODY_SIZE = DOCUMENT_MAX_BYTES + 2 * DATA_UPLOAD_MAX_MEMORY_SIZE

# Content Security Policy (django-csp 4), the same in development, tests and production: only
# our own scripts, styles, fonts and images (Bootstrap's icons are data: SVGs), no inline code,
# no framing, forms post only to us.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# The cache: Redis where CACHE_URL (or REDIS_URL) names one, degrading to "nothing cached"
# while it is down (core.cache); otherwise each process's memory.
CACHE_URL = env("CACHE_URL", default="") or env("REDIS_URL", default="")
if CACHE_URL:
    CACHES = {
        "default": {
            "BACKEND": "core.cache.ResilientRedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": "lokalsamverkan",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="lokalsamverkan@example.org")
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)

# Celery: with no broker configured the jobs run in-process (eagerly), so the portal
# needs no running service. With CELERY_BROKER_URL set, a worker (`make worker`) runs them.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="") or "memory://"
CELERY_TASK_ALWAYS_EAGER = CELERY_BROKER_URL == "memory://"
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A job whose worker died unacknowledged goes back to the queue after this many seconds; it
# must exceed the report task's hard time limit (reports/jobs.py), which the system check
# reports.E001 holds it to.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 900}
# `celery -A lokalsamverkan beat` sends the nightly housekeeping (portal/tasks.py).
CELERY_IMPORTS = ["portal.tasks"]
CELERY_BEAT_SCHEDULE = {
    "housekeeping": {"task": "lokalsamverkan.housekeeping", "schedule": crontab(hour=3, minute=30)},
}
CELERY_BEAT_SCHEDULE_FILENAME = env(
    "CELERY_BEAT_SCHEDULE_FILENAME",
    default=str(Path(tempfile.gettempdir()) / "lokalsamverkan-celerybeat-schedule"),
)

# Logs go to stdout, one line per record: JSON (LOG_FORMAT=json, production's default) for a
# log collector, or plain text for a person at a terminal.
LOG_FORMAT = env("LOG_FORMAT", default="text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "core.log.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(process)d %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": LOG_FORMAT,
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
}
