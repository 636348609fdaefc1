"""What the budget's pages say, by msgid and error code: a test that compares with the Swedish
translation of a msgid keeps passing when the wording of the translation is edited."""

from django.utils import translation


def sv(message, **params) -> str:
    """Return `message` (a msgid or a lazy message) in Swedish, with `params` filled in."""
    with translation.override("sv"):
        text = translation.gettext(message) if isinstance(message, str) else str(message)
    return text % params if params else text


def error_codes(response, field) -> list[str]:
    """Return the codes of the errors the page's form shows at `field`."""
    return [error.code for error in response.context["form"].errors.as_data().get(field, [])]
