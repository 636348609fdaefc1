"""The demo's news: a public and a network item of Boda and a public one of the whole portal."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from networks.models import Visibility
from news.models import NewsItem

pytestmark = pytest.mark.django_db


def test_the_demo_has_news_at_two_tiers_and_loads_them_once(client):
    """Loading the demo gives Boda a public and a network news item and the portal a public
    one; the public ones are on the public pages, and a second load adds nothing."""
    call_command("loaddemo", stdout=io.StringIO())
    boda = NewsItem.objects.filter(group__slug="boda", group__kind__slug="barn-och-unga")
    assert sorted(boda.values_list("visibility", flat=True)) == [
        Visibility.NETWORK,
        Visibility.PUBLIC,
    ]
    portal = NewsItem.objects.portal_wide().get()
    assert portal.is_public and not portal.is_scheduled
    assert all(item.author is not None for item in NewsItem.objects.all())

    public = boda.get(visibility=Visibility.PUBLIC)
    network = boda.get(visibility=Visibility.NETWORK)
    group_page = client.get(public.group.get_absolute_url()).content.decode()
    assert public.title in group_page and network.title not in group_page
    assert portal.title in client.get(reverse("portal:overview")).content.decode()

    call_command("loaddemo", stdout=io.StringIO())
    assert NewsItem.objects.count() == 3
