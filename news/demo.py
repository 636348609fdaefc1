"""Load the news of a demo data set (its "news" section).

Called by `manage.py loaddemo` after the registry and its accounts are loaded. An entry names
its owner (`kind` and `group` for a group's news, `kind` alone for a whole kind's, neither for
the whole portal's), a title, a text, a tier (`visibility`, public by default), how many days
before the load it was published (`days_ago`, so the public pages always show recent news) and
optionally its author's user name. Loading twice creates nothing: an item is known by its
owner and title.
"""

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from core.demo import DemoDataError, LoadSummary, validated_save
from networks.models import NetworkGroup, NetworkKind, Visibility

from .models import NewsItem


def _owner(item: dict) -> dict:
    """Return the owner fields of a news entry."""
    if "group" in item:
        group = (
            NetworkGroup.objects.filter(kind__slug=item.get("kind"), slug=item["group"])
            .select_related("kind")
            .first()
        )
        if group is None:
            raise DemoDataError(f"Unknown group {item.get('kind')}/{item['group']}: {item}")
        return {"group": group, "kind": None}
    if "kind" in item:
        kind = NetworkKind.objects.filter(slug=item["kind"]).first()
        if kind is None:
            raise DemoDataError(f"Unknown kind {item['kind']!r}: {item}")
        return {"group": None, "kind": kind}
    return {"group": None, "kind": None}


def _author(item: dict):
    username = item.get("author")
    if not username:
        return None
    author = get_user_model().objects.filter(username=username).first()
    if author is None:
        raise DemoDataError(f"Unknown author {username!r}: add it to 'accounts'.")
    return author


@transaction.atomic
def demo_news_load(*, data: dict, now: datetime.datetime | None = None) -> LoadSummary:
    """Load the news of a demo data set; skip those already there. Any error saves nothing."""
    summary = LoadSummary()
    now = now or timezone.now()
    for item in data.get("news", []):
        owner = _owner(item)
        if item.get("visibility", Visibility.PUBLIC) not in Visibility.values:
            raise DemoDataError(f"Unknown tier {item['visibility']!r}: {item}")
        found = NewsItem.objects.filter(title=item["title"], **owner).exists()
        if not found:
            validated_save(
                NewsItem(
                    title=item["title"],
                    body=item["body"],
                    visibility=item.get("visibility", Visibility.PUBLIC),
                    published_at=now - datetime.timedelta(days=item.get("days_ago", 0)),
                    author=_author(item),
                    **owner,
                )
            )
        summary.count(NewsItem._meta.verbose_name_plural, not found)
    return summary
