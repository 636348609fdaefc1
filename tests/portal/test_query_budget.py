"""Every public page costs a fixed number of queries, however many groups there are."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings.models import Meeting, MeetingStatus
from networks.models import GroupRole
from tests.factories.networks import (
    DistrictFactory,
    GroupRoleFactory,
    MunicipalityFactory,
    NetworkGroupFactory,
    NetworkKindFactory,
)

pytestmark = pytest.mark.django_db

# Each page that shows news also asks for its latest public news and for when the next
# scheduled one is due (its cached copy ends then): two queries.
NEWS_QUERIES = 2
# municipality (context processor) + kinds + their active groups + the groups' districts
OVERVIEW_QUERIES = 4 + NEWS_QUERIES
# municipality + kind + its active groups + their districts + its next joint meetings
KIND_QUERIES = 5 + NEWS_QUERIES
# municipality + group with kind and organisation + districts + consenting contacts
# + its next meetings + its latest public documents (their versions only when there are some)
GROUP_QUERIES = 6 + NEWS_QUERIES
# municipality + matching groups with their kind + their districts
SEARCH_QUERIES = 3


def build_registry(group_count):
    """Make `group_count` groups in three kinds, each with districts and contacts."""
    MunicipalityFactory()
    kinds = NetworkKindFactory.create_batch(3)
    for n in range(group_count):
        group = NetworkGroupFactory(
            kind=kinds[n % 3],
            districts=[DistrictFactory(name=f"Område {n}a"), DistrictFactory(name=f"Område {n}b")],
        )
        GroupRoleFactory(group=group, role=GroupRole.Role.CONVENER)
        GroupRoleFactory(group=group, role=GroupRole.Role.CONTACT_PERSON)
        GroupRoleFactory(group=group, role=GroupRole.Role.MEMBER)
    add_meetings(group_count, group=group)
    add_meetings(group_count, kind=kinds[0])
    return kinds, group


def add_meetings(count, **owner):
    """Give `owner` `count` meetings ahead, some cancelled, some without a time."""
    today = timezone.localdate()
    Meeting.objects.bulk_create(
        Meeting(
            date=today + datetime.timedelta(days=n),
            start_time=datetime.time(15) if n % 3 else None,
            place=f"Plats {n}",
            status=MeetingStatus.CANCELLED if n % 7 == 0 else MeetingStatus.PLANNED,
            **owner,
        )
        for n in range(count)
    )


@pytest.mark.parametrize("group_count", [20, 200])
def test_public_pages_query_count_does_not_grow(client, query_count, group_count):
    """At 20 and at 200 groups (and meetings) each public page runs the same few queries."""
    kinds, group = build_registry(group_count)
    assert query_count.page(client, reverse("portal:overview"))[0] == OVERVIEW_QUERIES
    assert query_count.page(client, kinds[0].get_absolute_url())[0] == KIND_QUERIES
    assert query_count.page(client, group.get_absolute_url())[0] == GROUP_QUERIES
    # "omrade" matches every district: the widest possible result.
    assert query_count.page(client, reverse("portal:search") + "?q=omrade")[0] == SEARCH_QUERIES
