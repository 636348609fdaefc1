"""The narrative of a report: saved per year (and per kind), and turned into safe HTML.

The network developer writes in a text box: paragraphs separated by an empty line, lines that
start with "- " make a bulleted list, and a line that starts with "## " is a subheading. Nothing
else is markup: every character is escaped, so no HTML, link or script can reach a page or a PDF.
"""

from django.db import transaction
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from core.services import model_update

from .models import AnnualReportText, KindReportText

BULLET = "- "
SUBHEADING = "## "
# The parts of the narrative a person writes; the rest of the annual report is gathered.
TEXT_FIELDS = ("title", "introduction", "organisation", "development_areas", "signatures")
KIND_TEXT_FIELDS = ("experiences", "challenges")


@transaction.atomic
def annual_report_text_save(
    *, year: int, updated_by=None, kind_texts: dict | None = None, **values
) -> AnnualReportText:
    """Save a year's narrative; `kind_texts` maps a kind to {"experiences", "challenges"}."""
    text = AnnualReportText.objects.filter(year=year).first() or AnnualReportText(year=year)
    model_update(
        instance=text,
        fields=(*TEXT_FIELDS, "updated_by"),
        data={**values, "updated_by": updated_by},
    )
    for kind, parts in (kind_texts or {}).items():
        item = KindReportText.objects.filter(report=text, kind=kind).first() or KindReportText(
            report=text, kind=kind
        )
        model_update(instance=item, fields=KIND_TEXT_FIELDS, data=parts)
    return text


def _blocks(text: str) -> list[list[str]]:
    """Return the text's blocks: runs of non-empty lines, split at empty lines."""
    blocks, current = [], []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if line.strip():
            current.append(line.strip())
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def _block_html(block: list[str], level: int) -> list[str]:
    """Return one block's paragraphs, lists and subheadings as HTML, escaped."""
    parts: list[str] = []
    paragraph: list[str] = []
    items: list[str] = []

    def flush():
        if paragraph:
            parts.append(f"<p>{escape(' '.join(paragraph))}</p>")
            paragraph.clear()
        if items:
            parts.append("<ul>" + "".join(f"<li>{escape(item)}</li>" for item in items) + "</ul>")
            items.clear()

    for line in block:
        if line.startswith(SUBHEADING):
            flush()
            heading = escape(line.removeprefix(SUBHEADING).strip())
            parts.append(f"<h{level}>{heading}</h{level}>")
        elif line.startswith(BULLET):
            if paragraph:
                flush()
            items.append(line.removeprefix(BULLET).strip())
        elif items:
            # A line after a list item continues that item.
            items[-1] = f"{items[-1]} {line}"
        else:
            paragraph.append(line)
    flush()
    return parts


def narrative_html(text: str, heading_level: int = 3) -> SafeString:
    """Return `text` as escaped HTML paragraphs, lists and subheadings (<h`heading_level`>)."""
    level = min(max(heading_level, 2), 6)
    parts = [part for block in _blocks(text or "") for part in _block_html(block, level)]
    return mark_safe("\n".join(parts))  # noqa: S308 – every piece of text above is escaped
