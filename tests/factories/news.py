import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from networks.models import Visibility
from news.models import NewsItem
from tests.factories.networks import NetworkGroupFactory


class NewsItemFactory(DjangoModelFactory):
    """A public news item of a group, published an hour ago."""

    class Meta:
        model = NewsItem

    group = factory.SubFactory(NetworkGroupFactory)
    title = factory.Sequence(lambda n: f"Nyhet nummer {n}")
    body = "Första stycket.\n\nAndra stycket."
    visibility = Visibility.PUBLIC
    published_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(hours=1))
