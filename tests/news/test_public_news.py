"""Public news on the public pages and in the Atom feeds: only public news whose time has come,
on time although the pages are cached."""

import datetime
import re
import time
import xml.etree.ElementTree as ET

import pytest
from django.core.cache import cache
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from networks.models import Visibility
from portal.public_cache import DEFAULT_SECONDS, _key
from portal.views import NEWS_SHOWN
from tests.factories.news import NewsItemFactory
from tests.text import sv

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def slugs(group) -> dict:
    return {"kind_slug": group.kind.slug, "group_slug": group.slug}


def text(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def parsed_feed(client, url) -> ET.Element:
    """Return the root of the Atom feed at `url`, parsed by the standard library."""
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    return root


def entry_titles(feed: ET.Element) -> list[str]:
    return [entry.findtext(f"{ATOM}title") for entry in feed.iter(f"{ATOM}entry")]


@pytest.fixture
def every_tier(world):
    """One news item of group A at every tier, one scheduled public one, one of group B."""
    group = world["group_a"]
    items = {
        tier: NewsItemFactory(group=group, visibility=tier, title=f"Nyhet på nivån {tier}")
        for tier in Visibility.values
    }
    items["scheduled"] = NewsItemFactory(
        group=group,
        title="Schemalagd nyhet",
        published_at=timezone.now() + datetime.timedelta(hours=2),
    )
    items["other group"] = NewsItemFactory(group=world["group_b"], title="Sjöbos nyhet")
    return items


def test_the_group_page_shows_its_public_news_only(client, world, every_tier):
    """A group's public page and its news page show its public, published news – no other tier,
    no scheduled item, no other group's news."""
    group = world["group_a"]
    for url in (group.get_absolute_url(), reverse("portal:group_news", kwargs=slugs(group))):
        html = text(client.get(url))
        assert "Nyhet på nivån public" in html, url
        for hidden in ("network", "confidential", "restricted", "scheduled", "other group"):
            assert every_tier[hidden].title not in html, (url, hidden)


def test_the_group_page_links_its_news_page_and_its_atom_feed(client, world):
    """The group page links to all its news, and offers the Atom feed both as an alternate
    link in the head and as a visible link beside the calendar feed."""
    group = world["group_a"]
    html = text(client.get(group.get_absolute_url()))
    feed = "http://testserver" + reverse("portal:news_feed_group", kwargs=slugs(group))
    head = html[: html.index("</head>")]
    assert re.search(
        rf'<link rel="alternate" type="application/atom\+xml"[^>]* href="{feed}">', head
    )
    assert sv("Follow the news (Atom)") == "Följ nyheterna (Atom)"
    assert f'<a href="{feed}" type="application/atom+xml">Följ nyheterna (Atom)</a>' in html
    assert html.index(sv("Subscribe to the meetings in your calendar")) < html.index(
        "Följ nyheterna (Atom)"
    )
    assert reverse("portal:group_news", kwargs=slugs(group)) in html


def test_the_group_page_shows_the_latest_few(client, world):
    """The group page shows the latest few news; its news page has them all."""
    group = world["group_a"]
    now = timezone.now()
    for n in range(NEWS_SHOWN + 2):
        NewsItemFactory(
            group=group, title=f"Nyhet {n:02d}", published_at=now - datetime.timedelta(days=n)
        )
    html = text(client.get(group.get_absolute_url()))
    assert [f"Nyhet {n:02d}" in html for n in range(NEWS_SHOWN + 2)] == [True] * NEWS_SHOWN + [
        False,
        False,
    ]
    all_news = text(client.get(reverse("portal:group_news", kwargs=slugs(group))))
    assert all(f"Nyhet {n:02d}" in all_news for n in range(NEWS_SHOWN + 2))


def test_kind_news_on_the_kind_page_and_portal_news_on_the_overview(client, world):
    """A kind's public news are on its page, the whole portal's on the overview; non-public
    ones on neither."""
    NewsItemFactory(group=None, kind=world["kind"], title="Till alla grupper av typen")
    NewsItemFactory(
        group=None, kind=world["kind"], title="Internt för typen", visibility=Visibility.NETWORK
    )
    NewsItemFactory(group=None, title="Till hela portalen")
    NewsItemFactory(group=None, title="Internt för alla", visibility=Visibility.CONFIDENTIAL)
    kind_page = text(client.get(world["kind"].get_absolute_url()))
    assert "Till alla grupper av typen" in kind_page and "Internt för typen" not in kind_page
    assert "Till hela portalen" not in kind_page
    overview = text(client.get(reverse("portal:overview")))
    assert "Till hela portalen" in overview and "Internt för alla" not in overview
    assert "Till alla grupper av typen" not in overview


def test_the_group_feed_is_atom_with_only_public_published_news(client, world, every_tier):
    """The group's Atom feed parses, is Swedish, links to the group's public page, and carries
    only its public news whose time has come."""
    group = world["group_a"]
    feed = parsed_feed(client, reverse("portal:news_feed_group", kwargs=slugs(group)))
    assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == "sv"
    assert entry_titles(feed) == ["Nyhet på nivån public"]
    links = [link.get("href") for link in feed.findall(f"{ATOM}link")]
    assert "http://testserver" + group.get_absolute_url() in links
    entry = next(feed.iter(f"{ATOM}entry"))
    assert "Andra stycket." in entry.findtext(f"{ATOM}summary")
    assert feed.find(f"{ATOM}author").findtext(f"{ATOM}name")  # the municipality, no person


def test_the_portal_feed_has_every_public_news_item_and_nothing_else(client, world, every_tier):
    """The feed of everything carries the public news of groups, kinds and the whole portal."""
    NewsItemFactory(group=None, kind=world["kind"], title="Typens nyhet")
    NewsItemFactory(group=None, title="Portalens nyhet")
    NewsItemFactory(group=None, title="Intern portalnyhet", visibility=Visibility.NETWORK)
    titles = entry_titles(parsed_feed(client, reverse("portal:news_feed_all")))
    assert sorted(titles) == sorted(
        ["Nyhet på nivån public", "Sjöbos nyhet", "Typens nyhet", "Portalens nyhet"]
    )


def test_an_inactive_groups_news_are_in_no_feed(client, world):
    """When a group is no longer active, its news leave the feed of everything; its own feed
    is gone."""
    group = world["group_a"]
    NewsItemFactory(group=group, title="Gammal nyhet")
    group.active = False
    group.save()
    assert entry_titles(parsed_feed(client, reverse("portal:news_feed_all"))) == []
    assert client.get(reverse("portal:news_feed_group", kwargs=slugs(group))).status_code == 404


def test_a_scheduled_item_appears_on_time_though_the_pages_are_cached(client, world):
    """A scheduled public item is on no public page nor feed before its time, and on them once
    its time has come – although nothing changed in between and the pages were cached."""
    group = world["group_a"]
    due = timezone.now() + datetime.timedelta(seconds=2)
    NewsItemFactory(group=group, title="Precis i tid", published_at=due)
    urls = [
        group.get_absolute_url(),
        reverse("portal:group_news", kwargs=slugs(group)),
        reverse("portal:news_feed_group", kwargs=slugs(group)),
        reverse("portal:news_feed_all"),
    ]
    for url in urls:
        assert "Precis i tid" not in text(client.get(url)), url
        assert "Precis i tid" not in text(client.get(url)), url  # now from the cache
    time.sleep(max(0, (due - timezone.now()).total_seconds()) + 0.2)
    for url in urls:
        assert "Precis i tid" in text(client.get(url)), url


def test_a_page_showing_news_is_cached_no_longer_than_the_next_item_is_due(client, world):
    """The cached copy of a page showing news ends when the next scheduled public item is
    published; without one it is kept the usual time."""
    group = world["group_a"]
    url = group.get_absolute_url()
    key = _key(RequestFactory().get(url))
    client.get(url)
    assert cache.get(key)[3] > time.time() + DEFAULT_SECONDS - 60
    due = timezone.now() + datetime.timedelta(seconds=90)
    NewsItemFactory(group=group, title="Snart", published_at=due)
    client.get(url)
    assert cache.get(key)[3] == due.timestamp()
