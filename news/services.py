"""Writes to news. Views validate with a form, then call these."""

from django.db import transaction

from core.services import model_update

from .models import NewsItem

NEWS_FIELDS = ("group", "kind", "title", "body", "visibility", "published_at")


def news_item_create(*, author=None, **values) -> NewsItem:
    """Create a news item from validated values; `author` is the user who wrote it."""
    return model_update(instance=NewsItem(author=author), fields=NEWS_FIELDS, data=values)


def news_item_update(*, item: NewsItem, **values) -> NewsItem:
    """Change a news item (its owner, text, tier or publication time)."""
    return model_update(instance=item, fields=NEWS_FIELDS, data=values)


@transaction.atomic
def news_item_delete(*, item: NewsItem) -> None:
    """Delete a news item; its history of changes stays."""
    item.delete()
