"""The feeds are valid RFC 5545 text, whatever the data holds, and follow renames at once."""

import pytest
from django.core.cache import cache
from django.urls import reverse
from icalendar import Calendar

from tests.factories.meetings import MeetingFactory
from tests.factories.networks import MunicipalityFactory, NetworkGroupFactory

pytestmark = pytest.mark.django_db

# Within the field's 200 characters, and well over the 75 octets of an iCalendar line.
AWKWARD_PLACE = (
    'Föreningsgården, sal 2; ingång C\\D\n"Gamla" skolan – en lång beskrivning som måste vikas '
    "över flera rader: åäö ÅÄÖ € 😀 åäö ÅÄÖ € 😀 åäö ÅÄÖ € 😀"
)


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def feed_of_everything(client):
    response = client.get(reverse("portal:feed_all"))
    assert response.status_code == 200
    return response.content


def test_commas_semicolons_backslashes_new_lines_and_long_text_survive(client):
    """A place with every special character and far over 75 octets reads back exactly."""
    MunicipalityFactory()
    meeting = MeetingFactory(place=AWKWARD_PLACE)
    content = feed_of_everything(client)
    assert all(len(line) <= 75 for line in content.split(b"\r\n"))
    content.decode("utf-8")  # folding never splits a character
    (event,) = Calendar.from_ical(content).events
    assert str(event["LOCATION"]) == AWKWARD_PLACE
    assert str(event["UID"]).startswith(str(meeting.uid))
    assert meeting.group.name in str(event["SUMMARY"])


def test_a_renamed_group_shows_in_the_feed_of_everything_at_once(client):
    """Renaming a group changes the cached feed of everything at the next request."""
    MunicipalityFactory()
    group = NetworkGroupFactory(name="Boda")
    MeetingFactory(group=group)
    assert b"Boda (" in feed_of_everything(client)
    group.name = "Bodagruppen"
    group.save()
    assert b"Bodagruppen (" in feed_of_everything(client)
