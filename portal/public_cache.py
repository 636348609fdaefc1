"""A cache of whole public pages for anonymous visitors, emptied whenever public data changes.

The public pages (the overview, a kind, a group, the district search, the calendars, the
published reports) are the same for every visitor who is not logged in, and they are what the
many read. `public_page` keeps each rendered page in the portal's cache, keyed on its address,
query string and language, together with the *data version* it was rendered at. Every save,
delete or change of a many-to-many link of a model in the apps whose data the public pages show
(networks, meetings, news, reports: groups, districts, people and their consent, roles,
meetings, news, published reports …) moves the data version on, so the next visitor gets a
freshly rendered page at once: a copy of an older version is never served, but rendered anew
and replaced. A copy is kept at most `PUBLIC_PAGE_CACHE_SECONDS` (default ten minutes) anyway,
because "upcoming" moves with the date.

What is never cached or served from the cache:

- any request carrying a session or a messages cookie: a logged-in user (who may see internal
  meetings), or anyone with a message waiting, always gets a page of their own;
- anything but GET and HEAD, and any response but a plain 200;
- a response that sets a cookie (e.g. a CSRF token), carries messages, or is streamed.

A page may also say when it goes out of date by itself (`keep_until`): a page showing news is
kept no longer than until the next scheduled public news item is published, so that item
appears on time although no row changed.

A hit costs no database query. Each process also keeps the pages it served last in its own
memory (`LOCAL_BYTES` at most, least recently used first out), so a hit on such a page moves only
the small data version from the shared cache, not the page – a feed of everything can be
megabytes; other hits take two small round trips. The version is always read from the shared
cache, so a change made through any process reaches every process's next request.

Writes that bypass the model signals – `QuerySet.update()`, `bulk_create()`, raw SQL – do not
move the version on by themselves; call `bump_data_version()` after them (the benchmark's
builder does).
"""

import functools
import hashlib
import math
import threading
import time
from collections import OrderedDict

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.translation import get_language

VERSION_KEY = "public-page:version"
# The apps whose models show on the public pages.
PUBLIC_APPS = frozenset({"networks", "meetings", "documents", "news", "reports"})
DEFAULT_SECONDS = 600
# What one process keeps of the pages in its own memory, in bytes.
LOCAL_BYTES = 32 * 1024 * 1024


class _LocalPages:
    """The pages this process served last, bounded in bytes: key → (version, content, headers,
    expiry), the same tuple as in the shared cache, so a copy lives no longer here than there."""

    def __init__(self, limit: int):
        self.limit = limit
        self.size = 0
        self.pages: OrderedDict[str, tuple] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: str, version: int):
        with self.lock:
            kept = self.pages.get(key)
            if kept is None or kept[0] != version or kept[3] < time.time():
                return None
            self.pages.move_to_end(key)
            return kept

    def put(self, key: str, kept: tuple) -> None:
        size = len(kept[1])
        if size > self.limit:
            return
        with self.lock:
            old = self.pages.pop(key, None)
            if old is not None:
                self.size -= len(old[1])
            self.pages[key] = kept
            self.size += size
            while self.size > self.limit:
                _key, dropped = self.pages.popitem(last=False)
                self.size -= len(dropped[1])


_local = _LocalPages(LOCAL_BYTES)


def _seconds() -> int:
    return getattr(settings, "PUBLIC_PAGE_CACHE_SECONDS", DEFAULT_SECONDS)


def data_version() -> int:
    """Return the current data version, starting one if the cache has none."""
    version = cache.get(VERSION_KEY)
    if version is None:
        # A fresh start after the cache was emptied: never reuse a version pages were kept under.
        version = time.time_ns()
        if not cache.add(VERSION_KEY, version, timeout=None):
            version = cache.get(VERSION_KEY, version)
    return version


def bump_data_version() -> None:
    """Move the data version on: every page cached so far is out of date."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.add(VERSION_KEY, time.time_ns(), timeout=None)


def _bump_now_and_after_commit() -> None:
    # Now, so that later reads in this transaction see fresh pages; and after the commit, so
    # that a page rendered by another process from the not yet committed state is never kept.
    bump_data_version()
    transaction.on_commit(bump_data_version)


def data_changed(sender, **kwargs) -> None:
    """Signal receiver: a row of a model the public pages show was saved, deleted or relinked."""
    if sender._meta.app_label in PUBLIC_APPS:
        _bump_now_and_after_commit()


def connect_signals() -> None:
    """Listen for changes to any model (called once, from the networks app's ready())."""
    from django.db.models.signals import m2m_changed, post_delete, post_save

    post_save.connect(data_changed, dispatch_uid="public_cache.post_save")
    post_delete.connect(data_changed, dispatch_uid="public_cache.post_delete")
    m2m_changed.connect(data_changed, dispatch_uid="public_cache.m2m_changed")


def _is_personal(request) -> bool:
    """Tell whether the request carries state of its own: a session or waiting messages."""
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies


def _key(request) -> str:
    # Pages carry absolute addresses (the feeds' subscribe links), so the host counts too.
    address = (
        f"{request.scheme}://{request.get_host()}{request.path}"
        f"?{request.META.get('QUERY_STRING', '')}|{get_language()}"
    )
    return "public-page:" + hashlib.sha256(address.encode()).hexdigest()


def _cacheable(request, response) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or request.META.get("CSRF_COOKIE_USED"):
        return False
    if getattr(request, "_messages", None) is not None and len(messages.get_messages(request)):
        return False
    return not response.has_header("Set-Cookie")


def keep_until(response, moment) -> None:
    """Keep the cached copy of `response` no longer than until `moment` (an aware datetime, or
    None for no limit of its own): e.g. when a scheduled news item is published."""
    if moment is not None:
        response.public_cache_until = moment.timestamp()


def public_page(view):
    """Serve anonymous GET requests of `view` from the cache of public pages."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD") or _is_personal(request):
            return view(request, *args, **kwargs)
        key = _key(request)
        version = cache.get(VERSION_KEY)
        if version is None:
            version = data_version()
        kept = _local.get(key, version)
        if kept is None:
            kept = cache.get(key)
            if kept is not None and kept[0] == version and kept[3] >= time.time():
                _local.put(key, kept)
            else:
                kept = None
        if kept is not None:
            _version, content, headers, _expires = kept
            response = HttpResponse(content, headers=headers)
            etag = response.get("ETag")
            if etag:
                return get_conditional_response(request, etag=etag, response=response)
            return response
        response = view(request, *args, **kwargs)
        if request.method == "GET" and _cacheable(request, response):
            if hasattr(response, "render") and callable(response.render):
                response.render()
            now = time.time()
            expires = min(now + _seconds(), getattr(response, "public_cache_until", math.inf))
            if expires > now:
                kept = (version, response.content, dict(response.items()), expires)
                cache.set(key, kept, math.ceil(expires - now))
                _local.put(key, kept)
        return response

    return wrapper
