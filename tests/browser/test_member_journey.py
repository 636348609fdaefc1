"""A member's journey in Chromium: invited by a coordinator, joins by the mailed link, reads
the network tier of their group and is refused the confidential tier (every page checked)."""

import datetime
import re

import pytest
from django.core import mail

from meetings.models import Meeting, Visibility
from networks.models import GroupRole
from tests.text import sv

from .test_journeys import submit

pytestmark = pytest.mark.django_db(transaction=True)

NEW_MEMBER = "Alva Ek"
NEW_EMAIL = "alva.ek@example.org"
ASSOCIATION = "Föreningen Exempelgården"
PASSWORD = "Fritidsgarden-Boda-2017"
CONFIDENTIAL_NOTES = "Konfidentiellt: uppgifter om en enskild familj i området."


def test_a_coordinator_invites_an_association_member_who_reads_the_network_tier_only(pages):
    """samordnare invites Alva from an association to Boda; Alva follows the mailed link,
    chooses a password, reads the network-tier notes of 12 April and not confidential ones."""
    # A held Boda meeting whose notes are confidential: what Alva must not read.
    confidential = Meeting.objects.get(group__slug="boda", date=datetime.date(2017, 1, 26))
    confidential.notes = CONFIDENTIAL_NOTES
    confidential.notes_visibility = Visibility.CONFIDENTIAL
    confidential.save()
    network = Meeting.objects.get(group__slug="boda", date=datetime.date(2017, 4, 12))
    assert network.notes_tier == Visibility.NETWORK

    coordinator = pages("member-invite")
    page = coordinator.visit("/konto/logga-in/", "login")
    page.get_by_label(sv("username")).fill("samordnare")
    page.get_by_label(sv("Password")).fill("demo")
    page.get_by_role("button", name=sv("Log in")).click()
    page.wait_for_url(re.compile(r"/mina-natverk/$"))
    # The group's name is in a visually hidden part of the link's name (after a colon).
    members_of_boda = re.compile(rf"^{re.escape(sv('Members and invitations'))}\W+Boda$")
    page.get_by_role("link", name=members_of_boda).click()
    page.wait_for_url(re.compile(r"/medlemmar/grupp/\d+/$"))
    coordinator.check("members")
    coordinator.snap("members")

    page.get_by_role("link", name=sv("Invite someone")).click()
    page.wait_for_url(re.compile(r"/medlemmar/bjud-in/\?group=\d+$"))
    coordinator.check("invite")
    page.get_by_label(sv("Name")).fill(NEW_MEMBER)
    page.get_by_label(sv("E-mail")).fill(NEW_EMAIL)
    organisation = page.get_by_label(sv("Organisation"))
    labels = organisation.locator("option").all_inner_texts()
    organisation.select_option(label=next(x for x in labels if x.startswith(ASSOCIATION)))
    assert page.get_by_label(sv("Group")).input_value()  # Boda, preselected
    coordinator.snap("invite-form")
    submit(page, sv("Send the invitation"), r"/medlemmar/grupp/\d+/$")
    coordinator.check("members with the invitation")
    pending = page.get_by_role("region", name=sv("Invitations not yet answered")).first
    assert NEW_EMAIL in pending.inner_text()
    coordinator.snap("invited")

    # The mail went through Django's mail (locmem in the tests, the same process).
    (message,) = [m for m in mail.outbox if m.to == [NEW_EMAIL]]
    link = re.search(r"https?://\S+/konto/inbjudan/[\w-]+/", message.body).group(0)

    member = pages("member-joins")
    page = member.visit(link, "invitation")
    assert "Boda" in page.get_by_role("heading", level=1).inner_text()
    member.snap("invitation")
    page.get_by_label(sv("New password")).first.fill(PASSWORD)  # the first of the two
    page.get_by_label(sv("New password confirmation")).fill(PASSWORD)
    submit(page, sv("Save the password and join"), r"/mina-natverk/$")
    member.check("my networks as a new member")
    assert "Boda" in page.get_by_role("main").inner_text()
    role = GroupRole.objects.get(person__email=NEW_EMAIL)
    assert (role.group.slug, role.role) == ("boda", "member")
    member.snap("my-networks")

    page = member.visit(network.get_absolute_url(), "network-tier notes")
    assert network.notes in page.get_by_role("main").inner_text()
    page = member.visit(confidential.get_absolute_url(), "confidential notes")
    main = page.get_by_role("main").inner_text()
    assert CONFIDENTIAL_NOTES not in main
    assert (
        sv(
            "The notes of this meeting are confidential: only the group's members who are bound "
            "by professional secrecy, the network developer and the head of administration may "
            "read them."
        )
        in main
    )
    member.snap("confidential-refused")

    # The link works once: a second visit says so.
    response = page.goto(link)
    assert response.status == 410
    member.check("used invitation")
    coordinator.assert_clean()
    member.assert_clean()
