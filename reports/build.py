"""Build a report: its HTML from a template and the selectors, then its PDF/A (pdf.py).

The same `report_build` makes the bytes for the report jobs, for `manage.py render_report` and for
the benchmark.
"""

import datetime

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from meetings.calendar import year_grid
from networks.models import Municipality, NetworkKind, Visibility
from networks.permissions import Reach

from .models import ReportKind
from .pdf import html_to_pdf
from .selectors import annual_report


def _document_meta(
    *, title: str, generated_at: datetime.datetime, municipality: Municipality | None
) -> dict:
    """Return what every report template shows about the document: title, author, date."""
    return {
        "document_title": title,
        "author": municipality.name if municipality else "",
        "municipality": municipality,
        "generated_at": timezone.localtime(generated_at),
    }


def _annual_report_context(
    *, year: int, network_kind: NetworkKind | None, generated_at: datetime.datetime
) -> dict:
    """Return the context of the annual report; its title is the narrative's, if it has one."""
    report = annual_report(year=year)
    written = report.text.title if report.text else ""
    if not written:
        title = _("Annual report %(year)s") % {"year": year}
    else:
        title = written if str(year) in written else f"{written} {year}"
    meta = _document_meta(title=title, generated_at=generated_at, municipality=report.municipality)
    return {"report": report, **meta}


def _calendar_context(
    *, year: int, network_kind: NetworkKind | None, generated_at: datetime.datetime
) -> dict:
    """Return the context of the meeting calendar: every kind's meetings, or one kind's."""
    # For those who may ask for it: the network developer and the head of administration, so
    # what the head of administration may read (restricted meetings stay with the groups).
    grid = year_grid(year=year, kind=network_kind, reach=Reach(everywhere=Visibility.CONFIDENTIAL))
    if network_kind:
        title = _("Meeting dates %(year)s: %(kind)s") % {"year": year, "kind": network_kind.name}
    else:
        title = _("Meeting dates %(year)s") % {"year": year}
    meta = _document_meta(
        title=title, generated_at=generated_at, municipality=Municipality.objects.first()
    )
    return {"grid": grid, **meta}


# Each kind of report: its template and the function that gathers its context.
DOCUMENTS = {
    ReportKind.ANNUAL: ("reports/pdf/annual_report.html", _annual_report_context),
    ReportKind.CALENDAR: ("reports/pdf/calendar.html", _calendar_context),
}


def report_html(
    *,
    kind: str,
    year: int,
    network_kind: NetworkKind | None = None,
    generated_at: datetime.datetime | None = None,
) -> str:
    """Return the HTML a report's PDF is made from, in Swedish whatever the caller's language."""
    if kind not in DOCUMENTS:
        raise ValueError(f"Unknown report kind {kind!r}")
    template, context = DOCUMENTS[kind]
    with translation.override(settings.LANGUAGE_CODE):
        return render_to_string(
            template,
            context(
                year=year, network_kind=network_kind, generated_at=generated_at or timezone.now()
            ),
        )


def report_build(
    *,
    kind: str,
    year: int,
    network_kind: NetworkKind | None = None,
    generated_at: datetime.datetime | None = None,
) -> bytes:
    """Return the PDF/A of a report: the annual report or the meeting calendar of `year`."""
    html = report_html(kind=kind, year=year, network_kind=network_kind, generated_at=generated_at)
    return html_to_pdf(html)
