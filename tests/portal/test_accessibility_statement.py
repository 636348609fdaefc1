"""The accessibility statement (tillgänglighetsredogörelse) at /tillganglighet/."""

import datetime
import io
import json

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from networks.demo import demo_data_load
from networks.models import Compliance, Municipality
from tests.factories.networks import MunicipalityFactory
from tests.text import sv

pytestmark = pytest.mark.django_db

DIGG_FORM = "https://www.digg.se/tdosanmalan"
STATUS = {
    Compliance.FULL: (
        "The website is fully compliant with the law on accessibility of digital public "
        "services (WCAG 2.1 level AA)."
    ),
    Compliance.PARTIAL: (
        "The website is partially compliant with the law on accessibility of digital public "
        "services (WCAG 2.1 level AA), because of the gaps described below."
    ),
    Compliance.NOT: (
        "The website is not compliant with the law on accessibility of digital public services. "
        "The problems we know of are listed below."
    ),
}
SELF_ASSESSMENT = (
    "We have assessed the website ourselves (self-assessment). Every change to the portal is "
    "tested automatically in a real browser: axe-core checks each page against WCAG 2.1 levels "
    "A and AA, the W3C Nu Html Checker checks that the HTML is valid, and tests check that the "
    "pages work with the keyboard only, at 320 pixels width and zoomed to 200 percent without "
    "horizontal scrolling."
)
UPDATED = "This statement was last updated on %(date)s."
ANSWER = "We answer %(time)s."


def statement(client) -> str:
    response = client.get(reverse("portal:accessibility"))
    assert response.status_code == 200
    return response.content.decode()


def test_the_statement_is_public_and_linked_from_every_pages_footer(client):
    """Anyone reaches the statement, and the footer of the public pages links to it."""
    MunicipalityFactory()
    assert reverse("portal:accessibility") == "/tillganglighet/"
    for url in [reverse("portal:overview"), reverse("portal:search"), reverse("login")]:
        page = client.get(url).content.decode()
        footer = page[page.index("<footer") :]
        assert f'href="{reverse("portal:accessibility")}"' in footer, url
    heading = sv("Accessibility of the local collaboration portal")
    assert f"<h1>{heading}</h1>" in statement(client)


def test_the_statement_says_what_the_law_asks_from_the_admins_fields(client):
    """Status, known gaps, assessment and update dates, contact, response time and DIGG's form."""
    MunicipalityFactory(
        name="Exempelby kommun",
        email="info@example.org",
        accessibility_compliance=Compliance.PARTIAL,
        accessibility_known_gaps="Kvitton granskas inte.\n\nAdmin är inte testad.",
        accessibility_assessed_on=datetime.date(2026, 3, 2),
        accessibility_updated_on=datetime.date(2026, 4, 15),
        accessibility_contact_email="a11y@example.org",
        accessibility_contact_phone="0123-45 67 89",
        accessibility_response_time="inom fem arbetsdagar",
    )
    page = statement(client)
    assert sv("%(name)s is responsible for this website.", name="Exempelby kommun") in page
    assert sv(STATUS[Compliance.PARTIAL]) in page
    assert "<p>Kvitton granskas inte.</p>" in page and "<p>Admin är inte testad.</p>" in page
    assert sv(SELF_ASSESSMENT) in page and "axe-core" in page and "Nu Html Checker" in page
    assert sv("The latest assessment was made on %(date)s.", date="2 mars 2026") in page
    assert sv(UPDATED, date="15 april 2026") in page
    assert 'href="mailto:a11y@example.org"' in page
    assert "0123-45 67 89" in page
    assert sv(ANSWER, time="inom fem arbetsdagar") in page
    assert f'<a href="{DIGG_FORM}">' in page


@pytest.mark.parametrize("compliance", list(STATUS))
def test_the_compliance_status_is_the_admins_choice(client, compliance):
    """Each of the law's three statuses reads as its own sentence."""
    MunicipalityFactory(accessibility_compliance=compliance)
    page = statement(client)
    assert sv(STATUS[compliance]) in page
    others = [sentence for status, sentence in STATUS.items() if status != compliance]
    assert not any(sv(sentence) in page for sentence in others)


def test_empty_fields_fall_back_to_the_municipalitys_general_contact(client):
    """No contact of its own: the general e-mail and phone; no dates: no made-up dates."""
    MunicipalityFactory(email="kommun@example.org", phone="08-123 45")
    page = statement(client)
    assert 'href="mailto:kommun@example.org"' in page
    assert "08-123 45" in page
    assert (
        sv("We know of no content that is not accessible. If you find any, please tell us.") in page
    )
    # The sentences' own words, before the date and the time that would fill them in.
    assert sv(UPDATED).partition("%(date)s")[0] not in page
    assert sv(ANSWER).partition("%(time)s")[0] not in page


def test_the_update_date_falls_back_to_the_assessment_date(client):
    """Assessed but never updated since: the statement dates itself by the assessment."""
    MunicipalityFactory(accessibility_assessed_on=datetime.date(2026, 1, 9))
    assert sv(UPDATED, date="9 januari 2026") in statement(client)


def test_the_statement_works_before_any_municipality_is_set_up(client):
    """An empty portal still shows the statement with DIGG's form."""
    page = statement(client)
    assert f'<a href="{DIGG_FORM}">' in page


def test_the_demo_data_sets_fill_in_the_statement(client):
    """Loading the Borås demo sets the statement's status, gaps, dates and contact."""
    call_command("loaddemo", stdout=io.StringIO())
    municipality = Municipality.objects.get()
    assert municipality.accessibility_compliance == Compliance.PARTIAL
    assert municipality.accessibility_assessed_on is not None
    assert municipality.accessibility_email == "tillganglighet@example.org"
    assert "Kvitton som samordnarna laddar upp" in statement(client)


def test_the_harryda_demo_falls_back_to_its_general_e_mail(db):
    """Härryda's data set leaves the contact empty: its general address is used."""
    data = json.loads((settings.BASE_DIR / "demo" / "harryda-2024.json").read_text("utf-8"))
    demo_data_load(data=data)
    municipality = Municipality.objects.get()
    assert municipality.accessibility_email == "trygghet@example.org"
    assert municipality.accessibility_statement_date == datetime.date(2026, 11, 23)
