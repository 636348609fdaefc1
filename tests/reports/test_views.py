"""The report pages: who may make, follow, download and publish reports, and write their text."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.urls import reverse

from networks.permissions import Role
from reports import jobs
from reports.build import report_html
from reports.jobs import report_publish, report_render
from reports.models import AnnualReportText, JobStatus, KindReportText, ReportJob, ReportKind
from reports.narrative import annual_report_text_save
from tests.factories.accounts import coordinator_of, user_with_role
from tests.factories.meetings import MeetingFactory
from tests.factories.networks import NetworkGroupFactory, NetworkKindFactory
from tests.text import sv

from .conftest import celery_broker

pytestmark = pytest.mark.django_db

FAKE_PDF = b"%PDF-1.7 a report"


@pytest.fixture
def fake_pdf(monkeypatch):
    """Render instantly: these tests are about the pages, test_pdf.py reads real PDFs."""
    monkeypatch.setattr(jobs, "report_build", lambda **kwargs: FAKE_PDF)


@pytest.fixture
def year_2017(db):
    group = NetworkGroupFactory(name="Boda")
    MeetingFactory(group=group, date=datetime.date(2017, 3, 16))
    return group


def client_for(client, user):
    client.force_login(user)
    return client


def done_job(kind=ReportKind.ANNUAL, published=False):
    job = ReportJob.objects.create(kind=kind, year=2017, status=JobStatus.RUNNING)
    job = report_render(job=job)
    if published:
        report_publish(job=job, published=True)
    return job


def h1_count(response):
    return len(re.findall(r"<h1[ >]", response.content.decode()))


@pytest.mark.parametrize("role", [Role.HEAD_OF_ADMINISTRATION, Role.NETWORK_DEVELOPER])
def test_report_staff_create_a_report_and_download_it(
    client, role, year_2017, fake_pdf, django_capture_on_commit_callbacks
):
    """The head of administration and the network developer click, follow and download."""
    client_for(client, user_with_role(role))
    page = client.get(reverse("reports:report_list"))
    assert page.status_code == 200 and h1_count(page) == 1
    assert "Skapa årsredovisning 2017" in page.content.decode()
    assert "Skapa mötesschema 2017" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:report_create"), {"kind": "annual", "year": 2017})
    job = ReportJob.objects.get()
    assert response.status_code == 302 and response.url == job.get_absolute_url()
    detail = client.get(job.get_absolute_url())
    assert "Status: klar" in detail.content.decode()
    assert "Refresh" not in detail
    download = client.get(reverse("reports:job_download", args=[job.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert "arsredovisning-2017.pdf" in download["Content-Disposition"]
    assert b"".join(download.streaming_content) == FAKE_PDF


def test_a_calendar_for_one_kind_can_be_asked_for(client, year_2017, fake_pdf):
    """The calendar form takes a kind of network; the job remembers it."""
    client_for(client, user_with_role(Role.HEAD_OF_ADMINISTRATION))
    kind = year_2017.kind
    response = client.post(
        reverse("reports:report_create"),
        {"kind": "calendar", "year": 2017, "network_kind": kind.slug},
    )
    job = ReportJob.objects.get()
    assert response.status_code == 302 and response.url == job.get_absolute_url()
    assert (job.kind, job.network_kind) == (ReportKind.CALENDAR, kind)


def test_a_waiting_job_page_reloads_itself_until_told_not_to(client):
    """While queued the page refreshes itself (no JavaScript); a link stops that."""
    client_for(client, user_with_role(Role.HEAD_OF_ADMINISTRATION))
    job = ReportJob.objects.create(kind=ReportKind.ANNUAL, year=2017)
    page = client.get(job.get_absolute_url())
    assert page["Refresh"] == "5"
    content = page.content.decode()
    assert "Status: i kö" in content and "Sluta uppdatera sidan" in content
    still = client.get(job.get_absolute_url() + "?uppdatera=nej")
    assert "Refresh" not in still
    assert "Uppdatera sidan för att se om rapporten är klar" in still.content.decode()


def test_a_failed_job_shows_why_and_can_be_retried(
    client, fake_pdf, django_capture_on_commit_callbacks
):
    """A failed job shows its message and a retry button that makes it again."""
    client_for(client, user_with_role(Role.NETWORK_DEVELOPER))
    job = ReportJob.objects.create(
        kind=ReportKind.ANNUAL,
        year=2017,
        status=JobStatus.FAILED,
        error_message="Rapporten kunde inte skapas på grund av ett tillfälligt fel.",
    )
    page = client.get(job.get_absolute_url()).content.decode()
    assert "Status: misslyckades" in page
    assert "ett tillfälligt fel" in page and sv("Try again") in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:job_retry", args=[job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == JobStatus.DONE


# Committed for real, as in production: the job is handed to the broker inside the request.
@pytest.mark.django_db(transaction=True)
def test_a_broker_that_is_down_gives_a_swedish_message_not_a_server_error(client):
    """Redis down when a report is asked for: the user is told so, in Swedish."""
    client_for(client, user_with_role(Role.HEAD_OF_ADMINISTRATION))
    with celery_broker("redis://127.0.0.1:1/0"):
        response = client.post(
            reverse("reports:report_create"), {"kind": "annual", "year": 2017}, follow=True
        )
    assert response.status_code == 200
    content = response.content.decode()
    assert (
        sv(
            "The report service cannot be reached right now, so the report was not started. "
            "Try again in a while; if it keeps failing, contact the system administrator."
        )
        in content
    )
    assert sv("Try again") in content


def test_coordinators_and_the_public_cannot_make_reports(client, year_2017):
    """A coordinator gets a 403 with a reason; an anonymous visitor is sent to log in."""
    response = client.get(reverse("reports:report_list"))
    assert response.status_code == 302 and reverse("login") in response.url
    response = client.post(reverse("reports:report_create"), {"kind": "annual", "year": 2017})
    assert response.status_code == 302
    client_for(client, coordinator_of(year_2017))
    response = client.get(reverse("reports:report_list"))
    assert response.status_code == 403
    assert (
        sv(
            "Reports are made by the head of administration and the network developer. "
            "Published annual reports are on the page of published reports."
        )
        in response.content.decode()
    )
    response = client.post(reverse("reports:report_create"), {"kind": "annual", "year": 2017})
    assert response.status_code == 403
    assert not ReportJob.objects.exists()


def test_unpublished_reports_are_for_report_staff_only(client, year_2017, fake_pdf):
    """Neither a coordinator nor the public can open or download an unpublished report."""
    job = done_job()
    download = reverse("reports:job_download", args=[job.pk])
    response = client.get(download)
    assert response.status_code == 302 and reverse("login") in response.url
    client_for(client, coordinator_of(year_2017))
    assert client.get(download).status_code == 403
    assert client.get(job.get_absolute_url()).status_code == 403
    assert (
        client.post(reverse("reports:job_publish", args=[job.pk]), {"publicera": "ja"}).status_code
        == 403
    )
    job.refresh_from_db()
    assert not job.is_published


def test_a_published_annual_report_is_a_public_download(client, fake_pdf):
    """Published by the head of administration, the report is listed and downloadable publicly."""
    job = done_job()
    staff = client_for(client, user_with_role(Role.HEAD_OF_ADMINISTRATION))
    page = staff.get(job.get_absolute_url()).content.decode()
    assert "Publicera årsredovisningen" in page
    staff.post(reverse("reports:job_publish", args=[job.pk]), {"publicera": "ja"})
    staff.logout()
    listing = client.get(reverse("portal:published_list"))
    assert listing.status_code == 200 and h1_count(listing) == 1
    download = reverse("reports:job_download", args=[job.pk])
    assert download in listing.content.decode()
    response = client.get(download)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == FAKE_PDF


def test_a_calendar_is_never_public(client, fake_pdf):
    """Only the annual report can be published; the calendar stays with staff."""
    job = done_job(kind=ReportKind.CALENDAR)
    staff = client_for(client, user_with_role(Role.HEAD_OF_ADMINISTRATION))
    staff.post(reverse("reports:job_publish", args=[job.pk]), {"publicera": "ja"})
    job.refresh_from_db()
    assert not job.is_published
    staff.logout()
    assert client.get(reverse("reports:job_download", args=[job.pk])).status_code == 302


def test_the_admin_lets_publish_whom_the_report_pages_let(client, fake_pdf):
    """The admin's publish actions ask the permissions module, as the report page does: the head
    of administration publishes there too; a staff account with only Django's permissions on
    report jobs is not offered them and publishes nothing."""
    job = done_job()
    url = reverse("admin:reports_reportjob_changelist")
    publish = {"action": "publish", "_selected_action": [job.pk]}
    clerk = get_user_model().objects.create_user("clerk", password="pw", is_staff=True)
    clerk.user_permissions.set(
        Permission.objects.filter(codename__in=["view_reportjob", "change_reportjob"])
    )
    client_for(client, clerk)
    assert "publish" not in offered_actions(client.get(url))
    client.post(url, publish)
    job.refresh_from_db()
    assert not job.is_published

    client_for(client, user_with_role(Role.HEAD_OF_ADMINISTRATION))
    assert "publish" in offered_actions(client.get(url))
    client.post(url, publish)
    job.refresh_from_db()
    assert job.is_published


def offered_actions(response) -> list[str]:
    """Return the names of the actions an admin list offers (none: no action form)."""
    form = response.context["action_form"]
    return [name for name, _label in form.fields["action"].choices] if form else []


def test_the_network_developer_writes_the_narrative(client):
    """The developer's text form saves the narrative per year and per kind."""
    kind = NetworkKindFactory(name="Områdesnätverk")
    client_for(client, user_with_role(Role.NETWORK_DEVELOPER))
    url = reverse("reports:text_edit", kwargs={"year": 2017})
    form = client.get(url)
    assert form.status_code == 200 and h1_count(form) == 1
    assert "Områdesnätverk: årets erfarenheter" in form.content.decode()
    response = client.post(
        url,
        {
            "title": "Redovisning av samarbetsuppdraget",
            "introduction": "Arbetet startade 2016.\n\n- första punkten\n- andra punkten",
            "organisation": "",
            "development_areas": "## Kommunikation\nEn ny plan.",
            "signatures": "2018-01-15",
            f"kind_{kind.pk}_experiences": "Alla sju nätverk har varit igång.",
            f"kind_{kind.pk}_challenges": "Områdesutveckling.",
        },
    )
    assert response.status_code == 302
    text = AnnualReportText.objects.get(year=2017)
    assert text.introduction.startswith("Arbetet startade 2016.")
    assert KindReportText.objects.get(report=text, kind=kind).challenges == "Områdesutveckling."
    html = report_html(kind=ReportKind.ANNUAL, year=2017)
    assert "<ul><li>första punkten</li><li>andra punkten</li></ul>" in html
    assert "<h3>Kommunikation</h3>" in html
    assert "Alla sju nätverk har varit igång." in html


def test_the_head_of_administration_cannot_change_the_narrative(client):
    """Writing the text is the network developer's: the head of administration's post is refused."""
    annual_report_text_save(year=2017, introduction="Skriven av verksamhetsutvecklaren.")
    client_for(client, user_with_role(Role.HEAD_OF_ADMINISTRATION))
    url = reverse("reports:text_edit", kwargs={"year": 2017})
    assert client.get(url).status_code == 403
    response = client.post(
        url, {"title": "Chefens rubrik", "introduction": "Chefens inledning.", "signatures": ""}
    )
    assert response.status_code == 403
    assert (
        sv("The text of the annual report is written by the network developer.")
        in response.content.decode()
    )
    text = AnnualReportText.objects.get(year=2017)
    assert (text.title, text.introduction) == ("", "Skriven av verksamhetsutvecklaren.")


def test_the_narrative_cannot_inject_markup_into_the_report(db):
    """Whatever the text contains is escaped: no HTML, link or script reaches the PDF."""
    annual_report_text_save(
        year=2017,
        introduction='<script>alert(1)</script> <a href="https://example.org">x</a>',
        development_areas="- <img src=https://example.org/x.png>",
    )
    html = report_html(kind=ReportKind.ANNUAL, year=2017)
    assert "<script>alert(1)" not in html and "&lt;script&gt;" in html
    assert '<a href="https://example.org">' not in html
    assert "<img src=https://example.org" not in html


def test_the_report_renders_without_a_budget_section_when_there_is_none(db, monkeypatch):
    """No budget year, or a budget overview that cannot be computed: the report still renders."""
    from budget.models import BudgetYear
    from reports import selectors

    html = report_html(kind=ReportKind.ANNUAL, year=2017)
    assert "Det finns ingen budget för 2017 i portalen." in html
    BudgetYear.objects.create(year=2017)

    def not_ready(**kwargs):
        raise NotImplementedError

    monkeypatch.setattr(selectors, "budget_overview", not_ready)
    html = report_html(kind=ReportKind.ANNUAL, year=2017)
    assert "Det finns ingen budget för 2017 i portalen." in html
