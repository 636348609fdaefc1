"""What the pages say, by msgid: tests compare with the Swedish of an English msgid, so a
reworded translation does not break them, while a page that says something else still does."""

from django.utils import translation


def sv(message, **params) -> str:
    """Return the Swedish of `message` (a msgid or a lazy message), placeholders filled in."""
    with translation.override("sv"):
        text = translation.gettext(message) if isinstance(message, str) else str(message)
    return text % params if params else text


def sv_plural(singular: str, plural: str, count: int, **params) -> str:
    """Return the Swedish of a plural msgid for `count`, placeholders filled in."""
    with translation.override("sv"):
        text = translation.ngettext(singular, plural, count)
    return text % {"count": count, **params}


def error_codes(response, field) -> list[str]:
    """Return the codes of the errors the page's form shows at `field`."""
    return [error.code for error in response.context["form"].errors.as_data().get(field, [])]
