"""The cache of public pages: for anonymous visitors, never stale, never for a logged-in user."""

import datetime

import pytest
from django.core.cache import cache
from django.http import HttpResponse
from django.test import RequestFactory, override_settings
from django.urls import reverse
from django.utils import timezone

from networks.models import GroupRole, NetworkGroup
from networks.permissions import Role
from portal.public_cache import _key, bump_data_version, public_page
from tests.factories.accounts import user_with_role
from tests.factories.meetings import MeetingFactory
from tests.factories.networks import (
    DistrictFactory,
    GroupRoleFactory,
    MunicipalityFactory,
    NetworkGroupFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def group():
    MunicipalityFactory()
    group = NetworkGroupFactory(name="Boda", districts=[DistrictFactory(name="Bodaskolan")])
    GroupRoleFactory(group=group, role=GroupRole.Role.CONVENER, person__name="Kim Sammankallande")
    return group


def get(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_a_repeated_public_page_costs_no_database_query(client, query_count, group):
    """The second anonymous request of a public page comes from the cache: no query at all."""
    for url in (
        reverse("portal:overview"),
        group.kind.get_absolute_url(),
        group.get_absolute_url(),
        reverse("portal:search") + "?q=bodaskolan",
        reverse("portal:published_list"),
    ):
        rendered, first = query_count.page(client, url)
        assert rendered > 0, url
        cached, second = query_count.page(client, url)
        assert cached == 0, url
        assert second == first, url


def test_a_renamed_group_shows_at_once(client, group):
    """Renaming a group changes the cached overview, kind page, group page and search at once."""
    urls = [
        reverse("portal:overview"),
        group.kind.get_absolute_url(),
        group.get_absolute_url(),
        reverse("portal:search") + "?q=bodaskolan",
    ]
    for url in urls:
        assert "Boda" in get(client, url)
    group.name = "Bodagruppen"
    group.save()
    for url in urls:
        assert "Bodagruppen" in get(client, url), url


def test_an_added_meeting_shows_at_once(client, group):
    """A meeting planned after the group page was cached is on the page at the next request."""
    place = "Biblioteket i Boda"
    assert place not in get(client, group.get_absolute_url())
    MeetingFactory(group=group, place=place, date=timezone.localdate() + datetime.timedelta(days=3))
    assert place in get(client, group.get_absolute_url())


def test_a_withdrawn_consent_hides_the_contact_at_once(client, group):
    """When a contact withdraws consent, the cached group page stops showing them at once."""
    assert "Kim Sammankallande" in get(client, group.get_absolute_url())
    person = group.roles.get().person
    person.public_consent = False
    person.save()
    assert "Kim Sammankallande" not in get(client, group.get_absolute_url())


def test_a_removed_district_is_no_longer_found(client, group):
    """Taking a district from a group (a many-to-many change) empties the cached search."""
    url = reverse("portal:search") + "?q=bodaskolan"
    assert group.get_absolute_url() in get(client, url)
    group.districts.clear()
    assert group.get_absolute_url() not in get(client, url)


def test_a_deactivated_group_disappears_at_once(client, group):
    """A group made inactive leaves the cached overview, and its cached page answers 404."""
    assert group.get_absolute_url() in get(client, reverse("portal:overview"))
    get(client, group.get_absolute_url())
    group.active = False
    group.save()
    assert group.get_absolute_url() not in get(client, reverse("portal:overview"))
    assert client.get(group.get_absolute_url()).status_code == 404


def test_logged_in_users_never_get_the_anonymous_copy(client, group):
    """Staff see internal meetings in the calendar, though anonymous visitors' copy is cached."""
    today = timezone.localdate()
    MeetingFactory(group=group, date=today, place="Hemligt rum", visibility="confidential")
    url = reverse("portal:calendar_month", kwargs={"year": today.year, "month": today.month})
    assert "Hemligt rum" not in get(client, url)
    client.force_login(user_with_role(Role.NETWORK_DEVELOPER))
    assert "Hemligt rum" in get(client, url)


def test_a_logged_in_users_page_is_never_kept_for_others(client, group):
    """A page rendered for a logged-in user is never served to an anonymous visitor."""
    today = timezone.localdate()
    MeetingFactory(group=group, date=today, place="Hemligt rum", visibility="confidential")
    url = reverse("portal:calendar_month", kwargs={"year": today.year, "month": today.month})
    client.force_login(user_with_role(Role.NETWORK_DEVELOPER))
    assert "Hemligt rum" in get(client, url)
    client.logout()
    client.cookies.clear()
    assert "Hemligt rum" not in get(client, url)


def test_a_response_that_sets_a_cookie_is_not_kept():
    """A response setting a cookie is rendered anew for every visitor, never shared."""
    calls = []

    @public_page
    def view(request):
        calls.append(request)
        response = HttpResponse(f"call {len(calls)}")
        response.set_cookie("personal", str(len(calls)))
        return response

    factory = RequestFactory()
    assert view(factory.get("/sida/")).content == b"call 1"
    assert view(factory.get("/sida/")).content == b"call 2"


def test_posts_and_other_addresses_are_not_served_from_the_cache():
    """Only GET of the same address and query string is answered from the cache."""
    calls = []

    @public_page
    def view(request):
        calls.append(request)
        return HttpResponse(f"{request.method} {request.GET.get('q', '')} {len(calls)}")

    factory = RequestFactory()
    assert view(factory.get("/sida/?q=a")).content == b"GET a 1"
    assert view(factory.get("/sida/?q=a")).content == b"GET a 1"
    assert view(factory.get("/sida/?q=b")).content == b"GET b 2"
    assert view(factory.post("/sida/?q=a")).content == b"POST a 3"


def test_saving_data_the_public_pages_do_not_show_keeps_the_cache(client, query_count, group):
    """Only data the public pages show empties the cache: a user's login does not."""
    url = reverse("portal:overview")
    get(client, url)
    user_with_role(Role.HEAD_OF_ADMINISTRATION)
    assert query_count.page(client, url)[0] == 0


def test_a_change_made_by_another_process_reaches_this_ones_copy(client, query_count, group):
    """Each process keeps the pages it served in its own memory too; a change saved through
    another process (which only moves the shared data version on) still shows at the next
    request here, and the page comes from this process's memory without the shared copy."""
    url = group.get_absolute_url()
    get(client, url)
    cache.delete(_key(RequestFactory().get(url)))  # the shared copy is gone
    assert query_count.page(client, url)[0] == 0  # served from this process's memory
    NetworkGroup.objects.filter(pk=group.pk).update(name="Bodagruppen")  # as another process
    assert "Bodagruppen" not in get(client, url)  # no signal here: the version did not move
    bump_data_version()  # what the other process's save does to the shared cache
    assert "Bodagruppen" in get(client, url)


@override_settings(PUBLIC_PAGE_CACHE_SECONDS=0)
def test_a_copy_lives_no_longer_than_its_time(client, query_count, group):
    """Upcoming meetings move with the date: no copy, shared or in memory, outlives its time."""
    url = group.get_absolute_url()
    get(client, url)
    assert query_count.page(client, url)[0] > 0
