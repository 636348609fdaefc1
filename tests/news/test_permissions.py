"""Who reads and who writes which news: every tier × every role, on the list and the item page."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone

from networks import permissions
from networks.models import Visibility
from tests.factories.news import NewsItemFactory

from .conftest import ROLES

pytestmark = pytest.mark.django_db

# Whether each role reads a news item of group A at each tier (on the news list and its page).
# fmt: off
#                   anonymous assoc.m municip.m assoc.c municip.c other.c head  developer
READS = {
    "public":       (True,    True,   True,    True,   True,    True,   True,  True),
    "network":      (False,   True,   True,    True,   True,    False,  True,  True),
    "confidential": (False,   False,  True,    False,  True,    False,  True,  True),
    "restricted":   (False,   False,  False,   False,  True,    False,  False, True),
}
# Who may change the item (its edit page answers 200; 403 for a reader who may not, 404 or the
# login page for one who may not even read it).
EDITS = {
    "public":       ("login", 403,    403,     200,    200,     403,    403,   200),
    "network":      ("login", 403,    403,     200,    200,     404,    403,   200),
    "confidential": ("login", 404,    403,     404,    200,     404,    403,   200),
    "restricted":   ("login", 404,    404,     404,    200,     404,    404,   200),
}
# fmt: on

CELLS = [
    pytest.param(tier, role, READS[tier][index], EDITS[tier][index], id=f"{tier}-{role}")
    for tier in READS
    for index, role in enumerate(ROLES)
]


@pytest.mark.parametrize(("tier", "role", "reads", "edit_answer"), CELLS)
def test_each_role_reads_and_changes_group_news_at_its_tier(
    world, as_role, tier, role, reads, edit_answer
):
    """A news item of a group is on the list and its page only for those who reach its tier;
    only the group's coordinators who reach it and the network developer may change it."""
    item = NewsItemFactory(group=world["group_a"], visibility=tier, title=f"Nyhet {tier}")
    client = as_role(role)

    listed = client.get(reverse("news:news_list"))
    assert listed.status_code == 200
    assert (item.title in listed.content.decode()) is reads

    page = client.get(item.get_absolute_url())
    assert page.status_code == (200 if reads else 404)
    if reads:
        assert item.title in page.content.decode()

    edit = client.get(reverse("news:news_edit", kwargs={"pk": item.pk}))
    if edit_answer == "login":
        assert edit.status_code == 302 and "/konto/logga-in/" in edit["Location"]
    else:
        assert edit.status_code == edit_answer


@pytest.mark.parametrize(
    ("tier", "readers"),
    [
        ("public", set(ROLES)),
        ("network", set(ROLES) - {"anonymous"}),
        (
            "confidential",
            {"municipal_member", "municipal_coordinator", "other_coordinator", "head", "developer"},
        ),
    ],
)
def test_news_of_a_kind_reach_the_members_of_every_group_of_the_kind(world, tier, readers):
    """A kind's news reach every member of the kind's groups at their tier, no one else."""
    item = NewsItemFactory(group=None, kind=world["kind"], visibility=tier)
    for role, user in world["users"].items():
        reach = permissions.reach_of(user or AnonymousUser())
        assert reach.may_read(item.visibility, kind_id=item.kind_id) is (role in readers), role


def test_portal_wide_news_reach_every_member_but_not_a_visitor(world, client, django_user_model):
    """News of the whole portal at the network tier are read by every member of any group,
    not by a visitor nor by an account with no role."""
    item = NewsItemFactory(group=None, visibility=Visibility.NETWORK, title="Till alla nätverk")
    in_other_kind = NewsItemFactory(group=world["group_c"], visibility=Visibility.NETWORK)
    no_role = django_user_model.objects.create_user("ingen", password="pw")
    for user in (None, no_role):
        client.logout()
        if user:
            client.force_login(user)
        assert client.get(item.get_absolute_url()).status_code == 404
    client.force_login(world["users"]["association_member"])
    assert client.get(item.get_absolute_url()).status_code == 200
    assert client.get(in_other_kind.get_absolute_url()).status_code == 404


def test_a_scheduled_item_is_shown_only_to_those_who_may_change_it(world, as_role):
    """Before its time a news item is on no one's list but its writers'."""
    item = NewsItemFactory(
        group=world["group_a"],
        title="Kommer snart",
        published_at=timezone.now() + datetime.timedelta(days=2),
    )
    for role in ROLES:
        client = as_role(role)
        may_change = role in ("association_coordinator", "municipal_coordinator", "developer")
        assert ("Kommer snart" in client.get(reverse("news:news_list")).content.decode()) is (
            may_change
        ), role
        assert client.get(item.get_absolute_url()).status_code == (200 if may_change else 404)
