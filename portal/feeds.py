"""iCalendar feeds (RFC 5545) of the public meetings: everything, one kind, one group.

Only public information leaves the portal: who holds the meeting, its type, date, times, place
and status. Internal meetings are never in a feed; the agenda, notes, follow-up and the
organisations present never are either, whatever the notes' visibility. A cancelled meeting stays
in the feed as STATUS:CANCELLED, so subscribers' calendars mark or drop it.

Window: the meetings of the last FEED_DAYS_BACK days and every meeting ahead up to the end of the
year YEARS_AHEAD years from now (later dates are refused as typing mistakes anyway).

Every event keeps its UID (from Meeting.uid) across edits, so an edit replaces the event in the
subscriber's calendar; SEQUENCE grows with every save.

Each feed costs a fixed number of queries, however many meetings: its owner and the meetings.
A rendered feed is kept, like every public page, in the cache of public pages
(portal.public_cache), which any change to public data empties; a kept feed costs none.
"""

import datetime
import functools
import hashlib
import uuid
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import F
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from icalendar import Calendar, Event, Timezone, vDuration

from meetings.models import YEARS_AHEAD, Meeting, MeetingType
from networks.models import Municipality, NetworkGroup, NetworkKind

from .public_cache import public_page

FEED_DAYS_BACK = 90
# A constant domain, not the request's host: the UIDs must not change when the site moves.
UID_DOMAIN = "lokalsamverkan.invalid"
PRODID = "-//Lokal samverkan//Mötesflöde//SV"
# Browsers and proxies may keep a feed for five minutes; calendar apps are asked to poll hourly.
CACHE_SECONDS = 300
REFRESH_INTERVAL = datetime.timedelta(hours=1)


def feed_window(today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    """Return the first and last date of the meetings a feed carries."""
    today = today or timezone.localdate()
    return today - datetime.timedelta(days=FEED_DAYS_BACK), datetime.date(
        today.year + YEARS_AHEAD, 12, 31
    )


@functools.lru_cache(maxsize=4)
def _vtimezone(tzid: str, first_year: int, last_year: int) -> Timezone:
    """Return the VTIMEZONE of `tzid` covering the given years (built once per process)."""
    return Timezone.from_tzid(
        tzid,
        first_date=datetime.date(first_year, 1, 1),
        last_date=datetime.date(last_year + 1, 1, 1),
    )


def subscription_links(request, url_name: str, **kwargs) -> dict:
    """Return a feed's https and webcal addresses, for a page's "subscribe" links."""
    https = request.build_absolute_uri(reverse(url_name, kwargs=kwargs))
    return {"https": https, "webcal": "webcal://" + https.split("://", 1)[1]}


def _summary(meeting: Meeting, *, with_kind: bool) -> str:
    """Return the event's title: who meets and the kind of meeting, e.g. "Boda – ordinarie möte"."""
    type_name = meeting.get_type_display()
    if meeting.group_id:
        owner = meeting.group.name
        if with_kind:
            # Group names repeat across kinds: in the feed of everything, say which one.
            owner = f"{owner} ({meeting.group.kind.label})"
        summary = f"{owner} – {type_name}"
    elif meeting.forum_id:
        summary = f"{meeting.forum.label} – {type_name}"
    else:
        joint = _("joint meeting")
        detail = joint if meeting.type == MeetingType.ORDINARY else f"{joint}, {type_name}"
        summary = f"{meeting.kind.label} – {detail}"
    if meeting.is_cancelled:
        summary = _("Cancelled: %(meeting)s") % {"meeting": summary}
    return summary


def _page_url(meeting: Meeting, request) -> str | None:
    """Return the public page about whoever holds the meeting; forums have none."""
    if meeting.group_id:
        return request.build_absolute_uri(meeting.group.get_absolute_url())
    if meeting.kind_id:
        return request.build_absolute_uri(meeting.kind.get_absolute_url())
    return None


def _description(meeting: Meeting, url: str | None) -> str:
    """Return the event's description: who holds it, whether it is cancelled, where to read more."""
    if meeting.group_id:
        lines = [str(meeting.group)]
    elif meeting.forum_id:
        lines = [meeting.forum.name]
    else:
        lines = [str(meeting.owner_label)]
    if meeting.is_cancelled:
        lines.append(_("The meeting is cancelled."))
    if url:
        lines.append(_("More about the network: %(url)s") % {"url": url})
    return "\n".join(lines)


def _event(meeting: Meeting, *, request, tz: ZoneInfo, with_kind: bool, shared: dict) -> Event:
    """Return the VEVENT of one public meeting: public fields only.

    `shared` keeps what is the same for every meeting of one owner, type and status (the title,
    the description and the owner's page), so the feed of everything works it out once per owner
    rather than once per meeting.
    """
    if meeting.start_time:
        start = datetime.datetime.combine(meeting.date, meeting.start_time, tzinfo=tz)
        # An end before the start can only come from data that bypassed validation: leave it out
        # rather than fail the whole feed.
        end = (
            datetime.datetime.combine(meeting.date, meeting.end_time, tzinfo=tz)
            if meeting.end_time and meeting.end_time > meeting.start_time
            else None
        )
    else:
        # No time known: an all-day event (DTEND is exclusive, so the next day).
        start, end = meeting.date, meeting.date + datetime.timedelta(days=1)
    key = (meeting.group_id, meeting.forum_id, meeting.kind_id, meeting.type, meeting.is_cancelled)
    texts = shared.get(key)
    if texts is None:
        url = _page_url(meeting, request)
        texts = shared[key] = (
            _summary(meeting, with_kind=with_kind),
            _description(meeting, url),
            url,
        )
    summary, description, url = texts
    # Every save moves updated_at forward, so the seconds since creation only ever grow:
    # a SEQUENCE that needs no history query.
    sequence = max(0, int((meeting.updated_at - meeting.created_at).total_seconds()))
    return Event.new(
        uid=f"{meeting.uid}@{UID_DOMAIN}",
        # DTSTAMP is the last change rather than the time of the request, so an unchanged
        # feed is byte for byte the same and its ETag holds.
        stamp=meeting.updated_at,
        created=meeting.created_at,
        last_modified=meeting.updated_at,
        sequence=sequence,
        start=start,
        end=end,
        summary=summary,
        location=meeting.place or None,
        description=description,
        url=url,
        status="CANCELLED" if meeting.is_cancelled else "CONFIRMED",
    )


def _calendar(
    *, request, name: str, meetings, window: tuple[datetime.date, datetime.date], with_kind: bool
) -> bytes:
    """Return the calendar of `meetings`, already limited to the window, with its VTIMEZONE."""
    first, last = window
    tzid = settings.TIME_ZONE
    tz = ZoneInfo(tzid)
    calendar = Calendar.new(
        method="PUBLISH",
        prodid=PRODID,
        name=name,
        description=_(
            "Public meetings from the last %(days)s days and ahead. "
            "Cancelled meetings stay in the calendar and are marked as cancelled."
        )
        % {"days": FEED_DAYS_BACK},
        # Stable, like the events' UIDs: the same feed is the same calendar.
        uid=uuid.uuid5(uuid.NAMESPACE_URL, f"https://{UID_DOMAIN}{request.path}"),
        source=request.build_absolute_uri(request.path),
        refresh_interval=REFRESH_INTERVAL,
    )
    # RFC 7986 requires VALUE=DURATION on REFRESH-INTERVAL; Outlook reads X-PUBLISHED-TTL.
    calendar["REFRESH-INTERVAL"].params["VALUE"] = "DURATION"
    calendar.add("X-PUBLISHED-TTL", vDuration(REFRESH_INTERVAL))
    calendar.add("X-WR-TIMEZONE", tzid)
    calendar.add_component(_vtimezone(tzid, first.year, last.year))
    ordered = (
        meetings.with_owner()
        # The feed never shows these, and they are the long columns.
        .defer("agenda", "notes", "follow_up")
        .order_by("date", F("start_time").asc(nulls_first=True), "pk")
    )
    shared = {}
    for meeting in ordered.iterator(chunk_size=2000):
        calendar.add_component(
            _event(meeting, request=request, tz=tz, with_kind=with_kind, shared=shared)
        )
    return calendar.to_ical()


def _feed_response(request, *, name: str, meetings, with_kind: bool, filename: str) -> HttpResponse:
    """Return the feed of `meetings` as text/calendar, with an ETag of its content."""
    window = feed_window()
    body = _calendar(
        request=request,
        name=name,
        meetings=meetings.dated_between(*window),
        window=window,
        with_kind=with_kind,
    )
    etag = f'"{hashlib.sha256(body).hexdigest()[:32]}"'
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["ETag"] = etag
    patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
    return get_conditional_response(request, etag=etag, response=response)


@require_safe
@public_page
def all_feed(request):
    """Serve every public meeting: all groups, central forums and joint meetings."""
    municipality = Municipality.objects.first()
    name = _("Local collaboration")
    if municipality:
        name = f"{name} – {municipality.name}"
    return _feed_response(
        request,
        name=name,
        meetings=Meeting.objects.published(),
        with_kind=True,
        filename="lokalsamverkan.ics",
    )


@require_safe
@public_page
def kind_feed(request, kind_slug):
    """Serve the public meetings of a kind's active groups and the kind's joint meetings."""
    kind = get_object_or_404(NetworkKind, slug=kind_slug)
    return _feed_response(
        request,
        name=_("Local collaboration – %(kind)s") % {"kind": kind.name},
        meetings=Meeting.objects.published().of_kind(kind),
        with_kind=False,
        filename=f"lokalsamverkan-{kind.slug}.ics",
    )


@require_safe
@public_page
def group_feed(request, kind_slug, group_slug):
    """Serve the public meetings of one active group."""
    group = get_object_or_404(
        NetworkGroup.objects.active().select_related("kind"), kind__slug=kind_slug, slug=group_slug
    )
    return _feed_response(
        request,
        name=_("Local collaboration – %(group)s (%(kind)s)")
        % {"group": group.name, "kind": group.kind.name},
        meetings=Meeting.objects.published().for_group(group),
        with_kind=False,
        filename=f"lokalsamverkan-{group.kind.slug}-{group.slug}.ics",
    )
