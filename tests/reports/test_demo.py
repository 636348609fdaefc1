"""The demo's "report" section: the 2017 narrative of seed 000, loaded once."""

import json

import pytest

from reports.demo import demo_report_texts_load
from reports.models import AnnualReportText, KindReportText

from .conftest import DEMO, load_boras

pytestmark = pytest.mark.django_db


def test_the_demo_brings_the_2017_narrative_of_seed_000(db):
    """Introduction, organisation, the three kinds' texts and §9 are loaded; twice adds nothing."""
    load_boras()
    text = AnnualReportText.objects.get(year=2017)
    assert text.introduction.startswith("Arbetet med de lokala nätverksgrupperna")
    assert "- befogenhet att sammankalla berörda nämnder" in text.introduction
    assert "## Kontinuitet och flexibilitet" in text.development_areas
    kinds = KindReportText.objects.filter(report=text).select_related("kind")
    assert {item.kind.slug for item in kinds} == {"barn-och-unga", "omradesnatverk", "ortsrad"}
    assert all(item.experiences and item.challenges for item in kinds)
    again = demo_report_texts_load(data=json.loads(DEMO.read_text(encoding="utf-8")))
    assert again.created == {str(AnnualReportText._meta.verbose_name_plural): 0}
    assert AnnualReportText.objects.count() == 1


def test_a_report_section_naming_an_unknown_kind_is_refused(db):
    """A typo in a kind's slug stops the load instead of silently dropping the text."""
    with pytest.raises(ValueError, match="Unknown kind 'nope'"):
        demo_report_texts_load(data={"report": [{"year": 2017, "kinds": {"nope": {}}}]})
    assert not AnnualReportText.objects.exists()
