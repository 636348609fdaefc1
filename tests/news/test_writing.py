"""Writing, changing and deleting news: who may write for whom, at which tier, and what a refusal
says."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from networks.forms import TIER_REFUSED
from networks.models import Visibility
from news.forms import OWNER_REFUSED
from news.models import NewsItem
from news.views import NOT_YOUR_NEWS
from tests.factories.news import NewsItemFactory
from tests.submitted import fresh_key
from tests.text import error_codes, sv

pytestmark = pytest.mark.django_db


def english(message) -> str:
    with translation.override("en"):
        return str(message)


def news_data(owner, **values):
    """Return what the news form posts: a public item published now, for `owner`."""
    return {
        **fresh_key(),
        "owner": owner,
        "title": "Sommarlovet",
        "body": "Första stycket.\n\nAndra stycket.",
        "visibility": Visibility.PUBLIC,
        "published_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        **values,
    }


def test_a_coordinator_writes_news_for_their_group(world, as_role):
    """A coordinator's news item is saved for their group, with them as its author."""
    client = as_role("municipal_coordinator")
    group = world["group_a"]
    response = client.post(reverse("news:news_create"), news_data(f"group:{group.pk}"))
    item = NewsItem.objects.get()
    assert response.status_code == 302 and response["Location"] == item.get_absolute_url()
    assert (item.group, item.kind, item.author) == (
        group,
        None,
        world["users"]["municipal_coordinator"],
    )


def test_a_coordinator_cannot_write_for_another_group(world, as_role):
    """Naming another group is refused beside the owner field, in Swedish; nothing is saved."""
    client = as_role("municipal_coordinator")
    response = client.post(reverse("news:news_create"), news_data(f"group:{world['group_b'].pk}"))
    assert response.status_code == 200
    assert sv(OWNER_REFUSED) in response.content.decode()
    assert sv(OWNER_REFUSED) != english(OWNER_REFUSED)  # the message is Swedish
    assert error_codes(response, "owner") == ["invalid_choice"]
    assert not NewsItem.objects.exists()


@pytest.mark.parametrize("owner", ["portal", "kind"])
def test_only_the_network_developer_writes_for_a_kind_or_the_whole_portal(world, as_role, owner):
    """A coordinator cannot write for a whole kind or the whole portal; the developer can."""
    value = "portal" if owner == "portal" else f"kind:{world['kind'].pk}"
    response = as_role("municipal_coordinator").post(reverse("news:news_create"), news_data(value))
    assert response.status_code == 200 and error_codes(response, "owner") == ["invalid_choice"]
    assert not NewsItem.objects.exists()
    response = as_role("developer").post(reverse("news:news_create"), news_data(value))
    assert response.status_code == 302
    item = NewsItem.objects.get()
    assert item.group is None
    assert item.kind == (world["kind"] if owner == "kind" else None)


@pytest.mark.parametrize("tier", [Visibility.CONFIDENTIAL, Visibility.RESTRICTED])
def test_an_association_coordinator_cannot_choose_a_tier_above_their_reach(world, as_role, tier):
    """A coordinator not bound by secrecy is refused the confidential and restricted tiers, in
    Swedish beside the field; nothing is saved."""
    client = as_role("association_coordinator")
    group = world["group_a"]
    response = client.post(
        reverse("news:news_create"), news_data(f"group:{group.pk}", visibility=tier)
    )
    assert response.status_code == 200
    assert sv(TIER_REFUSED) in response.content.decode()
    assert sv(TIER_REFUSED) != english(TIER_REFUSED)
    assert error_codes(response, "visibility") == ["invalid_choice"]
    assert not NewsItem.objects.exists()


def test_the_tier_field_offers_only_the_tiers_one_reaches(world, as_role):
    """The association coordinator is offered public and network, the municipal one all four."""
    page = as_role("association_coordinator").get(reverse("news:news_create")).content.decode()
    assert 'value="network"' in page and 'value="confidential"' not in page
    page = as_role("municipal_coordinator").get(reverse("news:news_create")).content.decode()
    assert 'value="restricted"' in page


def test_a_municipal_coordinator_may_write_restricted_news(world, as_role):
    """A coordinator bound by secrecy may write news only the group's coordinators read."""
    client = as_role("municipal_coordinator")
    data = news_data(f"group:{world['group_a'].pk}", visibility=Visibility.RESTRICTED)
    assert client.post(reverse("news:news_create"), data).status_code == 302
    assert NewsItem.objects.get().visibility == Visibility.RESTRICTED


def test_a_coordinator_cannot_change_another_groups_news(world, as_role):
    """Changing or deleting another group's news item is refused with a reason; it stays."""
    item = NewsItemFactory(group=world["group_b"], title="Sjöbos nyhet")
    client = as_role("municipal_coordinator")
    edit = reverse("news:news_edit", kwargs={"pk": item.pk})
    response = client.post(edit, news_data(f"group:{world['group_a'].pk}", title="Kapad"))
    assert response.status_code == 403
    assert sv(NOT_YOUR_NEWS) in response.content.decode()
    delete = reverse("news:news_delete", kwargs={"pk": item.pk})
    assert client.post(delete).status_code == 403
    item.refresh_from_db()
    assert (item.title, item.group) == ("Sjöbos nyhet", world["group_b"])


def test_a_coordinator_changes_and_deletes_their_groups_news(world, as_role):
    """A coordinator changes the text and the time of their group's item, then deletes it."""
    item = NewsItemFactory(group=world["group_a"])
    client = as_role("association_coordinator")
    later = timezone.localtime() + datetime.timedelta(days=3)
    data = news_data(
        f"group:{world['group_a'].pk}",
        title="Ny rubrik",
        published_at=later.strftime("%Y-%m-%dT%H:%M"),
    )
    response = client.post(reverse("news:news_edit", kwargs={"pk": item.pk}), data)
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.title == "Ny rubrik" and item.is_scheduled
    assert timezone.localtime(item.published_at).strftime("%Y-%m-%d %H:%M") == later.strftime(
        "%Y-%m-%d %H:%M"
    )
    response = client.post(reverse("news:news_delete", kwargs={"pk": item.pk}))
    assert response.status_code == 302 and not NewsItem.objects.exists()


def test_an_absurd_publication_time_is_refused(world, as_role):
    """A publication time centuries away is a typing mistake, said beside the field."""
    client = as_role("developer")
    data = news_data("portal", published_at="2999-01-01T10:00")
    response = client.post(reverse("news:news_create"), data)
    assert response.status_code == 200
    assert error_codes(response, "published_at") == ["implausible_date"]
    assert not NewsItem.objects.exists()


def test_the_body_is_plain_text_never_html(world, client):
    """A news text with markup is shown as text, in paragraphs: never run as HTML."""
    item = NewsItemFactory(
        group=world["group_a"], body="<script>alert(1)</script>\n\n<b>Fet</b> text"
    )
    html = client.get(item.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in html and "<b>Fet</b>" not in html
    assert "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>" in html
    group_page = client.get(world["group_a"].get_absolute_url()).content.decode()
    assert "<b>Fet</b>" not in group_page and "&lt;b&gt;Fet&lt;/b&gt; text" in group_page


def test_the_model_refuses_a_group_and_a_kind_at_once(world):
    """A news item belongs to a group, a kind or the portal – never to a group and a kind."""
    from django.core.exceptions import ValidationError
    from django.db import IntegrityError, transaction

    item = NewsItem(group=world["group_a"], kind=world["kind"], title="x", body="y")
    with pytest.raises(ValidationError):
        item.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        item.save()


def test_a_persons_export_lists_the_news_they_wrote(world, as_role):
    """The personal-data export of a coordinator names the news items they wrote."""
    from networks.personal_data import person_export

    user = world["users"]["municipal_coordinator"]
    client = as_role("municipal_coordinator")
    client.post(reverse("news:news_create"), news_data(f"group:{world['group_a'].pk}"))
    records = person_export(user.person)["records"]
    assert [record["text"] for record in records["news_written"]] == ["Sommarlovet"]
    assert records["changes_in_history"]["news.NewsItem"] == 1
