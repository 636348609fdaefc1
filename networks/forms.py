from django import forms
from django.utils.translation import gettext_lazy as _

from . import permissions
from .models import Visibility
from .search import search_key


class DistrictSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Your district or area"),
        max_length=100,
        help_text=_("The district, area or village where you live. You can leave out å, ä and ö."),
        error_messages={"required": _("Type the name of a district or area.")},
    )

    def clean_q(self):
        query = self.cleaned_data["q"]
        if len(search_key(query)) < 2:
            raise forms.ValidationError(_("Type at least two letters."))
        return query


TIER_REFUSED = _("Choose a tier you may read yourself: with this one you could no longer read it.")


class TierFieldsMixin:
    """Offer only the secrecy tiers the user reaches; refuse one they do not reach for the
    record's owner (a coordinator from an association cannot hide notes from themselves).

    Call `setup_tiers(user)` in `__init__` and `check_tiers(group_id=…, kind_id=…,
    forum_id=…)` in `clean` once the owner is known.
    """

    tier_fields = ("visibility",)

    def setup_tiers(self, user):
        self.tier_user = user
        highest = permissions.highest_tier(user).rank
        for name in self.tier_fields:
            field = self.fields.get(name)
            if field is None:
                continue
            field.choices = [
                (value, label)
                for value, label in field.choices
                if Visibility(value).rank <= highest
            ]
            field.error_messages["invalid_choice"] = TIER_REFUSED

    def check_tiers(self, **owner):
        reach = permissions.reach_of(self.tier_user)
        for name in self.tier_fields:
            value = self.cleaned_data.get(name)
            if value and not reach.may_read(value, **owner):
                self.add_error(name, TIER_REFUSED)
