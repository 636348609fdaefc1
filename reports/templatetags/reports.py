import re

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from reports.narrative import narrative_html

register = template.Library()


@register.filter
def narrative(text, heading_level=3):
    """Render a report's narrative text safely: {{ text|narrative:3 }} (3 = subheading level)."""
    return narrative_html(text or "", int(heading_level))


# Characters written into a CSS string as they are; every other one goes as a hex escape. None of
# these can end a CSS string or line, start an escape, or begin "</style>".
CSS_STRING_SAFE = frozenset(" .,:!?()-_+%&")


def _css_string(value) -> str:
    """Return `value` as a quoted CSS string that can end neither the string nor the <style>.

    Serialised by CSS Syntax Level 3's rules, stricter: letters, digits and a few harmless marks
    stay, every other character becomes `\\HEX ` (the space ends the escape and is not part of
    the text); NUL, which CSS cannot hold, becomes U+FFFD as a CSS parser would make it.
    """
    text = str(value).replace("\0", "\ufffd")
    escaped = (
        char if char.isalnum() or char in CSS_STRING_SAFE else f"\\{ord(char):X} " for char in text
    )
    return '"' + "".join(escaped) + '"'


@register.simple_tag
def css_string(value):
    """Write a value into a stylesheet as a quoted string: {% css_string title %}."""
    return mark_safe(_css_string(value))  # noqa: S308 – quoted and escaped for CSS above


@register.simple_tag
def page_counter():
    """Return the CSS content of the page counter, "Sida 2 av 9", in the active language."""
    text = gettext("Page %(page)s of %(pages)s")
    parts = []
    for piece in re.split(r"(%\(pages?\)s)", text):
        if piece == "%(page)s":
            parts.append("counter(page)")
        elif piece == "%(pages)s":
            parts.append("counter(pages)")
        elif piece:
            parts.append(_css_string(piece))
    return mark_safe(" ".join(parts))  # noqa: S308 – only CSS strings and counters
