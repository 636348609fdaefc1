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


def _css_string(value) -> str:
    """Return `value` as a CSS string literal that cannot end the string or the <style>."""
    text = str(value).replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3C ")
    return '"' + text.replace("\n", " ").replace("\r", " ") + '"'


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
