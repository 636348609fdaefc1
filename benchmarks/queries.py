"""Count the database queries of each page, and name the pages the load test requests.

    .venv/bin/python benchmarks/queries.py --database-url postgres://…/lokalsamverkan_bench

Runs Django's test client against the database (with the benchmark settings and their Redis
cache) and prints JSON: for every page its address, its size and its queries – for the public
pages both when rendered (a cache miss) and when served from the cache of public pages (a hit);
the coordinator's pages are never cached. Also prints a session of the coordinator `samordnare`
(made as a login would) and the form fields for posting a meeting, for the load test.
"""

import argparse
import datetime
import json
import sys
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.synthetic import COORDINATOR, setup_django  # noqa: E402


def targets() -> dict:
    """Return the addresses to measure: the coordinator's first group, its kind, a district."""
    from django.contrib.auth import get_user_model
    from django.urls import reverse
    from django.utils import timezone

    from meetings.models import Activity
    from networks.models import GroupRole, NetworkGroup

    user = get_user_model().objects.get(username=COORDINATOR)
    group = (
        NetworkGroup.objects.active()
        .filter(roles__person__user=user, roles__role__in=GroupRole.CONTACT_ROLES)
        .select_related("kind")
        .order_by("pk")
        .first()
    )
    district = group.districts.order_by("name").first()
    today = timezone.localdate()
    latest_activity = Activity.objects.latest("start_date").start_date
    group_args = {"kind_slug": group.kind.slug, "group_slug": group.slug}
    public = {
        "overview": reverse("portal:overview"),
        "kind": group.kind.get_absolute_url(),
        "group": group.get_absolute_url(),
        "search": reverse("portal:search") + "?" + urlencode({"q": district.name.lower()}),
        "group_feed": reverse("portal:feed_group", kwargs=group_args),
        "kind_feed": reverse("portal:feed_kind", kwargs={"kind_slug": group.kind.slug}),
        "all_feed": reverse("portal:feed_all"),
        "year_calendar": reverse("portal:year_grid", kwargs={"year": today.year}),
        "month_calendar": reverse(
            "portal:calendar_month", kwargs={"year": today.year, "month": today.month}
        ),
        "published_reports": reverse("portal:published_list"),
    }
    coordinator = {
        "my_networks": reverse("meetings:my_networks"),
        "meeting_list": reverse("meetings:meeting_list"),
        "meeting_form": reverse("meetings:meeting_create"),
        # The latest year with activities: the demo has none this year, and an empty list
        # skips the queries of its rows.
        "activity_list": reverse("meetings:activity_list") + f"?year={latest_activity.year}",
        "budget": reverse("budget:overview", kwargs={"year": timezone.localdate().year}),
    }
    return {
        "user": user,
        "group": group,
        "public": public,
        "coordinator": {k: v for k, v in coordinator.items() if v},
        "meeting_form": {
            "owner": f"group:{group.pk}",
            "status": "planned",
            "date": (today + datetime.timedelta(days=30)).isoformat(),
            "start_time": "18:00",
            "end_time": "19:30",
            "place": "Lokal 1",
            "type": "ordinary",
            "notes_visibility": "internal",
        },
    }


def measure(client, url: str) -> tuple[int, int, int]:
    """Return the status, the size and the number of queries of one GET."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, secure=True)
    body = b"".join(response) if response.streaming else response.content
    return response.status_code, len(body), len(queries)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    args = parser.parse_args(argv)
    setup_django(args.database_url)
    from django.conf import settings
    from django.middleware.csrf import _get_new_csrf_string
    from django.test import Client

    from portal.public_cache import bump_data_version

    found = targets()
    bump_data_version()
    pages = {}
    anonymous = Client()
    for name, url in found["public"].items():
        status, size, rendered = measure(anonymous, url)
        _status, _size, cached = measure(anonymous, url)
        pages[name] = {
            "url": url,
            "status": status,
            "bytes": size,
            "queries": rendered,
            "queries_cached": cached,
        }
    coordinator = Client()
    coordinator.force_login(found["user"])
    for name, url in found["coordinator"].items():
        status, size, queries = measure(coordinator, url)
        pages[name] = {"url": url, "status": status, "bytes": size, "queries": queries}
    # A fresh session for the load test, as logging in makes one.
    session = Client()
    session.force_login(found["user"])
    print(
        json.dumps(
            {
                "pages": pages,
                "session_cookie": f"{settings.SESSION_COOKIE_NAME}="
                f"{session.cookies[settings.SESSION_COOKIE_NAME].value}",
                "csrf_secret": _get_new_csrf_string(),
                "csrf_cookie_name": settings.CSRF_COOKIE_NAME,
                "meeting_form": found["meeting_form"],
                "meeting_create_url": found["coordinator"]["meeting_form"],
            }
        )
    )


if __name__ == "__main__":
    main()
