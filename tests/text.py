"""What the pages say, by msgid: tests compare with the Swedish of an English msgid, so a
reworded translation does not break them, while a page that says something else still does."""

from django.utils import translation


def sv(msgid: str, **params) -> str:
    """Return the Swedish translation of `msgid`, with %(name)s placeholders filled in."""
    with translation.override("sv"):
        text = translation.gettext(msgid)
    return text % params if params else text


def sv_plural(singular: str, plural: str, count: int, **params) -> str:
    """Return the Swedish of a plural msgid for `count`, placeholders filled in."""
    with translation.override("sv"):
        text = translation.ngettext(singular, plural, count)
    return text % {"count": count, **params}
