"""The news pages cost a fixed number of queries, however many news there are."""

import pytest
from django.urls import reverse

from networks.models import Visibility
from news.models import NewsItem
from portal.public_cache import bump_data_version
from tests.factories.news import NewsItemFactory

pytestmark = pytest.mark.django_db

# session + user + the role (auth groups, organisation and forums in one query; roles in
# groups in another) + municipality (context processor) + the years with news + the filter's
# groups + the page's count + the page's news with their owners
NEWS_LIST_QUERIES = 9
# municipality + group with kind and organisation + districts + consenting contacts + its next
# meetings + its latest public documents + its latest public news + when the next scheduled
# public news item is due
GROUP_PAGE_QUERIES = 8
# municipality + group with kind + the count + the page's news + the next one due
GROUP_NEWS_QUERIES = 5
# group with kind + its latest public news + municipality (the feed's author) + the next due
GROUP_FEED_QUERIES = 4


def add_news(world, count):
    """Give group A, group B, the kind and the portal `count` news each, at every tier."""
    tiers = Visibility.values
    owners = [
        {"group": world["group_a"]},
        {"group": world["group_b"]},
        {"group": None, "kind": world["kind"]},
        {"group": None},
    ]
    NewsItem.objects.bulk_create(
        NewsItemFactory.build(visibility=tiers[n % len(tiers)], **owner)
        for owner in owners
        for n in range(count)
    )
    bump_data_version()


@pytest.mark.parametrize("count", [3, 30])
def test_the_news_list_costs_the_same_queries_at_any_size(world, as_role, query_count, count):
    """At 12 and at 120 news the news list runs the same queries."""
    add_news(world, count)
    client = as_role("municipal_coordinator")
    queries, _content = query_count.page(client, reverse("news:news_list"))
    assert queries == NEWS_LIST_QUERIES


@pytest.mark.parametrize("count", [3, 30])
def test_the_public_news_pages_cost_the_same_queries_at_any_size(client, world, query_count, count):
    """At 12 and at 120 news the group page, its news page and its feed run the same queries."""
    add_news(world, count)
    group = world["group_a"]
    slugs = {"kind_slug": group.kind.slug, "group_slug": group.slug}
    assert query_count.page(client, group.get_absolute_url())[0] == GROUP_PAGE_QUERIES
    news_page = reverse("portal:group_news", kwargs=slugs)
    assert query_count.page(client, news_page)[0] == GROUP_NEWS_QUERIES
    feed = reverse("portal:news_feed_group", kwargs=slugs)
    assert query_count.page(client, feed)[0] == GROUP_FEED_QUERIES
