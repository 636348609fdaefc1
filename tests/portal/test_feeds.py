"""The iCalendar feeds: valid RFC 5545, public meetings only, stable across edits."""

import datetime
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from meetings.models import Meeting, MeetingStatus, MeetingType, Visibility
from meetings.services import meeting_cancel, meeting_update
from networks.models import Forum
from portal.feeds import FEED_DAYS_BACK, UID_DOMAIN
from tests.factories.meetings import MeetingFactory
from tests.factories.networks import (
    MunicipalityFactory,
    NetworkGroupFactory,
    NetworkKindFactory,
    OrganisationFactory,
)
from tests.text import sv

pytestmark = pytest.mark.django_db

STOCKHOLM = ZoneInfo("Europe/Stockholm")
SECRET = "HEMLIGMARKOR"


def days_from_today(days):
    return timezone.localdate() + datetime.timedelta(days=days)


@pytest.fixture
def registry():
    MunicipalityFactory(name="Exempelby kommun")
    kind = NetworkKindFactory(
        name="Nätverk barn och unga 10–16 år", short_name="Nätverk 10–16 år", slug="barn-och-unga"
    )
    other_kind = NetworkKindFactory(name="Områdesnätverk", slug="omradesnatverk")
    return {
        "kind": kind,
        "other_kind": other_kind,
        "boda": NetworkGroupFactory(kind=kind, name="Boda", slug="boda"),
        "norrby": NetworkGroupFactory(kind=kind, name="Norrby", slug="norrby"),
        "area_norrby": NetworkGroupFactory(kind=other_kind, name="Norrby", slug="norrby"),
        "dormant": NetworkGroupFactory(kind=kind, name="Vilande", slug="vilande", active=False),
        "bra": Forum.objects.create(
            name="Brottsförebyggande rådet (BRÅ)", short_name="BRÅ", slug="bra"
        ),
    }


def feed_urls(registry):
    boda = registry["boda"]
    return {
        "all": reverse("portal:feed_all"),
        "kind": reverse("portal:feed_kind", kwargs={"kind_slug": "barn-och-unga"}),
        "group": reverse(
            "portal:feed_group", kwargs={"kind_slug": "barn-och-unga", "group_slug": boda.slug}
        ),
    }


def fetch(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response


def parse(response):
    return Calendar.from_ical(response.content)


def events_by_uid(calendar):
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def uid_of(meeting):
    return f"{meeting.uid}@{UID_DOMAIN}"


def test_feed_is_a_published_calendar_with_name_timezone_and_headers(client, registry):
    """The group feed is text/calendar with METHOD:PUBLISH, a Swedish name and a VTIMEZONE."""
    MeetingFactory(group=registry["boda"])
    response = fetch(client, feed_urls(registry)["group"])
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert 'filename="lokalsamverkan-barn-och-unga-boda.ics"' in response["Content-Disposition"]
    assert "max-age=300" in response["Cache-Control"]
    assert response["ETag"]
    calendar = parse(response)
    assert calendar["VERSION"] == "2.0"
    assert calendar["METHOD"] == "PUBLISH"
    assert calendar["PRODID"]
    name = sv(
        "Local collaboration – %(group)s (%(kind)s)",
        group="Boda",
        kind="Nätverk barn och unga 10–16 år",
    )
    assert calendar["X-WR-CALNAME"] == name
    assert calendar["NAME"] == name
    assert calendar["X-WR-TIMEZONE"] == "Europe/Stockholm"
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Stockholm"]
    assert calendar.get_missing_tzids() == set()


@pytest.mark.parametrize("which", ["all", "kind", "group"])
def test_every_feed_has_a_timezone_and_a_name(client, registry, which):
    """Each of the three feeds parses, is PUBLISH, and carries the Stockholm VTIMEZONE."""
    MeetingFactory(group=registry["boda"])
    calendar = parse(fetch(client, feed_urls(registry)[which]))
    assert calendar["METHOD"] == "PUBLISH"
    names = {
        "all": f"{sv('Local collaboration')} – Exempelby kommun",
        "kind": sv("Local collaboration – %(kind)s", kind="Nätverk barn och unga 10–16 år"),
        "group": sv(
            "Local collaboration – %(group)s (%(kind)s)",
            group="Boda",
            kind="Nätverk barn och unga 10–16 år",
        ),
    }
    assert calendar["X-WR-CALNAME"] == names[which]
    assert calendar.walk("VTIMEZONE")[0]["TZID"] == "Europe/Stockholm"
    assert len(calendar.events) == 1


def test_each_feed_holds_exactly_its_public_meetings_in_the_window(client, registry):
    """A feed has one event per public meeting of its owners from 90 days back and ahead."""
    boda, kind = registry["boda"], registry["kind"]
    boda_ahead = MeetingFactory(group=boda)
    boda_recent = MeetingFactory(group=boda, date=days_from_today(-FEED_DAYS_BACK))
    MeetingFactory(group=boda, date=days_from_today(-FEED_DAYS_BACK - 1))  # too old
    MeetingFactory(group=boda, visibility="confidential")
    norrby = MeetingFactory(group=registry["norrby"])
    area_norrby = MeetingFactory(group=registry["area_norrby"])
    MeetingFactory(group=registry["dormant"])
    joint = MeetingFactory(group=None, kind=kind, type=MeetingType.CONFERENCE)
    MeetingFactory(group=None, kind=kind, visibility="confidential")
    forum = MeetingFactory(group=None, forum=registry["bra"])
    MeetingFactory(group=None, forum=Forum.objects.create(name="Nedlagt", slug="x", active=False))
    urls = feed_urls(registry)

    def uids(which):
        return set(events_by_uid(parse(fetch(client, urls[which]))))

    assert uids("group") == {uid_of(boda_ahead), uid_of(boda_recent)}
    assert uids("kind") == {uid_of(m) for m in (boda_ahead, boda_recent, norrby, joint)}
    assert uids("all") == {
        uid_of(m) for m in (boda_ahead, boda_recent, norrby, area_norrby, joint, forum)
    }


def test_event_says_who_meets_where_and_links_to_the_group_page(client, registry):
    """An event's title names the group and type; it has the place and the group's page."""
    meeting = MeetingFactory(group=registry["boda"], place="Bodaskolan, aulan")
    event = events_by_uid(parse(fetch(client, feed_urls(registry)["group"])))[uid_of(meeting)]
    assert event["SUMMARY"] == f"Boda – {MeetingType.ORDINARY.label}"
    assert event["LOCATION"] == "Bodaskolan, aulan"
    assert event["STATUS"] == "CONFIRMED"
    assert event["URL"] == "http://testserver" + registry["boda"].get_absolute_url()


def test_titles_of_forums_joint_meetings_and_groups_in_the_feed_of_everything(client, registry):
    """Forum and joint meetings are titled by owner and type; groups get their kind too."""
    forum = MeetingFactory(group=None, forum=registry["bra"], type=MeetingType.CONFERENCE)
    joint = MeetingFactory(group=None, kind=registry["kind"])
    area = MeetingFactory(group=registry["area_norrby"])
    events = events_by_uid(parse(fetch(client, feed_urls(registry)["all"])))
    assert events[uid_of(forum)]["SUMMARY"] == f"BRÅ – {MeetingType.CONFERENCE.label}"
    assert events[uid_of(joint)]["SUMMARY"] == f"Nätverk 10–16 år – {sv('joint meeting')}"
    ordinary = MeetingType.ORDINARY.label
    assert events[uid_of(area)]["SUMMARY"] == f"Norrby (Områdesnätverk) – {ordinary}"


def test_an_edit_keeps_the_uid_and_raises_the_sequence(client, registry):
    """Editing a meeting replaces its event: the same UID, a higher SEQUENCE, the new place."""
    meeting = MeetingFactory(group=registry["boda"], place="Gamla platsen")
    url = feed_urls(registry)["group"]
    before = events_by_uid(parse(fetch(client, url)))[uid_of(meeting)]

    later = timezone.now() + datetime.timedelta(minutes=5)
    with mock.patch("django.utils.timezone.now", return_value=later):
        meeting_update(
            meeting=meeting,
            place="Nya platsen",
            start_time=datetime.time(18, 0),
            end_time=datetime.time(19, 30),
        )

    events = events_by_uid(parse(fetch(client, url)))
    assert list(events) == [uid_of(meeting)]
    after = events[uid_of(meeting)]
    assert after["SEQUENCE"] > before["SEQUENCE"]
    assert after["LAST-MODIFIED"].dt > before["LAST-MODIFIED"].dt
    assert after["LOCATION"] == "Nya platsen"
    assert after["DTSTART"].dt.hour == 18


def test_a_cancelled_meeting_stays_as_status_cancelled(client, registry):
    """A cancelled meeting stays in every feed, STATUS:CANCELLED and titled as cancelled."""
    meeting = MeetingFactory(group=registry["boda"])
    urls = feed_urls(registry).values()
    before = {url: events_by_uid(parse(fetch(client, url)))[uid_of(meeting)] for url in urls}
    later = timezone.now() + datetime.timedelta(minutes=1)
    with mock.patch("django.utils.timezone.now", return_value=later):
        meeting_cancel(meeting=meeting)
    for feed_url in urls:
        event = events_by_uid(parse(fetch(client, feed_url)))[uid_of(meeting)]
        assert event["STATUS"] == "CANCELLED"
        title = before[feed_url]["SUMMARY"]
        assert event["SUMMARY"] == sv("Cancelled: %(meeting)s", meeting=title)
        assert event["SEQUENCE"] > before[feed_url]["SEQUENCE"]


@pytest.mark.parametrize("visibility", list(Visibility))
def test_no_notes_agenda_follow_up_or_organisations_in_any_feed(client, registry, visibility):
    """Whatever the notes' visibility, no feed carries notes, agenda, follow-up or organisations."""
    organisation = OrganisationFactory(name=f"{SECRET} organisation")
    meeting = MeetingFactory(
        group=registry["boda"],
        status=MeetingStatus.HELD,
        date=days_from_today(-7),
        notes=f"Anteckning {SECRET} notes",
        notes_visibility=visibility,
        agenda=f"Dagordning {SECRET} agenda",
        follow_up=f"Uppföljning {SECRET} follow-up",
    )
    meeting.organisations.set([organisation])
    MeetingFactory(
        group=registry["boda"], visibility="confidential", place=f"{SECRET} internt möte"
    )
    for url in feed_urls(registry).values():
        content = fetch(client, url).content
        # Long lines are folded in iCalendar: look at the unfolded text as well.
        for text in (content, content.replace(b"\r\n ", b"")):
            assert SECRET.encode() not in text, url
            assert b"Anteckning" not in text and b"Dagordning" not in text
        assert uid_of(meeting) in events_by_uid(Calendar.from_ical(content))


def last_sunday_of_march(year):
    day = datetime.date(year, 3, 31)
    return day - datetime.timedelta(days=(day.weekday() + 1) % 7)


def test_times_are_local_stockholm_time_on_both_sides_of_the_dst_change(client, registry):
    """15.00 is 15.00 in Stockholm in winter and summer time: UTC 14.00 and 13.00."""
    change = last_sunday_of_march(timezone.localdate().year + 1)
    winter = MeetingFactory(group=registry["boda"], date=change - datetime.timedelta(days=1))
    summer = MeetingFactory(group=registry["boda"], date=change)
    response = fetch(client, feed_urls(registry)["group"])
    unfolded = response.content.replace(b"\r\n ", b"").decode()
    assert f"DTSTART;TZID=Europe/Stockholm:{winter.date:%Y%m%d}T150000" in unfolded
    assert f"DTEND;TZID=Europe/Stockholm:{summer.date:%Y%m%d}T170000" in unfolded

    calendar = parse(response)
    events = events_by_uid(calendar)
    utc = datetime.UTC
    assert events[uid_of(winter)]["DTSTART"].dt.astimezone(utc).hour == 14
    assert events[uid_of(summer)]["DTSTART"].dt.astimezone(utc).hour == 13
    assert events[uid_of(summer)]["DTEND"].dt.astimezone(utc).hour == 15
    # The VTIMEZONE in the feed itself knows the change, for apps that go by it alone.
    feed_tz = calendar.walk("VTIMEZONE")[0].to_tz()
    noon = datetime.time(12)
    assert datetime.datetime.combine(winter.date, noon, feed_tz).utcoffset().seconds == 3600
    assert datetime.datetime.combine(summer.date, noon, feed_tz).utcoffset().seconds == 7200


def test_a_meeting_without_a_time_is_an_all_day_event(client, registry):
    """A meeting with no start time is an all-day event on its date."""
    meeting = MeetingFactory(group=registry["boda"], start_time=None, end_time=None)
    response = fetch(client, feed_urls(registry)["group"])
    event = events_by_uid(parse(response))[uid_of(meeting)]
    assert event["DTSTART"].dt == meeting.date
    assert not isinstance(event["DTSTART"].dt, datetime.datetime)
    assert event["DTEND"].dt == meeting.date + datetime.timedelta(days=1)
    assert f"DTSTART;VALUE=DATE:{meeting.date:%Y%m%d}".encode() in response.content


def test_a_meeting_ending_before_it_starts_does_not_break_the_feed(client, registry):
    """Imported data that skipped validation (end before start) still gives a valid feed."""
    now = timezone.now()
    (meeting,) = Meeting.objects.bulk_create(
        [
            Meeting(
                group=registry["boda"],
                date=days_from_today(3),
                start_time=datetime.time(17),
                end_time=datetime.time(15),
                created_at=now,
                updated_at=now,
            )
        ]
    )
    event = events_by_uid(parse(fetch(client, feed_urls(registry)["group"])))[uid_of(meeting)]
    assert event["DTSTART"].dt.hour == 17
    assert "DTEND" not in event


def test_an_unchanged_feed_answers_not_modified(client, registry):
    """A calendar app asking again with the ETag gets 304 until a meeting changes."""
    meeting = MeetingFactory(group=registry["boda"])
    url = feed_urls(registry)["group"]
    etag = fetch(client, url)["ETag"]
    assert client.get(url, headers={"if-none-match": etag}).status_code == 304
    meeting_update(meeting=meeting, place="Någon annanstans")
    assert client.get(url, headers={"if-none-match": etag}).status_code == 200


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("portal:feed_kind", {"kind_slug": "finns-inte"}),
        ("portal:feed_group", {"kind_slug": "barn-och-unga", "group_slug": "finns-inte"}),
        ("portal:feed_group", {"kind_slug": "finns-inte", "group_slug": "boda"}),
        ("portal:feed_group", {"kind_slug": "omradesnatverk", "group_slug": "boda"}),
        ("portal:feed_group", {"kind_slug": "barn-och-unga", "group_slug": "vilande"}),
    ],
)
def test_unknown_kind_or_group_or_an_inactive_group_is_404(client, registry, name, kwargs):
    """A feed of a kind or group that does not exist, or of an inactive group, is 404."""
    assert client.get(reverse(name, kwargs=kwargs)).status_code == 404


def test_feeds_do_not_accept_posts(client, registry):
    """A feed is read only."""
    assert client.post(feed_urls(registry)["all"]).status_code == 405


# Each feed: the owner it is for (the municipality's name for the feed of everything, else the
# kind, or the group with its kind) + the meetings with their owners. A repeated request is
# served whole from the cache of public pages, no query.
FEED_QUERIES_RENDERED = 2
FEED_QUERIES_CACHED = 0


@pytest.mark.parametrize("meeting_count", [125, 10_000])
def test_feed_query_count_does_not_grow_with_the_meetings(
    client, registry, query_count, meeting_count
):
    """At 125 and at 10 000 meetings each feed runs the same two queries, none when cached."""
    owners = [
        {"group": registry["boda"]},
        {"group": registry["norrby"]},
        {"group": registry["area_norrby"]},
        {"kind": registry["kind"]},
        {"forum": registry["bra"]},
    ]
    now = timezone.now()
    start = days_from_today(-FEED_DAYS_BACK)
    Meeting.objects.bulk_create(
        Meeting(
            date=start + datetime.timedelta(days=n % 1500),
            start_time=datetime.time(15) if n % 4 else None,
            end_time=datetime.time(17) if n % 4 else None,
            place=f"Plats {n}",
            status=MeetingStatus.CANCELLED if n % 10 == 0 else MeetingStatus.PLANNED,
            created_at=now,
            updated_at=now,
            **owners[n % len(owners)],
        )
        for n in range(meeting_count)
    )
    expected = {"all": meeting_count, "kind": 0, "group": 0}
    for n in range(meeting_count):
        owner = n % len(owners)
        expected["kind"] += owner in (0, 1, 3)
        expected["group"] += owner == 0
    cache.clear()
    for which, url in feed_urls(registry).items():
        queries, rendered = query_count.page(client, url)
        assert queries == FEED_QUERIES_RENDERED, which
        # Counted rather than parsed: parsing 10 000 events takes long, and other tests parse.
        assert rendered.count(b"\r\nBEGIN:VEVENT\r\n") == expected[which], which
        queries, cached = query_count.page(client, url)
        assert queries == FEED_QUERIES_CACHED, which
        assert cached == rendered


def test_a_deleted_meeting_leaves_the_feed_at_once(client, registry):
    """A rendered feed is not served once a meeting in it is gone."""
    kept, deleted = MeetingFactory.create_batch(2, group=registry["boda"])
    url = feed_urls(registry)["group"]
    assert len(parse(fetch(client, url)).events) == 2
    deleted.delete()
    assert set(events_by_uid(parse(fetch(client, url)))) == {uid_of(kept)}
