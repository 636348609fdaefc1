"""Each secrecy tier reaches exactly those it is meant for, on every page, feed and file.

A marker is planted at each tier (network, confidential, restricted) in each kind of record
that has one: a group's meeting, a public meeting's notes, an activity, a joint meeting of the
kind, a meeting of a forum, a group's and a kind's news, a group's and a forum's document.
Then, for each role, every page, feed and file that role can open is read, and the markers
found must be exactly those the tiers let through: none more (a leak) and none fewer (the
control: the page would show them if it may).
"""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.models import MeetingStatus, Visibility
from networks.models import Forum, Organisation
from networks.permissions import Role
from reports.build import report_build
from reports.models import ReportKind
from tests.factories.accounts import coordinator_of, member_of, user_with_role
from tests.factories.budget import BudgetYearFactory, KindAllocationFactory
from tests.factories.documents import DocumentFactory
from tests.factories.meetings import ActivityFactory, MeetingFactory
from tests.factories.networks import (
    MunicipalityFactory,
    NetworkGroupFactory,
    NetworkKindFactory,
    OrganisationFactory,
)
from tests.factories.news import NewsItemFactory
from tests.reports.conftest import pdf_text

pytestmark = pytest.mark.django_db

TIERS = (Visibility.NETWORK, Visibility.CONFIDENTIAL, Visibility.RESTRICTED)
RECORDS = (
    "meeting",
    "notes",
    "activity",
    "joint meeting",
    "forum meeting",
    "news",
    "kind news",
    "document",
    "forum document",
)
# Which owner each kind of record has: its tier is read against the role's reach there.
OWNER = {
    "meeting": "group",
    "notes": "group",
    "activity": "group",
    "joint meeting": "kind",
    "forum meeting": "forum",
    "news": "group",
    "kind news": "kind",
    "document": "group",
    "forum document": "forum",
}
MARKERS = {
    (record, tier): f"TQZ{index:02d}"
    for index, (record, tier) in enumerate((record, tier) for record in RECORDS for tier in TIERS)
}
P, N, C, R = (Visibility.PUBLIC, *TIERS)
# What each role reaches for group A, for its kind and for the forum.
REACH = {
    "anonymous": (P, P, P),
    "association member of A (in the forum)": (N, N, N),
    "municipal member of A (in the forum)": (C, C, C),
    "association coordinator of A": (N, N, P),
    "municipal coordinator of A": (R, C, P),
    "coordinator of B (same kind)": (P, C, P),
    "head of administration": (C, C, C),
    "network developer": (R, R, R),
}


def found_markers(text: str) -> set:
    codes = set(re.findall(r"TQZ\d\d", text))
    return {key for key, marker in MARKERS.items() if marker in codes}


@pytest.fixture
def world():
    """Group A with a record at each tier, a joint meeting of its kind and a forum's meeting
    at each tier, and a user in each role."""
    MunicipalityFactory()
    today = timezone.localdate()
    soon = today + datetime.timedelta(days=3)
    kind = NetworkKindFactory(name="Nätverk barn och unga", slug="barn-och-unga")
    group_a = NetworkGroupFactory(kind=kind, name="Grupp A", slug="grupp-a")
    group_b = NetworkGroupFactory(kind=kind, name="Grupp B", slug="grupp-b")
    forum = Forum.objects.create(name="Brottsförebyggande rådet", slug="bra")
    association = OrganisationFactory(type=Organisation.Type.CIVIL_SOCIETY)
    users = {
        "anonymous": None,
        "association member of A (in the forum)": member_of(
            group_a, username="forening_medlem", organisation=association
        ),
        "municipal member of A (in the forum)": member_of(group_a, username="kommun_medlem"),
        "association coordinator of A": coordinator_of(
            group_a, username="forening_samordnare", person__organisation=association
        ),
        "municipal coordinator of A": coordinator_of(group_a, username="samordnare_a"),
        "coordinator of B (same kind)": coordinator_of(group_b, username="samordnare_b"),
        "head of administration": user_with_role(Role.HEAD_OF_ADMINISTRATION),
        "network developer": user_with_role(Role.NETWORK_DEVELOPER),
    }
    forum.members.add(
        users["association member of A (in the forum)"].person,
        users["municipal member of A (in the forum)"].person,
    )
    meetings, news, documents = [], [], []
    for tier in TIERS:
        m = {record: MARKERS[(record, tier)] for record in RECORDS}
        meetings += [
            MeetingFactory(group=group_a, date=soon, visibility=tier, place=m["meeting"]),
            MeetingFactory(
                group=group_a,
                date=today - datetime.timedelta(days=1),
                status=MeetingStatus.HELD,
                notes=m["notes"],
                notes_visibility=tier,
            ),
            MeetingFactory(
                group=None, kind=kind, date=soon, visibility=tier, place=m["joint meeting"]
            ),
            MeetingFactory(
                group=None, forum=forum, date=soon, visibility=tier, place=m["forum meeting"]
            ),
        ]
        ActivityFactory(group=group_a, start_date=soon, visibility=tier, name=m["activity"])
        news += [
            NewsItemFactory(group=group_a, visibility=tier, title=m["news"]),
            NewsItemFactory(group=None, kind=kind, visibility=tier, title=m["kind news"]),
        ]
        documents += [
            DocumentFactory(group=group_a, visibility=tier, title=m["document"]),
            DocumentFactory(group=None, forum=forum, visibility=tier, title=m["forum document"]),
        ]
    budget_year = BudgetYearFactory(year=today.year)
    KindAllocationFactory(budget_year=budget_year, kind=kind)
    return {
        "today": today,
        "kind": kind,
        "group": group_a,
        "forum": forum,
        "users": users,
        "meetings": meetings,
        "news": news,
        "documents": documents,
    }


def every_output(client, world) -> dict:
    """Return {what: text} for every page and feed, as the logged-in client sees them."""
    today, kind, group = world["today"], world["kind"], world["group"]
    slugs = {"kind_slug": kind.slug, "group_slug": group.slug}
    urls = {
        "overview": reverse("portal:overview"),
        "kind page": reverse("portal:kind_detail", kwargs={"kind_slug": kind.slug}),
        "group page": reverse("portal:group_detail", kwargs=slugs),
        "my networks": reverse("meetings:my_networks"),
        "meeting list": reverse("meetings:meeting_list") + "?year=",
        "activity list": reverse("meetings:activity_list") + "?year=",
        "calendar month": reverse(
            "portal:calendar_month", kwargs={"year": today.year, "month": soon_month(today)}
        ),
        "calendar year": reverse("portal:year_grid", kwargs={"year": today.year}),
        "budget": reverse("budget:overview", kwargs={"year": today.year}),
        "feed of everything": reverse("portal:feed_all"),
        "feed of the kind": reverse("portal:feed_kind", kwargs={"kind_slug": kind.slug}),
        "feed of the group": reverse("portal:feed_group", kwargs=slugs),
        "news list": reverse("news:news_list"),
        "group news": reverse("portal:group_news", kwargs=slugs),
        "news feed of the group": reverse("portal:news_feed_group", kwargs=slugs),
        "news feed of everything": reverse("portal:news_feed_all"),
        "group documents": reverse(
            "documents:document_list", kwargs={"owner": "grupp", "pk": group.pk}
        ),
        "forum documents": reverse(
            "documents:document_list", kwargs={"owner": "forum", "pk": world["forum"].pk}
        ),
        **{f"meeting {meeting.pk}": meeting.get_absolute_url() for meeting in world["meetings"]},
        **{f"news {item.pk}": item.get_absolute_url() for item in world["news"]},
        **{f"document {doc.pk}": doc.get_absolute_url() for doc in world["documents"]},
    }
    texts = {}
    for what, url in urls.items():
        response = client.get(url)
        assert response.status_code in (200, 302, 403, 404), f"{what}: {response.status_code}"
        texts[what] = response.content.decode().replace("\r\n ", "")
    return texts


def soon_month(today):
    return (today + datetime.timedelta(days=3)).month


@pytest.mark.parametrize("role", list(REACH))
def test_each_role_reads_exactly_the_tiers_it_reaches(client, world, role):
    """Every page and feed together show a role exactly the markers its tiers let through."""
    user = world["users"][role]
    if user is not None:
        client.force_login(user)
    group_tier, kind_tier, forum_tier = REACH[role]
    reached = {"group": group_tier, "kind": kind_tier, "forum": forum_tier}
    expected = {
        (record, tier)
        for record in RECORDS
        for tier in TIERS
        if tier.rank <= reached[OWNER[record]].rank
    }
    texts = every_output(client, world)
    found = set().union(*(found_markers(text) for text in texts.values()))
    leaks = {
        what: sorted(found_markers(text) - expected)
        for what, text in texts.items()
        if found_markers(text) - expected
    }
    assert not leaks, f"{role} reads what their tier does not reach: {leaks}"
    assert found == expected, f"{role} does not see what they may: {sorted(expected - found)}"


@pytest.mark.parametrize("kind", [ReportKind.ANNUAL, ReportKind.CALENDAR])
def test_no_tier_marker_reaches_a_pdf(world, kind):
    """The PDFs (the annual report is a public record) carry no text of any tier."""
    text = pdf_text(report_build(kind=kind, year=world["today"].year))
    assert "Grupp A" in text  # control: the PDF's text is read
    assert found_markers(text) == set()
