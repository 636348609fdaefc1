"""Form pieces every app's forms share: the browser's own date and time pickers, the numeric
keyboard on a phone, choice labels, and the filter form of a list."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row
from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%H:%M")


def count_input():
    """Return a number input that opens the numeric keyboard on a phone."""
    return forms.NumberInput(attrs={"inputmode": "numeric", "min": 0, "class": "count-input"})


# The range of the databases' integer keys: a larger "id" is typed or forged, never a row.
ID_RANGE = range(-(2**63), 2**63)


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's field, refusing an id no database key can hold as an invalid choice.

    Django looks the chosen ids up with `pk__in`, which it does not range-check: an id past
    2**63 makes SQLite raise OverflowError (and PostgreSQL an error of its own) – a server
    error instead of a message next to the field.
    """

    def _check_values(self, value):
        for pk in value:
            try:
                number = int(pk)
            except (TypeError, ValueError):
                continue  # Django's own check refuses it
            if number not in ID_RANGE:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)


def form_layout(*parts) -> FormHelper:
    """Return the crispy helper of a form laid out in `parts`; the page writes the <form> tag
    and its CSRF token."""
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    helper.layout = Layout(*parts)
    # A hidden field is no part of the layout one reads (a form's one-time key): render it anyway.
    helper.render_hidden_fields = True
    return helper


def side_by_side(first: str, second: str, *, widths=("col-sm-6", "col-sm-6")) -> Row:
    """Return two fields on one row (on top of each other on a narrow phone, by `widths`)."""
    return Row(Column(first, css_class=widths[0]), Column(second, css_class=widths[1]))


def capitalised(choices):
    """Return choices with capitalised labels: the models' labels are lower case for prose."""
    return [(value, capfirst(label)) for value, label in choices]


def all_choice(label):
    """Return the empty first choice of a filter ("All years", "All groups" …)."""
    return [("", label)]


def id_field(label):
    """Return a filter field whose choices are ids (of kinds, groups …), given by the view."""
    return forms.TypedChoiceField(label=label, coerce=int, required=False, empty_value=None)


class ListFilterForm(forms.Form):
    """Filters of a list, sent by GET so the page works without JavaScript.

    The choices of years, kinds and groups come from the view, fetched once: the select and the
    validation of a chosen value then cost no query of their own. A group is shown by its
    `choice_label`. A subclass names in `filters` the QuerySet method that applies each field,
    so `filter(queryset)` narrows a list by what was chosen; an invalid choice is shown, not
    applied. Unless the visitor chose a year (or "all years"), the list opens on `default_year`.
    """

    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False, empty_value=None)
    group = id_field(_("Group"))

    # field name → the QuerySet method that takes the chosen value
    filters: dict[str, str] = {}

    def __init__(self, data=None, *, years, groups, kinds=None, default_year=None, **kwargs):
        if data is not None and default_year is not None and "year" not in data:
            data = data.copy()
            data["year"] = str(default_year)
        super().__init__(data, **kwargs)
        self.fields["year"].choices = all_choice(_("All years")) + [(y, y) for y in years]
        if "kind" in self.fields:
            self.fields["kind"].choices = all_choice(_("All kinds")) + [
                (kind.pk, kind.name) for kind in kinds
            ]
        self.fields["group"].choices = all_choice(_("All groups")) + [
            (group.pk, group.choice_label) for group in groups
        ]
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select"

    def chosen(self) -> dict:
        """Return the valid filters chosen, by field name."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if value not in (None, "") and name in self.fields
        }

    def filter(self, queryset):
        """Return `queryset` narrowed by every filter chosen."""
        for name, value in self.chosen().items():
            queryset = getattr(queryset, self.filters[name])(value)
        return queryset
