"""The PDFs of the Borås 2017 demo read like seed 000: its figures, groups, activities and dates.

Both PDFs are rendered once for the module, from the demo loaded in a transaction that is rolled
back afterwards, and read back with pypdf as a reader (or an archive) would.
"""

import io

import pytest
from django.db import transaction
from pypdf import PdfReader

from budget.money import format_sek
from meetings.calendar import year_grid
from networks.models import NetworkGroup
from networks.permissions import Reach
from reports.build import report_build
from reports.models import ReportKind
from reports.pdf import StaticFilesFetcher
from reports.selectors import budget_for_report

from .conftest import load_boras, normalise, pdf_text

# The mark makes pytest-django create the test database the module fixture below uses.
pytestmark = pytest.mark.django_db

# §7 of seed 000 as the demo data logs it: (area, dates) per type.
ACTIVITY_DAYS = [
    "Trandared, 13/5",
    "Hulta, 20/5",
    "Hässleholmen, 27/5–28/5",
    "Norrby, 26/8",
    "Sjöbo, 2/9",
    "Göta, 9/9",
    "Fristad, 20/5–21/5",
    "Sandared, 2/9",
    "Dalsjöfors, 17/9",
]
SAFETY_WALKS = ["Norrby, 3/10, 10/10, 24/10", "Hulta, 30/10", "Göta, 15/11"]
OTHER_EVENTS = ["Fristad, 19/11", "Hässleholmen, 9/12"]  # the stormöte and the citizen dialogue


@pytest.fixture(scope="module")
def demo_pdfs(django_db_setup, django_db_blocker):
    """Render the 2017 annual report and calendar of the demo; return them with what to expect."""
    with django_db_blocker.unblock(), transaction.atomic():
        load_boras()
        overview = budget_for_report(year=2017)
        expected = {
            "budget": None
            if overview is None
            else {
                "lines": [
                    (str(line.kind.name), line.group_count, line.amount_per_group, line.allocated)
                    for line in overview.kinds
                ],
                "pool": overview.pool_amount,
                "total": overview.total,
                "spent": overview.spent,
            },
            "groups": [
                (
                    group.kind.name,
                    group.name,
                    group.running_organisation.name if group.running_organisation else None,
                    sorted(d.name for d in group.districts.all()),
                )
                for group in NetworkGroup.objects.select_related("kind", "running_organisation")
            ],
            "grid": year_grid(year=2017, reach=Reach(everywhere="confidential")),
        }
        annual = report_build(kind=ReportKind.ANNUAL, year=2017)
        calendar = report_build(kind=ReportKind.CALENDAR, year=2017)
        transaction.set_rollback(True)
    return {
        "annual": annual,
        "calendar": calendar,
        "annual_text": pdf_text(annual),
        "calendar_text": pdf_text(calendar),
        **expected,
    }


def test_annual_report_has_the_budget_lines_and_total_of_section_3(demo_pdfs):
    """The budget table shows each kind's groups × amount and total, the pool and 400 000 kr."""
    budget = demo_pdfs["budget"]
    assert budget is not None, "the Borås demo has a budget for 2017"
    text = demo_pdfs["annual_text"]
    figures = {name: (count, per_group, total) for name, count, per_group, total in budget["lines"]}
    assert figures["Nätverk barn och unga 10–16 år"][2] == 90000
    for name, (count, per_group, total) in figures.items():
        line = normalise(f"{name} {count} grupper × {format_sek(per_group)}")
        assert line in text
        assert normalise(format_sek(total)) in text[text.index(line) :]
    assert normalise("Övriga medel Ansöks om särskilt") in text
    assert normalise(format_sek(budget["pool"])) == "140 000 kr"
    assert normalise(f"Totalt {format_sek(budget['total'])}") in text
    assert normalise(format_sek(budget["total"])) == "400 000 kr"
    # Spending stands beside the budget.
    assert normalise(format_sek(budget["spent"])) in text


def test_annual_report_lists_every_group_with_its_districts(demo_pdfs):
    """Each group is in its kind's table with all its districts (and its association)."""
    text = demo_pdfs["annual_text"]
    assert len(demo_pdfs["groups"]) == 20
    for kind, name, organisation, districts in demo_pdfs["groups"]:
        chapter = text[text.index(f"Grupperna inom {kind} och deras områden") :]
        prefix = f"”{organisation}” " if organisation else ""
        # The table sorts districts the Swedish way; compare as sets after the group's name.
        row_start = chapter.index(f"{name} {prefix}")
        row = chapter[row_start : row_start + 200]
        for district in districts:
            assert district in row, (name, district)
    assert "Boda Brämhult, Hulta, Hässleholmen" in text
    assert "Fristad ”Framtid Fristad” Borgstena, Bredared, Frufällan, Sparsör" in text


def test_annual_report_lists_the_activities_of_section_7(demo_pdfs):
    """Activity days, safety walks, the citizen dialogue and the stormöte, with dates and places."""
    text = demo_pdfs["annual_text"]
    activities = text[text.index("Lokala aktiviteter och evenemang Aktivitetsdagar") :]
    for line in ACTIVITY_DAYS + SAFETY_WALKS + OTHER_EVENTS:
        assert line in activities, line
    assert "Genom Områdesnätverk" in activities
    assert "Genom Ortsråd – landsbygdsutveckling" in activities


def test_annual_report_has_the_narrative_and_the_calendar_appendix(demo_pdfs):
    """The developer's text (§1, §4–6, §9) is there, and bilaga 2 closes the report."""
    text = demo_pdfs["annual_text"]
    assert "1. Inledning Arbetet med de lokala nätverksgrupperna" in text
    assert "Framtida utmaningar är att kvalitetssäkra arbetet" in text
    assert "Utvecklingsområden 2018" in text and "Kontinuitet och flexibilitet" in text
    appendix = text[text.index("Bilaga: Mötesdatum 2017") :]
    assert "Boda 26/1 16/3 12/4 18/5 9/6 5/9 6/10 6/11 8/12" in appendix
    assert "* Medborgardialoger, temadagar, konferenser etc." in appendix


def test_annual_report_compares_meetings_with_the_guideline(demo_pdfs):
    """Each group's held meetings per term stand against its kind's 3–4 (or 2–3) per term."""
    text = demo_pdfs["annual_text"]
    assert "Möten inom Nätverk barn och unga 10–16 år 2017, jämfört med riktlinjerna" in text
    assert "Riktlinje: 3–4 per termin" in text
    # Boda held 5 meetings in the spring and 4 in the autumn of bilaga 2: it met the guideline.
    assert "Boda 9 5 4 0 0" in text
    assert "uppfylld" in text and "färre möten" in text


def test_pdfs_show_no_meeting_notes_or_agendas(demo_pdfs):
    """Neither PDF shows notes (public, internal or restricted) nor agendas of meetings."""
    for text in (demo_pdfs["annual_text"], demo_pdfs["calendar_text"]):
        assert "välfärdsbokslutet för området" not in text  # a public note of Boda's
        assert "Heldag för strategiska gruppen" not in text  # an internal note
        assert "Gemensam träff för samtliga nio nätverksgrupper" not in text  # an agenda


def test_calendar_pdf_has_every_date_of_bilaga_2_in_its_row(demo_pdfs):
    """Row by row, in order, the calendar PDF has the grid's label, dates and activity days."""
    grid = demo_pdfs["grid"]
    reader = PdfReader(io.BytesIO(demo_pdfs["calendar"]))
    assert len(reader.pages) == 1
    assert reader.pages[0].mediabox.width > reader.pages[0].mediabox.height  # landscape
    text = demo_pdfs["calendar_text"]
    position = text.index(
        "Forum eller nätverk Jan Feb Mars April Maj Juni Juli Aug Sep Okt Nov Dec"
    )
    assert len(grid.rows) == 25
    for row in grid.rows:
        cells = [row.label, *row.months, row.safety_walks, row.activity_days]
        expected = normalise(" ".join(cell for cell in cells if cell))
        found = text.find(expected, position)
        assert found >= 0, f"row {row.label!r} should read {expected!r}"
        position = found + len(expected)
    # Two rows of bilaga 2 as printed in seed 000, not only as the grid computes them.
    assert "BRÅ 5/4 8/6 24/8* 19/9*, 26/9 23/11" in text
    assert "Norrby 3/4 3/5* 1/6 3/10 14/11* 4/12 3, 10, 24/10 26/8*" in text
    assert "* Medborgardialoger, temadagar, konferenser etc." in text


@pytest.mark.parametrize("which", ["annual", "calendar"])
def test_pdfs_are_pdf_a_in_swedish_with_metadata_and_embedded_fonts(demo_pdfs, which):
    """PDF/A-3a in the XMP metadata, lang sv, tagged, title and author, every font embedded."""
    reader = PdfReader(io.BytesIO(demo_pdfs[which]))
    xmp = reader.xmp_metadata.stream.get_data().decode()
    assert 'pdfaid:part="3"' in xmp and 'pdfaid:conformance="A"' in xmp
    catalog = reader.trailer["/Root"]
    assert catalog["/Lang"] == "sv"
    assert bool(catalog["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in catalog
    assert reader.metadata.author == "Borås Stad"
    assert reader.metadata.creation_date is not None
    title = "Redovisning av samarbetsuppdraget ”Lokalt inflytande” 2017"
    assert reader.metadata.title == (title if which == "annual" else "Mötesdatum 2017")
    fonts = []
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            for descendant in font.get("/DescendantFonts", [font]):
                fonts.append(descendant.get_object()["/FontDescriptor"])
    assert fonts and all("/FontFile2" in descriptor for descriptor in fonts)


def test_pdfs_number_their_pages_in_swedish(demo_pdfs):
    """Every page of the annual report says "Sida n av N" at the foot."""
    reader = PdfReader(io.BytesIO(demo_pdfs["annual"]))
    pages = len(reader.pages)
    assert pages > 5
    for number, page in enumerate(reader.pages, start=1):
        assert f"Sida {number} av {pages}" in normalise(page.extract_text())


def test_fetcher_serves_static_files_and_refuses_the_network():
    """The PDF renderer reads the project's static files and nothing from the internet."""
    fetcher = StaticFilesFetcher()
    css = fetcher.fetch("https://report.invalid/static/reports/pdf/report.css")
    assert b"@font-face" in css.read()
    for url in (
        "https://cdn.example.org/font.ttf",
        "http://report.invalid/static/reports/pdf/report.css",
        "file:///etc/passwd",
        "https://report.invalid/static/../../settings.py",
    ):
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    assert len(fetcher.refused) == 4
