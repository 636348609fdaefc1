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

pytestmark = pytest.mark.django_db

DIGG_FORM = "https://www.digg.se/tdosanmalan"


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
    assert "<h1>Tillgänglighet för portalen Lokal samverkan</h1>" in statement(client)


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
    assert "Exempelby kommun står bakom den här webbplatsen." in page
    assert "Webbplatsen är delvis förenlig med lagen" in page
    assert "<p>Kvitton granskas inte.</p>" in page and "<p>Admin är inte testad.</p>" in page
    assert "självskattning" in page and "axe-core" in page and "Nu Html Checker" in page
    assert "Den senaste bedömningen gjordes den 2 mars 2026." in page
    assert "Redogörelsen uppdaterades senast den 15 april 2026." in page
    assert 'href="mailto:a11y@example.org"' in page
    assert "0123-45 67 89" in page
    assert "Vi svarar inom fem arbetsdagar." in page
    assert f'<a href="{DIGG_FORM}">' in page


@pytest.mark.parametrize(
    ("compliance", "text"),
    [
        (Compliance.FULL, "Webbplatsen är helt förenlig med lagen"),
        (Compliance.PARTIAL, "Webbplatsen är delvis förenlig med lagen"),
        (Compliance.NOT, "Webbplatsen är inte förenlig med lagen"),
    ],
)
def test_the_compliance_status_is_the_admins_choice(client, compliance, text):
    """Each of the law's three statuses reads as its own sentence."""
    MunicipalityFactory(accessibility_compliance=compliance)
    page = statement(client)
    assert text in page
    others = {"helt", "delvis", "inte"} - {text.split()[2]}
    assert not any(f"Webbplatsen är {word} förenlig" in page for word in others)


def test_empty_fields_fall_back_to_the_municipalitys_general_contact(client):
    """No contact of its own: the general e-mail and phone; no dates: no made-up dates."""
    MunicipalityFactory(email="kommun@example.org", phone="08-123 45")
    page = statement(client)
    assert 'href="mailto:kommun@example.org"' in page
    assert "08-123 45" in page
    assert "Vi känner inte till något innehåll som inte är tillgängligt." in page
    assert "uppdaterades senast" not in page and "Vi svarar" not in page


def test_the_update_date_falls_back_to_the_assessment_date(client):
    """Assessed but never updated since: the statement dates itself by the assessment."""
    MunicipalityFactory(accessibility_assessed_on=datetime.date(2026, 1, 9))
    assert "Redogörelsen uppdaterades senast den 9 januari 2026." in statement(client)


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
