"""Forms of the report pages: which report to make, and the narrative of the annual report."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.years import FIRST_YEAR, LAST_YEAR
from networks.models import NetworkKind

from .models import AnnualReportText, ReportKind

NARRATIVE_HELP = _(
    "Plain text. Leave an empty line between paragraphs. Start a line with “- ” for a bulleted "
    "list and with “## ” for a subheading."
)


class ReportRequestForm(forms.Form):
    """Ask for a report: the annual report or the meeting calendar of a year."""

    kind = forms.ChoiceField(
        label=_("Report"),
        choices=ReportKind.choices,
        error_messages={"invalid_choice": _("Choose the annual report or the meeting calendar.")},
    )
    year = forms.IntegerField(
        label=_("Year"),
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
        # Django fills in limit_value: the bound the year is outside of.
        error_messages={
            "required": _("Give the year of the report."),
            "invalid": _("Write the year with four digits, e.g. 2017."),
            "min_value": _("Choose a year from %(limit_value)s on."),
            "max_value": _("Choose a year up to %(limit_value)s."),
        },
    )
    network_kind = forms.ModelChoiceField(
        label=_("Kind of network"),
        queryset=NetworkKind.objects.all(),
        required=False,
        empty_label=_("All kinds of network"),
        to_field_name="slug",
        error_messages={"invalid_choice": _("There is no such kind of network.")},
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") != ReportKind.CALENDAR and cleaned.get("network_kind"):
            self.add_error(
                "network_kind", _("Only the meeting calendar can be limited to one kind.")
            )
        return cleaned


class ReportYearForm(forms.Form):
    """Choose the year the report page is about (GET parameter `ar`)."""

    ar = forms.TypedChoiceField(label=_("Year"), coerce=int, choices=())

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ar"].choices = [(year, str(year)) for year in years]
        self.fields["ar"].error_messages["invalid_choice"] = _("Choose a year from the list.")


class AnnualReportTextForm(forms.ModelForm):
    """The narrative of a year's annual report, with the experiences and challenges per kind."""

    class Meta:
        model = AnnualReportText
        fields = ["title", "introduction", "organisation", "development_areas", "signatures"]
        widgets = {
            "introduction": forms.Textarea(attrs={"rows": 10}),
            "organisation": forms.Textarea(attrs={"rows": 10}),
            "development_areas": forms.Textarea(attrs={"rows": 10}),
            "signatures": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "introduction": NARRATIVE_HELP,
            "organisation": NARRATIVE_HELP,
            "development_areas": NARRATIVE_HELP,
        }

    def __init__(self, *args, kinds: list[NetworkKind], kind_texts: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.kinds = kinds
        for kind in kinds:
            current = kind_texts.get(kind.pk)
            self.fields[f"kind_{kind.pk}_experiences"] = forms.CharField(
                label=_("%(kind)s: experiences of the year") % {"kind": kind.name},
                required=False,
                widget=forms.Textarea(attrs={"rows": 8}),
                initial=current.experiences if current else "",
                help_text=NARRATIVE_HELP,
            )
            self.fields[f"kind_{kind.pk}_challenges"] = forms.CharField(
                label=_("%(kind)s: challenges ahead") % {"kind": kind.name},
                required=False,
                widget=forms.Textarea(attrs={"rows": 5}),
                initial=current.challenges if current else "",
                help_text=NARRATIVE_HELP,
            )

    def kind_texts(self) -> dict:
        """Return the validated texts per kind, as the service takes them."""
        return {
            kind: {
                "experiences": self.cleaned_data[f"kind_{kind.pk}_experiences"],
                "challenges": self.cleaned_data[f"kind_{kind.pk}_challenges"],
            }
            for kind in self.kinds
        }

    def text_values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}
