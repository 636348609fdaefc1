import pytest
from django.urls import reverse

from networks.search import search_key
from tests.factories.networks import DistrictFactory, NetworkGroupFactory, NetworkKindFactory
from tests.text import sv, sv_plural

pytestmark = pytest.mark.django_db

SEARCH = reverse("portal:search")
COVERS = ("%(counter)s network covers “%(query)s”", "%(counter)s networks cover “%(query)s”")


def covers(count, query) -> str:
    """Return the sentence over the results: how many networks cover the place searched for."""
    return sv_plural(*COVERS, count, counter=count, query=query)


@pytest.fixture
def groups():
    kind_a = NetworkKindFactory(name="Barn och unga")
    kind_b = NetworkKindFactory(name="Ortsråd")
    sjomarken = DistrictFactory(name="Sjömarken")
    return {
        "children": NetworkGroupFactory(
            kind=kind_a, name="Sandared", districts=[sjomarken, DistrictFactory(name="Hedared")]
        ),
        "rural": NetworkGroupFactory(kind=kind_b, name="Sandared", districts=[sjomarken]),
        "boda": NetworkGroupFactory(
            kind=kind_a, name="Boda", districts=[DistrictFactory(name="Hässleholmen")]
        ),
        "other": NetworkGroupFactory(
            kind=kind_b, name="Fristad", districts=[DistrictFactory(name="Åsarp")]
        ),
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hässleholmen", "hassleholmen"),
        ("SJÖMARKEN", "sjomarken"),
        ("  Åsarp ", "asarp"),
        ("Ljungsarp–Dannike", "ljungsarp dannike"),
    ],
)
def test_search_key_folds_case_diacritics_and_separators(text, expected):
    """Names fold to lower case without å/ä/ö, so both spellings compare equal."""
    assert search_key(text) == expected


@pytest.mark.parametrize("query", ["sjomarken", "Sjömarken", "SJOMARKEN", "sjöm", " marken "])
def test_search_finds_every_group_covering_a_district(client, groups, query):
    """A resident finds both groups covering Sjömarken, however they type it."""
    response = client.get(SEARCH, {"q": query})
    results = [r["group"] for r in response.context["results"]]
    assert set(results) == {groups["children"], groups["rural"]}
    html = response.content.decode()
    assert "<mark>Sjömarken</mark>" in html
    assert covers(2, query.strip()) in html


def test_search_without_a_and_o_rings(client, groups):
    """ "hassleholmen" finds the group covering Hässleholmen."""
    response = client.get(SEARCH, {"q": "hassleholmen"})
    assert [r["group"] for r in response.context["results"]] == [groups["boda"]]


def test_search_by_group_name(client, groups):
    """Typing a group's own name finds it even where no district has that name."""
    response = client.get(SEARCH, {"q": "fristad"})
    assert [r["group"] for r in response.context["results"]] == [groups["other"]]


def test_inactive_groups_are_not_found(client, groups):
    """An inactive group never turns up in search results."""
    groups["boda"].active = False
    groups["boda"].save()
    response = client.get(SEARCH, {"q": "hassleholmen"})
    assert response.context["results"] == []
    assert covers(0, "hassleholmen") in response.content.decode()


def test_no_match_says_so_and_links_to_all_networks(client, groups):
    """A search that finds nothing says so and offers the full list."""
    html = client.get(SEARCH, {"q": "Tokyo"}).content.decode()
    assert covers(0, "Tokyo") in html
    assert f'href="{reverse("portal:overview")}"' in html


@pytest.mark.parametrize(
    ("query", "message"),
    [("", "Type the name of a district or area."), ("a", "Type at least two letters.")],
)
def test_too_short_query_gets_a_swedish_message_tied_to_the_field(client, groups, query, message):
    """An empty or one-letter search explains itself next to the field."""
    html = client.get(SEARCH, {"q": query}).content.decode()
    assert f'<p id="id_q_error" class="invalid-feedback d-block mb-0">{sv(message)}</p>' in html
    assert 'aria-describedby="id_q_help id_q_error"' in html
    assert 'aria-invalid="true"' in html
    assert f"<title>{sv('Error')}:" in html


def test_search_page_without_query_shows_only_the_form(client, groups):
    """Opening the search page shows the form, no error and no results."""
    response = client.get(SEARCH)
    assert response.status_code == 200
    html = response.content.decode()
    assert "invalid-feedback" not in html
    # The sentence's own words, between the count and the place that would fill it in.
    assert sv_plural(*COVERS, 2, counter="\0", query="\0").split("\0")[1] not in html
