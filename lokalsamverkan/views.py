"""Small pieces every app's views share."""

from django.core.exceptions import ValidationError
from django.shortcuts import render


def forbidden(request, message):
    """Render the Swedish 403 page, saying why."""
    return render(request, "403.html", {"message": message}, status=403)


def int_or_none(value):
    """Return `value` as an int, or None when it is missing or not a number."""
    try:
        return int(value)
    except (TypeError, ValueError):
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


def selected_filters(form):
    """Return the valid filters of a bound filter form (an invalid one is shown, not applied)."""
    form.is_valid()
    return {name: value for name, value in form.cleaned_data.items() if value not in (None, "")}
