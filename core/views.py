"""The pieces every app's views share: the error pages, guards, service errors next to fields.

A view refuses by raising `PermissionDenied(message)`: Django hands the exception to
`permission_denied` (handler403 in lokalsamverkan/urls.py), which renders the Swedish 403 page
saying why. A rule about the user alone is a decorator, `@allowed(test, message)`; a rule about
an object the view has loaded is one line, `if not …: raise PermissionDenied(message)`.

The error pages (handler400, handler403, handler404, handler500) never read the request's body:
Django's own ones check CSRF again, which reads a form again, so a form Django could not read
made its error page fail too and the answer was a bare 500.
"""

import functools
from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from .forms import ID_RANGE


def bad_request(request, exception=None):
    """Render the Swedish 400 page (a request the portal cannot read; the reason is logged)."""
    return render(request, "400.html", status=400)


def permission_denied(request, exception=None):
    """Render the Swedish 403 page, with the refusal's reason when the view gave one."""
    message = exception.args[0] if exception is not None and exception.args else None
    return render(request, "403.html", {"message": message}, status=403)


CSRF_REFUSED = gettext_lazy(
    "The form could not be accepted: it may have expired, or it was not sent from this site. "
    "Go back, reload the page and send the form again."
)


def csrf_failure(request, reason=""):
    """Render the Swedish 403 page for a form the CSRF check refused (CSRF_FAILURE_VIEW)."""
    return permission_denied(request, PermissionDenied(CSRF_REFUSED))


def page_not_found(request, exception=None):
    """Render the Swedish 404 page."""
    return render(request, "404.html", status=404)


def server_error(request):
    """Render the 500 page, which needs nothing from the request that failed."""
    return HttpResponseServerError(loader.render_to_string("500.html"))


def allowed(test: Callable, message, *, methods: list[str] | None = None):
    """Decorate a view for logged-in users that `test(user)` accepts; refuse the rest.

    In the spirit of Django's `user_passes_test`: a visitor who is not logged in is sent to the
    login page; then a request by another method than `methods` (when given) gets 405; then a
    logged-in user the test refuses gets the 403 page with `message`.
    """

    def decorator(view):
        @functools.wraps(view)
        def guarded(request, *args, **kwargs):
            if not test(request.user):
                raise PermissionDenied(message)
            return view(request, *args, **kwargs)

        if methods is not None:
            guarded = require_http_methods(methods)(guarded)
        return login_required(guarded)

    return decorator


# Rows a list page shows at a time.
PAGE_SIZE = 50


def page_of(request, queryset):
    """Return the page of `queryset` the address asks for (`?page=`), PAGE_SIZE rows long; a
    page number out of range or not a number gives the nearest page."""
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def int_or_none(value):
    """Return `value` (an id from the address) as an int, or None when it is missing, not a
    number, or outside ID_RANGE: no row has such an id, and a database asked for one fails
    (SQLite's integers overflow) instead of finding nothing."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if number in ID_RANGE else None


def posted(request, *, files=False) -> tuple:
    """Return the arguments that bind a form to what was posted; none on a GET, so the form
    shows unbound (`Form(*posted(request), …)`)."""
    if request.method != "POST":
        return (None, None) if files else ()
    return (request.POST, request.FILES) if files else (request.POST,)


def form_for_user(request, form_class, *, files=False, **kwargs):
    """Return the form that creates something for the logged-in user, bound to what was
    posted; `?group=<id>` in the address preselects that group (a link from a group's own page).

    The form is built for the request (`request=`): every form that creates something mixes
    in submissions.forms.SubmittedOnce (one without it cannot be built here), so it is saved
    once per rendered form, whatever the browser sends again.
    """
    return form_class(
        *posted(request, files=files),
        request=request,
        user=request.user,
        preselect_group=int_or_none(request.GET.get("group")),
        **kwargs,
    )


def saved(form, write: Callable, *, field_for=None):
    """Run `write()` once a posted form is valid, and return what it wrote.

    Return None when there is nothing valid to write, or when the service refused: then its
    errors stand next to the form's fields (`field_for` as in `add_service_errors`), and
    nothing was saved. A form with a `once(attempt)` method (submissions.forms.SubmittedOnce)
    runs the attempt through it: at most once per rendered form, in one transaction with the
    claim of the form's key; sent again, it returns what the first sending wrote.
    """
    if not form.is_bound:
        return None
    attempt = functools.partial(_valid_write, form, write, field_for)
    once = getattr(form, "once", None)
    return once(attempt) if once is not None else attempt()


def _valid_write(form, write: Callable, field_for):
    if not form.is_valid():
        return None
    try:
        return write()
    except ValidationError as error:
        add_service_errors(form, error, field_for)
        return None


def add_service_errors(form, error: ValidationError, field_for=None):
    """Show a service's validation error next to the form field it concerns.

    `field_for(name)` may map a model field the service names to a field of the form; errors
    of fields the form does not have are shown above the form.
    """
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        target = field_for(name) if field_for else None
        target = target or (name if name in form.fields else None)
        form.add_error(target, errors)
