import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from networks.models import District
from tests.factories.networks import DistrictFactory, NetworkGroupFactory, NetworkKindFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("low", "high", "text"), [(3, 4, "3–4"), (2, 2, "2"), (None, None, ""), (None, 3, "3")]
)
def test_kind_cadence_reads_as_a_range(low, high, text):
    """A kind's meetings-per-term target reads "3–4", as the guidelines write it."""
    kind = NetworkKindFactory.build(meetings_per_term_min=low, meetings_per_term_max=high)
    assert kind.meetings_per_term == text


def test_kind_cadence_least_cannot_exceed_most():
    """A target of at least 4 and at most 3 is refused with a message on the field."""
    kind = NetworkKindFactory.build(meetings_per_term_min=4, meetings_per_term_max=3)
    with pytest.raises(ValidationError) as error:
        kind.full_clean()
    assert "meetings_per_term_max" in error.value.message_dict


def test_kind_cannot_take_the_search_pages_address():
    """No kind may be called "sok": /lokalsamverkan/sok/ is the search page."""
    kind = NetworkKindFactory.build(slug="sok")
    with pytest.raises(ValidationError) as error:
        kind.full_clean()
    assert "slug" in error.value.message_dict


def test_district_names_are_unique_regardless_of_case():
    """Two districts cannot share a name, even spelt with other capitals."""
    DistrictFactory(name="Hulta")
    with pytest.raises(IntegrityError):
        District.objects.create(name="HULTA")


def test_group_names_repeat_across_kinds_but_not_within_one():
    """Norrby may be a group of two kinds, never twice in the same kind."""
    first = NetworkGroupFactory(name="Norrby", slug="norrby")
    NetworkGroupFactory(name="Norrby", slug="norrby")  # another kind
    with pytest.raises(IntegrityError):
        NetworkGroupFactory(kind=first.kind, name="Norrby", slug="norrby-2")
