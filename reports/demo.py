"""Load the narrative of a demo data set (its "report" section).

Called by `manage.py loaddemo` after the registry, the meetings and the budget, in the same
transaction. Each item is a year's narrative of the annual report, with the texts per kind of
network; a text is a string or a list of paragraphs. A year whose narrative exists already is
left as it is (staff may have edited it), so loading twice duplicates nothing.
"""

from django.db import transaction

from core.demo import DemoDataError, LoadSummary
from networks.models import NetworkKind

from .models import AnnualReportText
from .narrative import TEXT_FIELDS, annual_report_text_save


def _paragraphs(value) -> str:
    """Return a demo text given as a string or a list of paragraphs as one text."""
    if isinstance(value, list):
        return "\n\n".join(str(part) for part in value)
    return str(value or "")


def _kind_texts(item: dict, kinds: dict[str, NetworkKind]) -> dict:
    """Return a year's texts per kind, as the narrative's service takes them."""
    kind_texts = {}
    for slug, parts in item.get("kinds", {}).items():
        if slug not in kinds:
            raise DemoDataError(f"Unknown kind {slug!r} in the report section")
        kind_texts[kinds[slug]] = {
            "experiences": _paragraphs(parts.get("experiences")),
            "challenges": _paragraphs(parts.get("challenges")),
        }
    return kind_texts


@transaction.atomic
def demo_report_texts_load(*, data: dict) -> LoadSummary:
    """Load the "report" section of a demo data set: each year's narrative of the annual report."""
    summary = LoadSummary()
    label = str(AnnualReportText._meta.verbose_name_plural)
    kinds = {kind.slug: kind for kind in NetworkKind.objects.all()}
    for item in data.get("report", []):
        year = int(item["year"])
        if AnnualReportText.objects.filter(year=year).exists():
            summary.count(label, False)
            continue
        annual_report_text_save(
            year=year,
            kind_texts=_kind_texts(item, kinds),
            **{name: _paragraphs(item.get(name, "")) for name in TEXT_FIELDS},
        )
        summary.count(label, True)
    return summary
