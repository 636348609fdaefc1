"""The news journeys in Chromium, every page checked on the way (axe, one h1, reflow, skip link;
the Nu checker at the end): a resident reads a group's news and follows its feed; a coordinator
writes, reads and deletes a news item."""

import re
import xml.etree.ElementTree as ET

import pytest

from news.models import NewsItem
from tests.text import sv

from .conftest import PHONE
from .test_journeys import choose_option, submit

pytestmark = pytest.mark.django_db(transaction=True)

ATOM = "{http://www.w3.org/2005/Atom}"


def test_a_resident_reads_a_groups_news_and_follows_its_feed(pages):
    """Boda's page shows its public news; its news page lists them; the "follow" link is an
    Atom feed of the public news only – no account needed."""
    public = NewsItem.objects.get(group__slug="boda", visibility="public")
    network = NewsItem.objects.get(group__slug="boda", visibility="network")
    tab = pages("news-resident")
    page = tab.visit("/lokalsamverkan/barn-och-unga/boda/", "group with news")
    news = page.get_by_role("region", name=sv("News"), exact=True)
    assert public.title in news.inner_text()
    assert network.title not in page.content()
    tab.snap("group-news-section")

    news.get_by_role("link", name=sv("All news from %(group)s", group="Boda")).click()
    page.wait_for_url(re.compile(r"/boda/nyheter/$"))
    tab.check("group news page")
    assert page.get_by_role("heading", level=1).inner_text() == sv(
        "News from %(group)s", group="Boda"
    )
    assert page.get_by_role("article", name=public.title).is_visible()
    tab.snap("group-news-page")

    follow = page.get_by_role("link", name=sv("Follow the news (Atom)"))
    assert follow.get_attribute("type") == "application/atom+xml"
    alternate = page.locator('head link[rel="alternate"][type="application/atom+xml"]')
    assert alternate.get_attribute("href") == follow.get_attribute("href")
    feed = tab.context.request.get(follow.get_attribute("href"))
    assert feed.ok and feed.headers["content-type"].startswith("application/atom+xml")
    root = ET.fromstring(feed.body())
    titles = [entry.findtext(f"{ATOM}title") for entry in root.iter(f"{ATOM}entry")]
    assert titles == [public.title]
    tab.assert_clean()


def test_a_coordinator_writes_reads_and_deletes_a_news_item(pages):
    """At 375 px: from Mina nätverk to Boda's news, a refused form said beside its field, the
    item saved, shown, then deleted."""
    tab = pages("news-coordinator", viewport=PHONE)
    page = tab.visit("/konto/logga-in/", "login")
    page.get_by_label(sv("username")).fill("samordnare")
    page.get_by_label(sv("Password")).fill("demo")
    page.get_by_role("button", name=sv("Log in")).click()
    page.wait_for_url(re.compile(r"/mina-natverk/$"))

    page.get_by_role("link", name=re.compile(rf"^{sv('News')}\W*Boda$")).click()
    page.wait_for_url(re.compile(r"/nyheter/\?group=\d+$"))
    tab.check("news list")
    tab.snap("news-list")

    page.get_by_role("link", name=sv("Write a news item")).first.click()
    page.wait_for_url(re.compile(r"/nyheter/ny/"))
    tab.check("news form")
    choose_option(page.get_by_label(sv("Whose news")), "Boda")
    page.get_by_label(sv("text")).fill("Första stycket.\n\nAndra stycket.")
    submit(page, sv("Save"), r"/nyheter/ny/")  # the title is missing
    tab.check("news form with an error")
    assert page.locator(".invalid-feedback").count() >= 1
    tab.snap("news-form-error")

    page.get_by_label(sv("title")).fill("Öppet hus på fritidsgården")
    submit(page, sv("Save"), r"/nyheter/\d+/$")
    tab.check("news item")
    assert page.get_by_role("heading", level=1).inner_text() == "Öppet hus på fritidsgården"
    tab.snap("news-item")

    page.get_by_role("link", name=re.compile(f"^{sv('Delete')}")).click()
    page.wait_for_url(re.compile(r"/ta-bort/$"))
    tab.check("delete news item")
    submit(page, sv("Yes, delete the news item"), r"/nyheter/$")
    assert not NewsItem.objects.filter(title="Öppet hus på fritidsgården").exists()
    tab.assert_clean()
