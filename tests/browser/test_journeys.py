"""The three journeys, end to end in Chromium, every page checked on the way (see conftest.py)."""

import io
import os
import re
import uuid

import pytest
from django.db import connection
from django.utils import timezone
from pypdf import PdfReader

from budget.models import ExpenseCategory
from lokalsamverkan.celery import app as celery_app
from meetings.models import Meeting
from networks.models import GroupRole
from reports.models import JobStatus, ReportJob
from tests.text import sv, sv_plural
from tests.workers import Worker, WorkerDatabase, celery_broker, redis_problem, redis_url

from .conftest import PHONE, WIDE, focus_facts

pytestmark = pytest.mark.django_db(transaction=True)

# The resident lives in Brämhult and types it without "ä"; Boda's network for children and
# young people covers it.
TYPED_DISTRICT = "bramhult"
GROUP = "boda"
COVERS = ("%(counter)s network covers “%(query)s”", "%(counter)s networks cover “%(query)s”")


def any_filling(text: str) -> re.Pattern:
    """Return a pattern for the translated `text`, whatever fills its %(name)s placeholders."""
    return re.compile(".*".join(re.escape(part) for part in re.split(r"%\(\w+\)s", text)))


def public_contact_names(slug: str) -> list[str]:
    roles = GroupRole.objects.filter(group__slug=slug).public_contacts()
    return [role.person.name for role in roles]


def test_a_resident_finds_their_network_its_contact_and_its_calendar_feed(pages):
    """Typing "bramhult" finds Boda; its page names who to contact and offers the feed."""
    tab = pages("resident")
    page = tab.visit("/", "overview")
    tab.snap("overview")

    page.get_by_role("navigation", name=sv("Main menu")).get_by_role(
        "link", name=sv("Find your network")
    ).click()
    tab.check("search")
    tab.snap("search")

    page.get_by_label(sv("Your district or area")).fill(TYPED_DISTRICT)
    page.get_by_role("button", name=sv("Search")).click()
    page.wait_for_url(re.compile(r"\?q=bramhult"))
    tab.check("search results")
    # The sentence as it stands in the catalogue: sv_plural fills each placeholder with itself.
    covers = sv_plural(*COVERS, 1, counter="%(counter)s", query="%(query)s")
    results = page.get_by_role("region", name=any_filling(covers))
    assert "Brämhult" in results.inner_text()
    tab.snap("search-results")

    results.get_by_role("link", name="Boda", exact=True).click()
    page.wait_for_url(re.compile(r"/boda/$"))
    tab.check("group")
    assert page.get_by_role("heading", level=1).inner_text() == "Boda"
    contact = page.get_by_role("region", name=sv("Contact")).inner_text()
    names = public_contact_names(GROUP)
    assert names and all(name in contact for name in names)
    tab.snap("group")

    subscribe = page.get_by_role(
        "link", name=sv("Subscribe to the meetings of %(name)s", name="Boda")
    )
    assert subscribe.get_attribute("href").startswith("webcal://")
    calendar_file = "Download the meetings of %(name)s as a calendar file (.ics)"
    download = page.get_by_role("link", name=sv(calendar_file, name="Boda"))
    feed = tab.context.request.get(download.get_attribute("href"))
    assert feed.ok and feed.headers["content-type"].startswith("text/calendar")
    assert feed.text().startswith("BEGIN:VCALENDAR")
    tab.assert_clean()


def submit(page, button: str, expected_url: str):
    """Press a form's button and check where it leads; a form shown again says why."""
    with page.expect_navigation():
        page.get_by_role("button", name=button).click()
    errors = page.locator(".invalid-feedback, .alert-danger").all_inner_texts()
    assert re.search(expected_url, page.url), f"{page.url}: {errors}"


def choose_option(select, starts_with: str):
    """Choose the first option of a select whose text starts with `starts_with`."""
    labels = select.locator("option").all_inner_texts()
    select.select_option(label=next(label for label in labels if label.startswith(starts_with)))


def tab_to(page, matches, *, limit: int = 80) -> list[dict]:
    """Press Tab until `matches(focus)` holds; return every focus passed on the way."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        focus = focus_facts(page)
        seen.append(focus)
        if matches(focus):
            return seen
    raise AssertionError(f"Tab never reached the element; passed {[f['text'] for f in seen]}")


def without_visible_focus(seen: list[dict]) -> list[dict]:
    return [f for f in seen if not (f["onScreen"] and (f["outline"] or f["shadow"]))]


@pytest.mark.parametrize("viewport", ["wide", "phone"])
def test_a_resident_using_only_the_keyboard_finds_the_feed(pages, viewport):
    """Tab and Enter alone lead from the start page to the feed link, focus always visible."""
    tab = pages(f"keyboard-{viewport}", viewport=PHONE if viewport == "phone" else WIDE)
    page = tab.page
    page.goto("/")
    seen = tab_to(page, lambda f: f["href"].endswith("/lokalsamverkan/sok/"))
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/sok/$"))

    seen += tab_to(page, lambda f: f["tag"] == "input" and f["id"] == "id_q")
    page.keyboard.type(TYPED_DISTRICT)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"\?q=bramhult"))

    seen += tab_to(page, lambda f: f["tag"] == "a" and f["href"].endswith(f"/{GROUP}/"))
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"/{GROUP}/$"))

    seen += tab_to(page, lambda f: f["href"].startswith("webcal://"))
    assert sv("Subscribe to the meetings of %(name)s", name="Boda") in seen[-1]["text"]
    assert not without_visible_focus(seen), without_visible_focus(seen)


def test_a_coordinator_on_a_phone_logs_a_held_meeting_and_an_expense(pages):
    """At 375 px: log in, log today's meeting with notes, record an expense, see the meeting."""
    today = timezone.localdate()
    tab = pages("coordinator", viewport=PHONE)
    page = tab.visit("/konto/logga-in/", "login")
    tab.snap("login")
    page.get_by_label(sv("username")).fill("samordnare")
    page.get_by_label(sv("Password")).fill("demo")
    page.get_by_role("button", name=sv("Log in")).click()
    page.wait_for_url(re.compile(r"/mina-natverk/$"))
    tab.check("my networks")
    tab.snap("my-networks")

    page.get_by_role("link", name=sv("Log a held meeting"), exact=True).click()
    page.wait_for_url(re.compile(r"/moten/nytt/\?status=held$"))
    tab.check("log a held meeting")
    tab.snap("meeting-form")
    choose_option(page.get_by_label(sv("Whose meeting")), "Boda")
    page.get_by_label(sv("date")).fill(today.isoformat())
    page.get_by_label(sv("notes")).fill("Vi planerade sommarlovets aktiviteter.")
    submit(page, sv("Save"), r"/moten/\d+/$")
    tab.check("meeting")
    assert "Vi planerade sommarlovets aktiviteter." in page.get_by_role("main").inner_text()
    tab.snap("meeting")
    meeting = Meeting.objects.get(notes="Vi planerade sommarlovets aktiviteter.")
    assert meeting.status == "held" and meeting.date == today

    page.goto("/budget/utgifter/ny/")
    tab.check("new expense")
    tab.snap("expense-form")
    choose_option(page.get_by_label(sv("group")), "Boda")
    page.get_by_label(sv("date")).fill(today.isoformat())
    page.get_by_label(sv("Amount")).fill("1 450,50")
    page.get_by_label(str(ExpenseCategory.HOSTING.label)).check()
    page.get_by_label(sv("description")).fill("Fika till mötet")
    submit(page, sv("Save"), r"/budget/utgifter/(\?.*)?$")
    tab.check("expenses")
    assert "Fika till mötet" in page.get_by_role("main").inner_text()
    tab.snap("expenses")

    page.goto(f"/kalender/{today.year}/")
    tab.check("year grid")
    boda = page.get_by_role("row", name=re.compile("^Boda"))
    month_cell = boda.get_by_role("cell").nth(today.month - 1).inner_text()  # after the row header
    assert f"{today.day}/{today.month}" in month_cell
    tab.snap("year-grid")
    tab.assert_clean()


@pytest.fixture
def report_worker(demo_site, settings, tmp_path):
    """Run report jobs as the deployment would: a real worker when CI gives Redis and PostgreSQL.

    On SQLite (whose in-memory test database no other process can see) jobs run in-process,
    as they do without a broker.
    """
    broker = redis_url()
    if connection.vendor != "postgresql" or redis_problem(broker) or not _broker_configured():
        eager = celery_app.conf.task_always_eager
        celery_app.conf.task_always_eager = True
        yield None
        celery_app.conf.task_always_eager = eager
        return
    queue = f"browser-test-{uuid.uuid4().hex[:10]}"  # no message of another run can reach it
    worker = Worker(
        database=WorkerDatabase(tmp_path),
        broker=broker,
        queue=queue,
        media=settings.MEDIA_ROOT,
        log=tmp_path / "worker.log",
    )
    with celery_broker(broker, queue=queue):
        worker.start()
        yield worker
        worker.stop()


def _broker_configured() -> bool:
    return os.environ.get("CELERY_BROKER_URL", "").startswith(("redis://", "rediss://"))


def test_the_head_of_administration_downloads_the_annual_report(pages, report_worker):
    """Ask for the 2017 annual report, wait on the self-refreshing job page, get the PDF."""
    tab = pages("head-of-administration")
    page = tab.visit("/konto/logga-in/?next=/rapporter/", "login")
    page.get_by_label(sv("username")).fill("chef")
    page.get_by_label(sv("Password")).fill("demo")
    page.get_by_role("button", name=sv("Log in")).click()
    page.wait_for_url(re.compile(r"/rapporter/$"))
    page.get_by_label(sv("Year"), exact=True).select_option("2017")
    page.get_by_role("button", name=sv("Show")).click()
    page.wait_for_url(re.compile(r"\?ar=2017"))
    tab.check("reports")
    tab.snap("reports")

    page.get_by_role("button", name=sv("Create annual report %(year)s", year=2017)).click()
    page.wait_for_url(re.compile(r"/rapporter/\d+/$"))
    job = ReportJob.objects.latest("pk")
    download = page.get_by_role("link", name=any_filling(sv("Download %(name)s (PDF)")))
    # The page reloads itself (Refresh header) until the job is done: no clicking needed.
    download.wait_for(timeout=120_000)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    if report_worker:  # rendered by the worker process, not by the web server
        assert "reports.render" in report_worker.log.read_text(errors="replace")
    tab.check("report job")
    tab.snap("job-done")

    link = page.get_by_role("link", name=any_filling(sv("Download %(name)s (PDF)")))
    # What the link delivers, fetched with the browser's session (Chromium would show it inline).
    response = tab.context.request.get(link.get_attribute("href"))
    assert response.ok and response.headers["content-type"] == "application/pdf"
    pdf = response.body()
    assert pdf.startswith(b"%PDF-")
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    text = re.sub(r"[\s\u00a0\u202f]+", " ", text)
    assert sv("Annual report %(year)s", year=2017).lower() in text.lower()
    assert f"{sv('Total')} 400 000 kr" in text
    tab.assert_clean()
