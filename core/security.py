"""Request-level safeguards the settings turn on: request size, session timeouts, client address.

- `RequestSizeLimitMiddleware` refuses a body larger than MAX_REQUEST_BODY_SIZE before anything
  reads it (Django's own limits leave file uploads unbounded); the views marked with
  `takes_large_uploads` (a shared document's upload) may take up to MAX_UPLOAD_BODY_SIZE.
- `RequestCharsetMiddleware` refuses (400) a request that declares another charset than UTF-8:
  Django would read the address and a form in it.
- `SessionTimeoutMiddleware` logs a user out after SESSION_IDLE_TIMEOUT seconds without a
  request, and SESSION_COOKIE_AGE seconds after logging in, whatever they do.
- `client_ip` is the address django-axes counts failed logins by: behind TRUSTED_PROXY_COUNT
  proxies, the address the outermost trusted proxy saw.
- `within_rate_limit` counts uses of something per fixed window in the cache (the password-reset
  mails, core/accounts.py).
"""

import codecs
import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.core.cache import cache
from django.core.exceptions import BadRequest
from django.dispatch import receiver
from django.http import HttpResponse
from django.utils.translation import gettext as _

LOGIN_AT = "_login_at"
LAST_SEEN = "_last_seen"
# Write the last-seen time at most this often (seconds): one session write a minute, not one
# per request.
LAST_SEEN_RESOLUTION = 60


def _declared_length(request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def _too_large():
    return HttpResponse(
        _("The request is too large."), status=413, content_type="text/plain; charset=utf-8"
    )


def takes_large_uploads(view):
    """Mark a view that takes a file larger than MAX_REQUEST_BODY_SIZE allows (a shared
    document): its requests may be up to MAX_UPLOAD_BODY_SIZE."""
    view.takes_large_uploads = True
    return view


class RequestSizeLimitMiddleware:
    """Answer 413 to a request whose declared body exceeds MAX_REQUEST_BODY_SIZE, or
    MAX_UPLOAD_BODY_SIZE for a view marked with `takes_large_uploads`.

    The larger limit is checked as the request arrives, the view's own once the address is
    resolved: both before anything reads the body (the CSRF check reads a form in its
    process_view, which runs after this one's).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        largest = max(settings.MAX_REQUEST_BODY_SIZE, settings.MAX_UPLOAD_BODY_SIZE)
        if _declared_length(request) > largest:
            return _too_large()
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        limit = (
            settings.MAX_UPLOAD_BODY_SIZE
            if getattr(view_func, "takes_large_uploads", False)
            else settings.MAX_REQUEST_BODY_SIZE
        )
        return _too_large() if _declared_length(request) > limit else None


class RequestCharsetMiddleware:
    """Refuse a request whose Content-Type declares a charset other than UTF-8.

    Django decodes the query string and a form with the declared charset: in UTF-16 or UTF-7
    every parameter reads as something else, and a form in any charset but UTF-8 is refused
    only once a view (or the CSRF check) reads it. Browsers send UTF-8, so refuse the rest
    before anything reads the request; handler400 renders the page.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        charset = request.content_params.get("charset")
        if charset is not None and not names_utf8(charset):
            raise BadRequest(f"Declared charset {charset[:40]!r} is not UTF-8.")
        return self.get_response(request)


def names_utf8(charset: str) -> bool:
    """Return whether `charset` is a name Python knows for UTF-8 ("UTF-8", "utf8", …)."""
    try:
        return codecs.lookup(charset).name == "utf-8"
    except (LookupError, ValueError):  # unknown, or a name with a null character
        return False


class SessionTimeoutMiddleware:
    """End a logged-in session when idle too long, or too long after logging in."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            session = request.session
            now = int(time.time())
            login_at = session.get(LOGIN_AT)
            last_seen = session.get(LAST_SEEN, login_at)
            if login_at is None:
                session[LOGIN_AT] = session[LAST_SEEN] = now
            elif (
                now - login_at > settings.SESSION_COOKIE_AGE
                or now - last_seen > settings.SESSION_IDLE_TIMEOUT
            ):
                logout(request)
            elif now - last_seen >= LAST_SEEN_RESOLUTION:
                session[LAST_SEEN] = now
        return self.get_response(request)


@receiver(user_logged_in, dispatch_uid="core.security.session_start")
def session_start(sender, request, user, **kwargs):
    """Start the clocks of a fresh login (a re-login in the same browser starts them anew)."""
    if request is not None and hasattr(request, "session"):
        request.session[LOGIN_AT] = request.session[LAST_SEEN] = int(time.time())


def client_ip(request) -> str:
    """Return the client's address: REMOTE_ADDR, or the one the trusted proxies forwarded.

    Each trusted proxy appends the address it received the request from to X-Forwarded-For,
    so the last TRUSTED_PROXY_COUNT entries are trustworthy and anything before them is not.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < count:
        return remote
    return forwarded[-count]


def within_rate_limit(name: str, limit: int, window: int) -> bool:
    """Count one use of `name` in the current window of `window` seconds; return whether it is
    at most the `limit`th there.

    The windows are fixed (aligned to the clock) and counted in the cache, which all processes
    share when it is Redis. While the cache is down every use counts as the first: the portal
    limits nothing rather than refuses everything.
    """
    key = f"rate:{name}:{int(time.time()) // window}"
    cache.add(key, 0, timeout=window)
    try:
        return cache.incr(key) <= limit
    except ValueError:  # the key expired just now, or the cache is down
        return True
