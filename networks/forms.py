from django import forms
from django.utils.translation import gettext_lazy as _

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
