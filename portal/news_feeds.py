"""Atom feeds (RFC 4287) of the public news: one group's, and the whole portal's.

Django's syndication framework writes them. Only public news whose publication time has come
are in a feed – never news of another tier, never a scheduled item before its time – and of
them only what the public pages show: the title, the text, whose news it is and when it was
published. The author is never named: the feed's author is the municipality (or the portal).

A feed is a public page: kept in the cache of public pages (portal.public_cache), which any
change to the news empties, and no longer than until the next scheduled public item is due.
"""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import linebreaks
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from networks.models import Municipality, NetworkGroup
from news.models import NewsItem

from .feeds import UID_DOMAIN
from .public_cache import keep_until, public_page

# A feed carries the latest this many items; older ones stay on the group's news page.
FEED_ITEMS = 30
# Browsers and proxies may keep a feed for five minutes, as the calendar feeds.
CACHE_SECONDS = 300


def news_item_url(item: NewsItem) -> str:
    """Return the public page that shows the item, with its anchor."""
    if item.group_id:
        kwargs = {"kind_slug": item.group.kind.slug, "group_slug": item.group.slug}
        page = reverse("portal:group_news", kwargs=kwargs)
    elif item.kind_id:
        page = item.kind.get_absolute_url()
    else:
        page = reverse("portal:overview")
    return f"{page}#{item.anchor}"


class PublicNewsFeed(Feed):
    """What both feeds share: Atom, Swedish, public published news only, no personal data."""

    feed_type = Atom1Feed
    language = "sv"

    def __call__(self, request, *args, **kwargs):
        self.now = timezone.now()
        response = super().__call__(request, *args, **kwargs)
        due = NewsItem.objects.next_publication(self.now)
        keep_until(response, due)
        seconds = CACHE_SECONDS
        if due is not None:
            seconds = max(0, min(seconds, int((due - self.now).total_seconds())))
        patch_cache_control(response, public=True, max_age=seconds)
        return response

    def public_news(self):
        return NewsItem.objects.on_public_pages(self.now).with_owner().latest_first()

    def author_name(self):
        municipality = Municipality.objects.first()
        return municipality.name if municipality else _("Local collaboration")

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        # Plain text made into paragraphs, every character escaped: never the text as HTML.
        return linebreaks(item.body, autoescape=True)

    def item_link(self, item):
        return news_item_url(item)

    def item_guid(self, item):
        # Stable whatever the site's address: a reader never shows an item twice.
        return f"tag:{UID_DOMAIN},2017:news/{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return max(item.updated_at, item.published_at)

    def item_categories(self, item):
        return [item.owner_label]


class GroupNewsFeed(PublicNewsFeed):
    """The public news of one active group."""

    def get_object(self, request, kind_slug, group_slug):
        return get_object_or_404(
            NetworkGroup.objects.active().select_related("kind"),
            kind__slug=kind_slug,
            slug=group_slug,
        )

    def title(self, group):
        return _("News from %(group)s (%(kind)s)") % {"group": group.name, "kind": group.kind.name}

    def subtitle(self, group):
        return _("The public news of the network %(group)s.") % {"group": group.name}

    def link(self, group):
        return group.get_absolute_url()

    def feed_guid(self, group):
        return f"tag:{UID_DOMAIN},2017:news/group/{group.pk}"

    def items(self, group):
        return self.public_news().for_group(group)[:FEED_ITEMS]


class AllNewsFeed(PublicNewsFeed):
    """Every public news item: of every active group, of every kind and of the whole portal."""

    def title(self):
        name = _("News from the local collaboration networks")
        municipality = Municipality.objects.first()
        return f"{name} – {municipality.name}" if municipality else name

    def subtitle(self):
        return _("The public news of every network, kind of network and of the whole portal.")

    def link(self):
        return reverse("portal:overview")

    def feed_guid(self):
        return f"tag:{UID_DOMAIN},2017:news/all"

    def items(self):
        return self.public_news()[:FEED_ITEMS]


@require_safe
@public_page
def group_news_feed(request, kind_slug, group_slug):
    """Serve the Atom feed of one active group's public news."""
    # A feed object per request: it keeps the request's time.
    return GroupNewsFeed()(request, kind_slug=kind_slug, group_slug=group_slug)


@require_safe
@public_page
def all_news_feed(request):
    """Serve the Atom feed of every public news item."""
    return AllNewsFeed()(request)
