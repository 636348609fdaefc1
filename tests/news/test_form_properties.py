"""Arbitrary input to the news forms never breaks them (as tests/security/test_form_properties.py
does for the other forms): saved whole and valid, or refused with the errors beside the fields
and not one row added or changed."""

import datetime
import html

import pytest
from django.db.models import Max
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from networks.models import Visibility
from news.models import NewsItem
from tests.factories.news import NewsItemFactory
from tests.security.test_form_properties import EXAMPLES, form_data, junk, texts
from tests.submitted import fresh_key

pytestmark = pytest.mark.django_db

moments = st.one_of(
    st.datetimes(
        min_value=datetime.datetime(2000, 1, 1), max_value=datetime.datetime(2035, 1, 1)
    ).map(lambda moment: moment.strftime("%Y-%m-%dT%H:%M")),
    st.datetimes().map(lambda moment: moment.strftime("%Y-%m-%dT%H:%M")),
    # The hour that does not exist when the clocks go forward, and absurd ones.
    st.sampled_from(
        ["2025-03-30T02:30", "0001-01-01T00:00", "9999-12-31T23:59", "2025-02-30T10:00"]
    ),
    junk,
)


def news_fields(world):
    group_a, group_b, kind = world["group_a"], world["group_b"], world["kind"]
    return {
        "owner": st.one_of(
            st.sampled_from(
                [f"group:{group_a.pk}", f"group:{group_b.pk}", f"kind:{kind.pk}", "portal"]
            ),
            junk,
        ),
        "title": texts,
        "body": texts,
        "visibility": st.one_of(st.sampled_from(Visibility.values), junk),
        "published_at": moments,
    }


def valid_news(world):
    return {
        **fresh_key(),
        "owner": f"group:{world['group_a'].pk}",
        "title": "Sommarlovet",
        "body": "Text.",
        "visibility": "public",
        "published_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
    }


def rows():
    return [
        [model_to_dict(obj) for obj in model.objects.order_by("pk")]
        for model in (NewsItem, NewsItem.history.model)
    ]


def check_post(client, url, data):
    """POST `data`; assert a valid item was saved, or errors shown beside the fields and
    nothing changed."""
    latest = NewsItem.objects.aggregate(latest=Max("pk"))["latest"] or 0
    before = rows()
    response = client.post(url, data)
    assert response.status_code in (200, 302), response.status_code
    if response.status_code == 302:
        for item in NewsItem.objects.filter(pk__gt=latest):
            item.full_clean()
        return
    assert rows() == before, "the form was refused but something was saved"
    form = response.context["form"]
    assert form.errors, "the form came back without saying what is wrong"
    page = html.unescape(response.content.decode())
    for field, errors in form.errors.items():
        if field != "__all__":
            assert f'id="id_{field}_error"' in page, f"the error of {field} is not beside it"
        for error in errors:
            assert error in page, f"the error of {field} is not shown: {error}"


@EXAMPLES
@given(data=st.data())
def test_the_news_forms_take_anything(world, as_role, data):
    """Any input to the news forms of an association coordinator: saved whole and valid (for
    their group, at a tier they reach), or refused with nothing saved."""
    post = data.draw(form_data(valid_news(world), news_fields(world)))
    client = as_role("association_coordinator")
    check_post(client, reverse("news:news_create"), post)
    item = NewsItem.objects.filter(group=world["group_a"]).first() or NewsItemFactory(
        group=world["group_a"]
    )
    check_post(client, reverse("news:news_edit", kwargs={"pk": item.pk}), post)
    for item in NewsItem.objects.all():
        item.full_clean()
        assert item.group == world["group_a"]
        assert item.visibility in (Visibility.PUBLIC, Visibility.NETWORK)
