"""The public pages: no login, read only – the networks, the district search, the published
annual reports, the accessibility statement."""

from django.db.models import F, Prefetch
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

from core.views import page_of
from documents.models import Document
from meetings.models import Meeting
from networks.forms import DistrictSearchForm
from networks.models import NetworkGroup, NetworkKind
from networks.search import search_key
from news.models import NewsItem
from reports.models import ReportJob

from .feeds import subscription_links
from .public_cache import keep_until, public_page


def _kinds_with_active_groups():
    return NetworkKind.objects.prefetch_related(
        Prefetch(
            "groups",
            queryset=NetworkGroup.objects.active().prefetch_related("districts"),
            to_attr="active_groups",
        )
    )


# A public page lists this many upcoming meetings; the calendar feed has them all.
UPCOMING_SHOWN = 10


# A group's public page lists its latest public documents; the rest are on its document list.
PUBLIC_DOCUMENTS = 10


def _upcoming(meetings):
    """Return the next public meetings to list, from today on, and whether more lie ahead.

    Cancelled meetings stay in the list, marked, so that those who planned to come know.
    """
    ahead = list(
        meetings.published()
        .dated_between(timezone.localdate())
        .order_by("date", F("start_time").asc(nulls_first=True), "pk")[: UPCOMING_SHOWN + 1]
    )
    return {"meetings": ahead[:UPCOMING_SHOWN], "more_meetings": len(ahead) > UPCOMING_SHOWN}


# A public page shows this many of the latest news; a group's news page and the feeds have more.
NEWS_SHOWN = 3


def _latest_news(news, now) -> dict:
    """Return the latest public news to show, and whether there are more."""
    latest = list(news.on_public_pages(now).latest_first()[: NEWS_SHOWN + 1])
    return {"news": latest[:NEWS_SHOWN], "more_news": len(latest) > NEWS_SHOWN}


def _with_news(request, template, context, now):
    """Render a public page that shows news: its cached copy ends when the next scheduled
    public news item is due, so that it appears on time."""
    response = render(request, template, context)
    keep_until(response, NewsItem.objects.next_publication(now))
    return response


@public_page
def overview(request):
    """Show every kind with its goal and its active groups, the news of the whole portal and
    the feeds of all meetings and all news."""
    now = timezone.now()
    return _with_news(
        request,
        "portal/overview.html",
        {
            "kinds": _kinds_with_active_groups(),
            "form": DistrictSearchForm(),
            "feed": subscription_links(request, "portal:feed_all"),
            "news_feed": request.build_absolute_uri(reverse("portal:news_feed_all")),
            **_latest_news(NewsItem.objects.portal_wide(), now),
        },
        now,
    )


@public_page
def kind_detail(request, kind_slug):
    """Show a kind: goal, purpose, guidelines, active groups, upcoming joint meetings and the
    kind's latest public news."""
    kind = get_object_or_404(_kinds_with_active_groups(), slug=kind_slug)
    now = timezone.now()
    return _with_news(
        request,
        "portal/kind_detail.html",
        {
            "kind": kind,
            "feed": subscription_links(request, "portal:feed_kind", kind_slug=kind.slug),
            **_upcoming(Meeting.objects.joint_of(kind)),
            **_latest_news(NewsItem.objects.of_kind(kind), now),
        },
        now,
    )


@public_page
def group_detail(request, kind_slug, group_slug):
    """Show an active group: districts, running organisation, contacts, upcoming meetings and
    its latest public news."""
    group = get_object_or_404(
        NetworkGroup.objects.active().for_public_page(), kind__slug=kind_slug, slug=group_slug
    )
    slugs = {"kind_slug": group.kind.slug, "group_slug": group.slug}
    now = timezone.now()
    documents = list(
        Document.objects.of_owner(group_id=group.pk).public().for_listing()[: PUBLIC_DOCUMENTS + 1]
    )
    return _with_news(
        request,
        "portal/group_detail.html",
        {
            "group": group,
            "feed": subscription_links(request, "portal:feed_group", **slugs),
            "news_feed": request.build_absolute_uri(
                reverse("portal:news_feed_group", kwargs=slugs)
            ),
            "news_page": reverse("portal:group_news", kwargs=slugs),
            "documents": documents[:PUBLIC_DOCUMENTS],
            "more_documents": len(documents) > PUBLIC_DOCUMENTS,
            **_upcoming(Meeting.objects.for_group(group)),
            **_latest_news(NewsItem.objects.for_group(group), now),
        },
        now,
    )


@public_page
def group_news(request, kind_slug, group_slug):
    """Show an active group's public news, newest first, a page at a time."""
    group = get_object_or_404(
        NetworkGroup.objects.active().select_related("kind"), kind__slug=kind_slug, slug=group_slug
    )
    now = timezone.now()
    page = page_of(request, NewsItem.objects.for_group(group).on_public_pages(now).latest_first())
    slugs = {"kind_slug": group.kind.slug, "group_slug": group.slug}
    return _with_news(
        request,
        "portal/group_news.html",
        {
            "group": group,
            "page_obj": page,
            "news": page.object_list,
            "news_feed": request.build_absolute_uri(
                reverse("portal:news_feed_group", kwargs=slugs)
            ),
        },
        now,
    )


@public_page
def search(request):
    """Answer "which network covers where I live?" by district or group name."""
    form = DistrictSearchForm(request.GET or None)
    results = []
    if form.is_valid():
        key = search_key(form.cleaned_data["q"])
        groups = NetworkGroup.objects.active().for_listing().search(key)
        results = [
            {
                "group": group,
                "matched": {d.pk for d in group.districts.all() if key in d.search_name},
            }
            for group in groups
        ]
    return render(
        request,
        "portal/search.html",
        {"form": form, "results": results, "searched": form.is_bound},
    )


@public_page
def published_list(request):
    """List the published annual reports, newest year first: public records anyone may read."""
    jobs = ReportJob.objects.published().order_by("-year", "-published_at")
    return render(request, "portal/published_list.html", {"jobs": jobs})


# Where to complain when the municipality's answer does not satisfy: DIGG's form.
DIGG_COMPLAINT_URL = "https://www.digg.se/tdosanmalan"


def accessibility_statement(request):
    """Show how accessible the portal is, its known gaps, and where to report a problem.

    The municipality's parts (status, gaps, dates, contact) come from its row in the admin;
    the template falls back to the general contact details where they are left empty.
    """
    return render(request, "portal/accessibility.html", {"complaint_url": DIGG_COMPLAINT_URL})
