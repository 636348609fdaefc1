"""The portal's URLs plus the benchmark's ceiling: the least Django can do for a page.

`/bench/ceiling/<size>/` answers with `size` bytes of HTML from a fixed buffer, through the same
server and middleware as every page; a POST (with a valid CSRF token, like a form) is answered
with a redirect, as a saved form is.
"""

import functools

from django.http import HttpResponse, HttpResponseRedirect
from django.urls import include, path

HEAD = b"<!doctype html><html lang=sv><title>ceiling</title><p>"


@functools.lru_cache(maxsize=32)
def _page(size: int) -> bytes:
    return (HEAD + b"x" * size)[:size]


def ceiling(request, size):
    """Return a fixed page of `size` bytes (or, for a POST, a redirect)."""
    if request.method == "POST":
        return HttpResponseRedirect("/bench/ceiling/0/")
    return HttpResponse(_page(size), content_type="text/html; charset=utf-8")


urlpatterns = [
    path("bench/ceiling/<int:size>/", ceiling, name="bench_ceiling"),
    path("", include("lokalsamverkan.urls")),
]
