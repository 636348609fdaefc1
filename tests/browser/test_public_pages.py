"""Every public page of the Borås demo, as anyone sees it, through the checks of conftest.py."""

import pytest
from django.urls import reverse

from meetings.models import Meeting
from networks.models import NetworkGroup, NetworkKind
from tests.text import sv

pytestmark = pytest.mark.django_db(transaction=True)


def public_pages() -> list[tuple[str, str]]:
    """Return (name, path) of every page anyone can open in the demo."""
    meeting = Meeting.objects.public().filter(date__year=2017).order_by("date").first()
    pages = [
        ("overview", reverse("portal:overview")),
        ("search", reverse("portal:search")),
        ("search hit", reverse("portal:search") + "?q=bramhult"),
        ("search miss", reverse("portal:search") + "?q=zzzz"),
        ("calendar this month", reverse("portal:calendar")),
        ("year grid 2017", reverse("portal:year_grid", args=[2017])),
        ("month 2017-03", reverse("portal:calendar_month", args=[2017, 3])),
        ("meetings", reverse("meetings:meeting_list")),
        ("meeting", meeting.get_absolute_url()),
        ("activities", reverse("meetings:activity_list")),
        ("published reports", reverse("portal:published_list")),
        ("login", reverse("login")),
        ("password reset", reverse("password_reset")),
        ("password reset sent", reverse("password_reset_done")),
        ("accessibility statement", reverse("portal:accessibility")),
    ]
    pages += [(f"kind {kind.slug}", kind.get_absolute_url()) for kind in NetworkKind.objects.all()]
    pages += [
        (f"group {group.slug}", group.get_absolute_url())
        for group in NetworkGroup.objects.active().select_related("kind")
    ]
    return pages


def test_every_public_page_passes_the_checks(pages):
    """axe (WCAG 2.1 AA), lang, one h1, landmarks, skip link, 320 px and 200 % without scrolling."""
    tab = pages("public")
    visited = public_pages()
    for name, path in visited:
        tab.visit(path, name)
    assert len(visited) > 30  # 3 kinds and 20 groups besides the fixed pages
    tab.assert_clean()


def test_the_not_found_page_passes_the_checks(pages):
    """A mistyped address gets a Swedish 404 page that passes the same checks."""
    tab = pages("public")
    response = tab.page.goto("/lokalsamverkan/finns-inte/")
    assert response.status == 404
    tab.check("not found")
    tab.assert_clean()


def test_a_search_error_is_tied_to_its_field(pages):
    """An empty search says what to do, next to the field, and the field points at it."""
    tab = pages("public")
    page = tab.visit(reverse("portal:search") + "?q=", "search error")
    field = page.get_by_label(sv("Your district or area"))
    assert field.get_attribute("aria-invalid") == "true"
    described_by = field.get_attribute("aria-describedby").split()
    texts = [page.locator(f"#{id_}").inner_text() for id_ in described_by]
    assert any(sv("Type the name of a district or area.") in text for text in texts), texts
    tab.assert_clean()


def test_a_failed_login_says_so_and_passes_the_checks(pages):
    """A wrong password is announced as an alert on a page that still passes the checks."""
    tab = pages("public")
    page = tab.visit(reverse("login"), "login")
    page.get_by_label(sv("username")).fill("samordnare")
    page.get_by_label(sv("Password")).fill("fel lösenord")
    with page.expect_navigation():
        page.get_by_role("button", name=sv("Log in")).click()
    assert page.get_by_role("alert").count() == 1
    tab.check("login failed")
    tab.assert_clean()
