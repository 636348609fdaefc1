"""Restricted and internal texts never leave the pages meant for them.

A unique marker is planted in every text that is not public: notes (internal and restricted),
agendas and follow-up points, internal meetings and activities, the contact details of a person
who has not consented to be shown, and the budget's expenses and applications. Then every
public page, every calendar feed, both PDFs and the budget's CSV are read: no marker may be in
any of them. As a control, each marker is found where it belongs (e.g. on the coordinator's
meeting page), so the test would notice if the markers were never shown at all.
"""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from budget.models import ExpenseCategory
from meetings.models import MeetingStatus, Visibility
from networks.models import GroupRole
from networks.permissions import Role
from reports.build import report_build
from reports.models import ReportKind
from tests.factories.accounts import coordinator_of, user_with_role
from tests.factories.budget import (
    ApplicationFactory,
    BudgetYearFactory,
    ExpenseFactory,
    KindAllocationFactory,
)
from tests.factories.meetings import ActivityFactory, MeetingFactory
from tests.factories.networks import (
    DistrictFactory,
    GroupRoleFactory,
    MunicipalityFactory,
    NetworkGroupFactory,
    NetworkKindFactory,
    PersonFactory,
)
from tests.factories.news import NewsItemFactory
from tests.reports.conftest import pdf_text

pytestmark = pytest.mark.django_db

# Each marker names where it was planted; all share a prefix no real text has.
PREFIX = "QZXL"
MARKERS = {
    name: f"{PREFIX}{index:02d}"
    for index, name in enumerate(
        [
            "restricted notes",
            "restricted agenda",
            "restricted follow-up",
            "internal notes",
            "internal agenda",
            "internal follow-up",
            "internal meeting place",
            "internal meeting notes",
            "internal joint meeting place",
            "internal activity name",
            "internal activity area",
            "internal activity description",
            "non-consenting name",
            "non-consenting phone",
            "non-consenting e-mail",
            "non-consenting title",
            "member name",
            "expense description",
            "application purpose",
            "past restricted notes",
            "network news title",
            "network news text",
            "confidential news text",
            "restricted news text",
            "network kind news text",
            "confidential portal news text",
            "scheduled public news text",
        ]
    )
}


def unfold(ical: str) -> str:
    """Undo the line folding of iCalendar (RFC 5545 §3.1), which may split a marker."""
    return ical.replace("\r\n ", "").replace("\n ", "")


def leaked(text: str) -> list[str]:
    """Return the names of the markers found in `text`."""
    found = set(re.findall(rf"{PREFIX}\d\d", text, flags=re.IGNORECASE))
    return sorted(
        name for name, marker in MARKERS.items() if marker.lower() in map(str.lower, found)
    )


@pytest.fixture
def world():
    """A group with public, internal and restricted things, each carrying its marker."""
    m = MARKERS
    today = timezone.localdate()
    soon = today + datetime.timedelta(days=3)
    MunicipalityFactory()
    kind = NetworkKindFactory(name="Nätverk barn och unga", slug="barn-och-unga")
    group = NetworkGroupFactory(
        kind=kind, name="Grupp A", slug="grupp-a", districts=[DistrictFactory(name="Hulta")]
    )
    coordinator = coordinator_of(group, username="samordnare_a")
    coordinator.person.name = "Synlig Samordnare"
    coordinator.person.save()
    GroupRoleFactory(
        group=group,
        role=GroupRole.Role.CONTACT_PERSON,
        person=PersonFactory(
            name=f"Dold {m['non-consenting name']}",
            title=m["non-consenting title"],
            phone=f"070 {m['non-consenting phone']}",
            email=f"{m['non-consenting e-mail']}@example.org",
            public_consent=False,
        ),
    )
    GroupRoleFactory(
        group=group,
        role=GroupRole.Role.MEMBER,
        person=PersonFactory(name=f"Medlem {m['member name']}", public_consent=True),
    )
    restricted = MeetingFactory(
        group=group,
        date=soon,
        place="Fritidsgården",
        agenda=m["restricted agenda"],
        notes=m["restricted notes"],
        follow_up=m["restricted follow-up"],
        notes_visibility=Visibility.RESTRICTED,
    )
    past = MeetingFactory(
        group=group,
        date=today - datetime.timedelta(days=2),
        status=MeetingStatus.HELD,
        notes=m["past restricted notes"],
        notes_visibility=Visibility.RESTRICTED,
    )
    internal_notes = MeetingFactory(
        group=group,
        date=soon,
        agenda=m["internal agenda"],
        notes=m["internal notes"],
        follow_up=m["internal follow-up"],
        notes_visibility=Visibility.CONFIDENTIAL,
    )
    internal = MeetingFactory(
        group=group,
        date=soon,
        visibility="confidential",
        place=m["internal meeting place"],
        notes=m["internal meeting notes"],
        notes_visibility=Visibility.PUBLIC,
    )
    MeetingFactory(
        group=None,
        kind=kind,
        date=soon,
        visibility="confidential",
        place=m["internal joint meeting place"],
    )
    ActivityFactory(group=group, start_date=soon, name="Aktivitetsdag i Hulta")
    ActivityFactory(
        group=group,
        start_date=soon,
        visibility="confidential",
        name=m["internal activity name"],
        area=m["internal activity area"],
        description=m["internal activity description"],
    )
    budget_year = BudgetYearFactory(year=today.year)
    KindAllocationFactory(budget_year=budget_year, kind=kind)
    ExpenseFactory(
        budget_year=budget_year,
        group=group,
        date=today,
        category=ExpenseCategory.MATERIAL,
        description=m["expense description"],
    )
    ApplicationFactory(budget_year=budget_year, group=group, purpose=m["application purpose"])
    NewsItemFactory(group=group, title="Offentlig nyhet om sommarlovet")
    NewsItemFactory(
        group=group,
        title=f"Nyhet {m['network news title']}",
        body=m["network news text"],
        visibility=Visibility.NETWORK,
    )
    for tier in (Visibility.CONFIDENTIAL, Visibility.RESTRICTED):
        NewsItemFactory(group=group, body=m[f"{tier} news text"], visibility=tier)
    NewsItemFactory(
        group=None, kind=kind, body=m["network kind news text"], visibility=Visibility.NETWORK
    )
    NewsItemFactory(
        group=None, body=m["confidential portal news text"], visibility=Visibility.CONFIDENTIAL
    )
    NewsItemFactory(
        group=group,
        body=m["scheduled public news text"],
        published_at=timezone.now() + datetime.timedelta(days=1),
    )
    return {
        "today": today,
        "kind": kind,
        "group": group,
        "coordinator": coordinator,
        "meetings": [restricted, past, internal_notes],
        "restricted": restricted,
        "internal": internal,
        "internal_notes": internal_notes,
    }


def public_outputs(client, world):
    """Return {what: text} for every public page, feed and file, read as a visitor."""
    today, kind, group = world["today"], world["kind"], world["group"]
    slugs = {"kind_slug": kind.slug, "group_slug": group.slug}
    pages = {
        "overview": reverse("portal:overview"),
        "kind page": reverse("portal:kind_detail", kwargs={"kind_slug": kind.slug}),
        "group page": reverse("portal:group_detail", kwargs=slugs),
        "search by district": reverse("portal:search") + "?q=hulta",
        "search by group": reverse("portal:search") + "?q=grupp",
        "meeting list": reverse("meetings:meeting_list") + "?year=",
        "activity list": reverse("meetings:activity_list") + "?year=",
        "calendar month": reverse(
            "portal:calendar_month", kwargs={"year": today.year, "month": today.month}
        ),
        "calendar year": reverse("portal:year_grid", kwargs={"year": today.year}),
        "published reports": reverse("portal:published_list"),
        "accessibility statement": reverse("portal:accessibility"),
        "group news page": reverse("portal:group_news", kwargs=slugs),
        "news list": reverse("news:news_list") + "?year=",
        **{
            f"meeting page {meeting.pk}": meeting.get_absolute_url()
            for meeting in world["meetings"]
        },
    }
    feeds = {
        "feed of everything": reverse("portal:feed_all"),
        "feed of the kind": reverse("portal:feed_kind", kwargs={"kind_slug": kind.slug}),
        "feed of the group": reverse("portal:feed_group", kwargs=slugs),
        "news feed of the group": reverse("portal:news_feed_group", kwargs=slugs),
        "news feed of everything": reverse("portal:news_feed_all"),
    }
    texts = {}
    for what, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, f"{what}: {response.status_code}"
        texts[what] = response.content.decode()
    for what, url in feeds.items():
        response = client.get(url)
        assert response.status_code == 200, f"{what}: {response.status_code}"
        texts[what] = unfold(response.content.decode())
    return texts


def test_no_marker_reaches_a_public_page_or_feed(client, world):
    """Public pages, search results and feeds show none of the planted texts."""
    texts = public_outputs(client, world)
    leaks = {what: leaked(text) for what, text in texts.items() if leaked(text)}
    assert not leaks, f"Not public texts on public pages: {leaks}"
    # Control: the pages show the group, its public meetings and the consenting contact.
    assert "Synlig Samordnare" in texts["group page"]
    assert "Fritidsgården" in texts["group page"]
    assert "Grupp A" in texts["search by district"]
    assert "Fritidsgården" in texts["feed of the group"]
    assert "Aktivitetsdag i Hulta" in texts["activity list"]
    assert "Offentlig nyhet om sommarlovet" in texts["group page"]
    assert "Offentlig nyhet om sommarlovet" in texts["news feed of the group"]


def test_staff_see_what_is_theirs_and_no_more(client, world):
    """Each marker shows where it belongs; restricted notes not even to other staff."""
    m = MARKERS
    restricted_url = world["restricted"].get_absolute_url()
    client.force_login(world["coordinator"])
    page = client.get(restricted_url).content.decode()
    for name in ("restricted notes", "restricted agenda", "restricted follow-up"):
        assert m[name] in page, f"the coordinator does not see the {name}"
    page = client.get(world["internal"].get_absolute_url()).content.decode()
    assert m["internal meeting place"] in page
    expenses = client.get(reverse("budget:expense_list") + "?year=").content.decode()
    assert m["expense description"] in expenses
    activities = client.get(reverse("meetings:activity_list") + "?year=").content.decode()
    assert m["internal activity name"] in activities
    news = client.get(reverse("news:news_list") + "?year=").content.decode()
    assert m["network news title"] in news

    client.force_login(user_with_role(Role.HEAD_OF_ADMINISTRATION))
    page = client.get(world["internal_notes"].get_absolute_url()).content.decode()
    assert m["internal notes"] in page
    page = client.get(restricted_url).content.decode()
    assert leaked(page) == [], "the head of administration reads restricted notes"


@pytest.mark.parametrize("kind", [ReportKind.ANNUAL, ReportKind.CALENDAR])
def test_no_marker_reaches_a_pdf(world, kind):
    """The annual report (a public record) and the calendar PDF carry none of the texts."""
    text = pdf_text(report_build(kind=kind, year=world["today"].year))
    assert "Grupp A" in text  # control: the PDF's text is read
    assert leaked(text) == [], f"Not public texts in the {kind} PDF"


def test_no_marker_reaches_the_budget_csv(client, world):
    """The budget CSV has figures per group, no descriptions of expenses or applications."""
    client.force_login(world["coordinator"])
    response = client.get(reverse("budget:overview_csv", kwargs={"year": world["today"].year}))
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    assert "Grupp A" in text
    assert leaked(text) == []
