"""A form field for kronor that accepts what people type."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .money import format_number, parse_sek


class MoneyInput(forms.TextInput):
    """A text box that keeps `10 000,50` as typed, with a numeric keyboard on phones."""

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "decimal", "autocomplete": "off", **(attrs or {})})

    def format_value(self, value):
        if value in (None, ""):
            return None
        try:
            return format_number(parse_sek(value))
        except ValueError:
            return value


class MoneyField(forms.Field):
    """Kronor as Decimal with two places: accepts `10000`, `10 000` and `10 000,50`."""

    widget = MoneyInput
    default_error_messages = {
        "invalid": _("Write the amount in kronor, for example 10 000 or 10 000,50."),
        "min_value": _("The amount must be at least %(limit)s kr."),
        "max_value": _("The amount can be at most %(limit)s kr."),
    }

    def __init__(self, *, min_value=None, max_value=None, **kwargs):
        self.min_value, self.max_value = min_value, max_value
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return parse_sek(value)
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None

    def validate(self, value):
        super().validate(value)
        if value is None:
            return
        if self.min_value is not None and value < self.min_value:
            raise forms.ValidationError(
                self.error_messages["min_value"],
                code="min_value",
                params={"limit": format_number(self.min_value)},
            )
        if self.max_value is not None and value > self.max_value:
            raise forms.ValidationError(
                self.error_messages["max_value"],
                code="max_value",
                params={"limit": format_number(self.max_value)},
            )
