"""`manage.py render_report` writes the same PDFs as the report jobs, for scripts and admins."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from pypdf import PdfReader

from meetings.models import MeetingStatus
from tests.factories.meetings import MeetingFactory
from tests.factories.networks import MunicipalityFactory, NetworkGroupFactory

from .conftest import pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def boda(db):
    MunicipalityFactory(name="Borås Stad")
    group = NetworkGroupFactory(name="Boda", kind__name="Nätverk barn och unga", kind__slug="bu")
    MeetingFactory(group=group, date=datetime.date(2017, 3, 16), status=MeetingStatus.HELD)
    MeetingFactory(group=group, date=datetime.date(2017, 10, 6), status=MeetingStatus.HELD)
    return group


def test_render_report_writes_the_annual_report_and_the_calendar(boda, tmp_path):
    """Both reports are written as PDF/A files with the year's content."""
    out = io.StringIO()
    call_command(
        "render_report", "annual", year=2017, output=str(tmp_path / "report.pdf"), stdout=out
    )
    call_command(
        "render_report", "calendar", year=2017, output=str(tmp_path / "calendar.pdf"), stdout=out
    )
    assert "report.pdf" in out.getvalue() and "calendar.pdf" in out.getvalue()
    annual = (tmp_path / "report.pdf").read_bytes()
    assert "Årsredovisning 2017 Lokal samverkan Nätverksgrupper: 1. Nätverkstyper: 1." in pdf_text(
        annual
    )
    assert "Boda 2 1 1 0 0" in pdf_text(annual)  # held, spring, autumn, planned, cancelled
    calendar = (tmp_path / "calendar.pdf").read_bytes()
    assert "Boda 16/3 6/10" in pdf_text(calendar)
    for pdf in (annual, calendar):
        assert PdfReader(io.BytesIO(pdf)).trailer["/Root"]["/Lang"] == "sv"


def test_render_report_narrows_the_calendar_to_one_kind(boda, tmp_path):
    """--kind gives the calendar of one kind of network only."""
    other = NetworkGroupFactory(name="Hulta")
    MeetingFactory(group=other, date=datetime.date(2017, 5, 15))
    path = tmp_path / "bu.pdf"
    call_command(
        "render_report",
        "calendar",
        year=2017,
        network_kind="bu",
        output=str(path),
        stdout=io.StringIO(),
    )
    text = pdf_text(path.read_bytes())
    assert "Mötesdatum 2017: Nätverk barn och unga" in text
    assert "Boda 16/3 6/10" in text and "Hulta" not in text


def test_render_report_says_what_is_wrong(boda, tmp_path):
    """An unknown kind, --kind for the annual report, or an absurd year stop with a message."""
    with pytest.raises(CommandError, match="No kind of network 'nope'. Available: bu"):
        call_command(
            "render_report",
            "calendar",
            year=2017,
            network_kind="nope",
            output=str(tmp_path / "x.pdf"),
        )
    with pytest.raises(CommandError, match="only for the calendar"):
        call_command(
            "render_report", "annual", year=2017, network_kind="bu", output=str(tmp_path / "x.pdf")
        )
    with pytest.raises(CommandError, match="from 2000 to 2100"):
        call_command("render_report", "annual", year=17, output=str(tmp_path / "x.pdf"))
    assert not (tmp_path / "x.pdf").exists()
