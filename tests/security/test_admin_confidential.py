"""No admin page answers a question about a text its user may not read.

A model's `confidential_fields` (a meeting's agenda, notes and follow-up) are read only by those
allowed to (networks.permissions.can_view_notes). Whether a row is listed, found or sorted first
tells what such a text says, so for anyone who may not read them all, every admin list refuses a
filter in the address that reaches one, also through relations, and searches, sorts and
autocompletes the same whatever the texts say. Checked as the head of administration on every
model registered in the admin, so a new admin, filter or search field is checked too.
"""

import pytest
from django.contrib import admin
from django.urls import reverse

from meetings.models import Meeting, MeetingSeries, Visibility
from networks.models import Forum
from networks.permissions import Role
from tests.factories.accounts import user_with_role
from tests.factories.budget import ApplicationFactory, ExpenseFactory
from tests.factories.meetings import ActivityFactory, MeetingFactory
from tests.factories.networks import (
    DistrictFactory,
    NetworkGroupFactory,
    NetworkKindFactory,
    OrganisationFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db

# The texts of side A's restricted meetings start with "Alfa", side B's with "Beta"; the
# values below match side A's only (and "B" lies between the two).
LOOKUPS = {
    "": "Alfa notes",
    "__icontains": "alfa",
    "__regex": "^Alfa",
    "__startswith": "Alfa",
    "__gt": "B",
}


# What the test knows to be confidential, whatever the models declare.
TEXTS = ("agenda", "notes", "follow_up")


def confidential_fields(model) -> set[str]:
    return set(getattr(model, "confidential_fields", ())) | set(TEXTS if model is Meeting else ())


def confidential_paths(model, hops=2, prefix=""):
    """Yield every lookup path from `model` to a confidential field, over up to `hops` relations."""
    for field in model._meta.get_fields():
        if field.name in confidential_fields(model):
            yield prefix + field.name
        elif field.related_model is not None and hops:
            yield from confidential_paths(field.related_model, hops - 1, f"{prefix}{field.name}__")


def admin_url(model, page="changelist") -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{page}")


def rows_seen(client, url, params) -> tuple:
    """Return the answer's status and the rows it lists (ids, in order), or fail on a 5xx."""
    response = client.get(url, params)
    assert response.status_code < 500, f"{url} {params}: {response.status_code}"
    if response.get("Content-Type", "").startswith("application/json"):
        return response.status_code, tuple(item["id"] for item in response.json()["results"])
    changelist = (response.context or {}).get("cl")
    rows = tuple(row.pk for row in changelist.result_list) if changelist else None
    return response.status_code, rows


@pytest.fixture
def sides():
    """Two sides, each with a restricted meeting of a group, of a forum and of a kind, and rows
    of the models around them (series, organisations, people, activities, spending)."""
    pairs = []
    for side, word in (("a", "Alfa"), ("b", "Beta")):
        kind = NetworkKindFactory()
        organisation = OrganisationFactory()
        group = NetworkGroupFactory(
            kind=kind, running_organisation=organisation, districts=[DistrictFactory()]
        )
        forum = Forum.objects.create(name=f"Forum {side}", slug=f"forum-{side}")
        series = MeetingSeries.objects.create(description=f"Serie {side}")
        texts = {name: f"{word} {name}" for name in TEXTS}
        restricted = {"notes_visibility": Visibility.RESTRICTED, **texts}
        group_meeting = MeetingFactory(group=group, series=series, **restricted)
        group_meeting.organisations.set([organisation])
        pairs.append(
            [
                group_meeting,
                MeetingFactory(group=None, forum=forum, **restricted),
                MeetingFactory(group=None, kind=kind, **restricted),
            ]
        )
        PersonFactory(organisation=organisation)
        ActivityFactory(group=group).partners.set([organisation])
        ExpenseFactory(group=group)
        ApplicationFactory(group=group)
    return list(zip(*pairs, strict=True))


def swap_texts(pairs):
    """Give each side's meeting the other side's confidential texts."""
    for a, b in pairs:
        Meeting.objects.filter(pk=a.pk).update(**{name: getattr(b, name) for name in TEXTS})
        Meeting.objects.filter(pk=b.pk).update(**{name: getattr(a, name) for name in TEXTS})


def test_meetings_declare_their_confidential_texts():
    """The agenda, notes and follow-up points are what the admin must not test."""
    assert set(TEXTS) <= set(Meeting.confidential_fields)


def test_every_filter_on_a_confidential_field_is_refused(client, sides):
    """As the head of administration, every admin list answers a filter that reaches a
    confidential field (on its model or through relations) with 400, never with a listing."""
    client.force_login(user_with_role(Role.HEAD_OF_ADMINISTRATION))
    answered = {}
    for model in admin.site._registry:
        url = admin_url(model)
        for path in sorted(set(confidential_paths(model))):
            for lookup, value in LOOKUPS.items():
                status, rows = rows_seen(client, url, {path + lookup: value})
                if status not in (400, 403):
                    answered[f"{model._meta.label}?{path}{lookup}"] = (status, rows)
    assert not answered, f"Filters on texts the user may not read answered: {answered}"


def search_sort_and_autocomplete():
    """Yield (url, params) of the search and every column sort of each admin list from which
    a confidential field can be reached, and of the autocompletes."""
    for model, model_admin in admin.site._registry.items():
        if not any(confidential_paths(model)):
            continue
        url = admin_url(model)
        yield url, {"q": "alfa"}
        # Sorted ascending or descending, a sort by a text orders the sides by it alike.
        for column in range(len(model_admin.list_display)):
            yield url, {"o": str(column)}
        for field in model_admin.autocomplete_fields:
            yield (
                reverse("admin:autocomplete"),
                {
                    "app_label": model._meta.app_label,
                    "model_name": model._meta.model_name,
                    "field_name": field,
                    "term": "alfa",
                },
            )


def test_search_sort_and_autocomplete_do_not_depend_on_confidential_texts(client, sides):
    """As the head of administration, every admin search, sort and autocomplete answers the
    same when the two sides' restricted texts are swapped."""
    client.force_login(user_with_role(Role.HEAD_OF_ADMINISTRATION))
    queries = list(search_sort_and_autocomplete())
    before = [rows_seen(client, url, params) for url, params in queries]
    swap_texts(sides)
    after = [rows_seen(client, url, params) for url, params in queries]
    differ = [
        (url, params, seen, seen_after)
        for (url, params), seen, seen_after in zip(queries, before, after, strict=True)
        if seen != seen_after
    ]
    assert not differ, f"Answers that depend on texts the user may not read: {differ}"


def test_head_of_administration_reads_no_restricted_text_in_the_admin_form(client, sides):
    """The change page of a restricted meeting shows none of its confidential texts."""
    meeting = sides[0][0]
    url = reverse("admin:meetings_meeting_change", args=[meeting.pk])
    client.force_login(user_with_role(Role.HEAD_OF_ADMINISTRATION))
    page = client.get(url).content.decode()
    assert not [name for name in TEXTS if f"Alfa {name}" in page]
    client.force_login(user_with_role(Role.NETWORK_DEVELOPER))
    page = client.get(url).content.decode()
    assert all(f"Alfa {name}" in page for name in TEXTS)


def test_the_network_developer_still_filters_and_searches_the_notes(client, sides):
    """Those who may read every note keep the filters and the search on them."""
    client.force_login(user_with_role(Role.NETWORK_DEVELOPER))
    side_a = {a.pk for a, _b in sides}
    url = admin_url(Meeting)
    for params in ({"notes__icontains": "alfa"}, {"agenda__regex": "^Alfa"}, {"q": "alfa"}):
        status, rows = rows_seen(client, url, params)
        assert (status, set(rows)) == (200, side_a), params
