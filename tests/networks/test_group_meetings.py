"""Upcoming meetings and calendar feed links on the public group, kind and overview pages."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst

from meetings.models import MeetingStatus, MeetingType, Visibility
from tests.factories.meetings import MeetingFactory
from tests.factories.networks import MunicipalityFactory, NetworkGroupFactory, NetworkKindFactory
from tests.text import sv

pytestmark = pytest.mark.django_db

WEEKDAYS = ["måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag"]
MONTHS = [
    "januari", "februari", "mars", "april", "maj", "juni",
    "juli", "augusti", "september", "oktober", "november", "december",
]  # fmt: skip
SECRET = "HEMLIGMARKOR"


def swedish_date(day):
    return f"{WEEKDAYS[day.weekday()].capitalize()} {day.day} {MONTHS[day.month - 1]} {day.year}"


def days_ahead(days):
    return timezone.localdate() + datetime.timedelta(days=days)


def text_of(response):
    assert response.status_code == 200
    # The words a reader sees: tags removed, white space collapsed.
    return " ".join(re.sub(r"<[^>]+>", "", response.content.decode()).split())


@pytest.fixture
def boda():
    MunicipalityFactory()
    kind = NetworkKindFactory(name="Nätverk barn och unga 10–16 år", slug="barn-och-unga")
    return NetworkGroupFactory(kind=kind, name="Boda", slug="boda")


def test_group_page_lists_upcoming_meetings_with_swedish_date_time_and_place(client, boda):
    """Each upcoming meeting shows its Swedish date, its time as 15.00–17.00 and its place."""
    day = days_ahead(20)
    MeetingFactory(group=boda, date=day, place="Bodaskolan, aulan")
    text = text_of(client.get(boda.get_absolute_url()))
    assert f"{swedish_date(day)} 15.00–17.00, Bodaskolan, aulan" in text
    assert sv("No upcoming meetings have been published.") not in text


def test_type_is_named_unless_the_meeting_is_ordinary(client, boda):
    """A citizen dialogue says so; an ordinary meeting carries no type label."""
    MeetingFactory(group=boda, date=days_ahead(5))
    MeetingFactory(group=boda, date=days_ahead(6), type=MeetingType.CITIZEN_DIALOGUE)
    text = text_of(client.get(boda.get_absolute_url()))
    assert capfirst(str(MeetingType.CITIZEN_DIALOGUE.label)) in text
    assert str(MeetingType.ORDINARY.label).lower() not in text.lower()


def test_meetings_are_in_date_order_and_a_meeting_without_time_shows_the_date(client, boda):
    """The nearest meeting comes first; one without a time shows just its date."""
    later = MeetingFactory(group=boda, date=days_ahead(30), place="Senare")
    sooner = MeetingFactory(
        group=boda, date=days_ahead(3), start_time=None, end_time=None, place="Tidigare"
    )
    text = text_of(client.get(boda.get_absolute_url()))
    assert f"{swedish_date(sooner.date)} Tidigare" in text
    assert text.index("Tidigare") < text.index(swedish_date(later.date)) < text.index("Senare")


def test_page_hides_internal_past_and_other_groups_meetings(client, boda):
    """Internal meetings, past meetings and other groups' meetings are not listed."""
    MeetingFactory(group=boda, visibility="confidential", place="Internt rum")
    MeetingFactory(group=boda, date=days_ahead(-1), status=MeetingStatus.HELD, place="Igår")
    MeetingFactory(group=NetworkGroupFactory(kind=boda.kind), place="Annan grupp")
    text = text_of(client.get(boda.get_absolute_url()))
    for place in ("Internt rum", "Igår", "Annan grupp"):
        assert place not in text
    assert sv("No upcoming meetings have been published.") in text


def test_a_cancelled_upcoming_meeting_is_listed_as_cancelled_in_words(client, boda):
    """Residents who planned to come see "Inställt" before the date of a cancelled meeting."""
    day = days_ahead(8)
    MeetingFactory(group=boda, date=day, status=MeetingStatus.CANCELLED)
    text = text_of(client.get(boda.get_absolute_url()))
    assert f"{sv('Cancelled')}: {swedish_date(day)}" in text


@pytest.mark.parametrize("visibility", list(Visibility))
def test_public_pages_never_show_notes_agenda_or_follow_up(client, boda, visibility):
    """Whatever the notes' visibility, no public page shows notes, agenda or follow-up."""
    MeetingFactory(
        group=boda,
        notes=f"Anteckning {SECRET}",
        notes_visibility=visibility,
        agenda=f"Dagordning {SECRET}",
        follow_up=f"Uppföljning {SECRET}",
    )
    MeetingFactory(group=None, kind=boda.kind, notes=f"Gemensam {SECRET}", agenda=SECRET)
    for url in (boda.get_absolute_url(), boda.kind.get_absolute_url()):
        html = client.get(url).content.decode()
        assert SECRET not in html, url
        assert "Mötesplatsen" in html, url


def test_at_most_the_next_ten_meetings_are_listed(client, boda):
    """With twelve meetings ahead, the page lists the nearest ten and says there are more."""
    for n in range(12):
        MeetingFactory(group=boda, date=days_ahead(n + 1), place=f"Plats nummer {n + 1}.")
    text = text_of(client.get(boda.get_absolute_url()))
    assert "Plats nummer 10." in text
    assert "Plats nummer 11." not in text and "Plats nummer 12." not in text
    more = sv(
        "Only the next %(count)s meetings are listed here. "
        "Subscribe to the calendar below to see all of them.",
        count=10,
    )
    assert more in text


def test_group_page_links_to_its_feed_as_webcal_and_https(client, boda):
    """The group page offers its calendar as a webcal:// link, an .ics link and an address."""
    html = client.get(boda.get_absolute_url()).content.decode()
    path = reverse("portal:feed_group", kwargs={"kind_slug": "barn-och-unga", "group_slug": "boda"})
    assert sv("Subscribe to the meetings in your calendar") in html
    assert f'href="webcal://testserver{path}"' in html
    assert f'href="http://testserver{path}"' in html
    assert sv("Subscribe to the meetings of %(name)s", name="Boda") in html
    assert client.get(path).status_code == 200


def test_kind_page_lists_upcoming_public_joint_meetings(client, boda):
    """The kind page lists its own upcoming public joint meetings, not others'."""
    kind = boda.kind
    day = days_ahead(40)
    MeetingFactory(group=None, kind=kind, date=day, place="Pulsen", type=MeetingType.CONFERENCE)
    MeetingFactory(group=None, kind=kind, visibility="confidential", place="Internt")
    MeetingFactory(group=None, kind=NetworkKindFactory(), place="Annan typ")
    MeetingFactory(group=boda, place="Gruppens eget möte")
    text = text_of(client.get(kind.get_absolute_url()))
    assert sv("Upcoming joint meetings") in text
    assert (
        f"{swedish_date(day)} 15.00–17.00, Pulsen {capfirst(MeetingType.CONFERENCE.label)}" in text
    )
    for place in ("Internt", "Annan typ", "Gruppens eget möte"):
        assert place not in text


def test_kind_page_without_joint_meetings_has_no_empty_section(client, boda):
    """A kind with no joint meetings ahead shows no heading for them."""
    assert sv("Upcoming joint meetings") not in text_of(client.get(boda.kind.get_absolute_url()))


def test_kind_page_and_overview_link_to_their_feeds(client, boda):
    """The kind page links to the kind's feed and the overview to the feed of everything."""
    kind_feed = reverse("portal:feed_kind", kwargs={"kind_slug": "barn-och-unga"})
    kind_html = client.get(boda.kind.get_absolute_url()).content.decode()
    assert f'href="webcal://testserver{kind_feed}"' in kind_html
    all_feed = reverse("portal:feed_all")
    overview_html = client.get(reverse("portal:overview")).content.decode()
    assert f'href="webcal://testserver{all_feed}"' in overview_html
    assert f'href="http://testserver{all_feed}"' in overview_html
    assert sv("all networks and central forums") in overview_html
