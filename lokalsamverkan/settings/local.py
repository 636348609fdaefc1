"""Settings for a developer's machine: `make run`."""

import os

os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("SECRET_KEY", "django-insecure-local-development-only")

from .base import *  # noqa: E402,F403
from .base import env  # noqa: E402

if not DEBUG:  # noqa: F405
    # A development key must never serve a site with DEBUG off.
    SECRET_KEY = env("SECRET_KEY")
