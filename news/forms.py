"""Forms of the news pages. They validate; the views hand the values to the services.

Who may write for which owner and at which tier is asked of networks.permissions: the owner
field offers only what the user may write for and the tier field only the tiers they reach; a
forged value is refused like any other invalid choice, with a message beside the field.
"""

from crispy_forms.layout import Fieldset
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import ListFilterForm, capitalised, form_layout
from networks import permissions
from networks.forms import TierFieldsMixin
from networks.models import NetworkKind
from submissions.forms import SubmittedOnce

from .models import NewsItem, validate_plausible_time

OWNER_GROUP, OWNER_KIND, OWNER_PORTAL = "group", "kind", "portal"
OWNER_REFUSED = _("You can only write news for the groups you coordinate.")


class DateTimeInput(forms.DateTimeInput):
    """The browser's own date and time picker; the time is Swedish time (Europe/Stockholm)."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


def owner_value(item) -> str:
    """Return the owner field's value for an existing news item, e.g. "group:12"."""
    if item.group_id:
        return f"{OWNER_GROUP}:{item.group_id}"
    if item.kind_id:
        return f"{OWNER_KIND}:{item.kind_id}"
    return OWNER_PORTAL


class NewsOwnerChoices:
    """The groups, kinds and the whole portal the user may write news for, as one select.

    A coordinator chooses among their groups; the network developer and the administrator
    also among the kinds and the whole portal. `current` (an existing item) stays choosable
    even if its group is no longer active.
    """

    def __init__(self, user, current=None):
        current_group = current.group_id if current else None
        groups = (
            permissions.editable_groups(user)
            .filter(Q(active=True) | Q(pk=current_group))
            .select_related("kind")
        )
        self.objects = {(OWNER_GROUP, group.pk): group for group in groups}
        self.everything = permissions.manages_everything(user)
        if self.everything:
            self.objects.update({(OWNER_KIND, kind.pk): kind for kind in NetworkKind.objects.all()})
            self.objects[(OWNER_PORTAL, None)] = None

    def choices(self):
        groups = [
            (f"{OWNER_GROUP}:{pk}", group.choice_label)
            for (owner, pk), group in self.objects.items()
            if owner == OWNER_GROUP
        ]
        if not self.everything:
            return [("", _("Choose a group")), *groups]
        kinds = [
            (f"{OWNER_KIND}:{pk}", kind.name)
            for (owner, pk), kind in self.objects.items()
            if owner == OWNER_KIND
        ]
        return [
            ("", _("Choose a group, a kind or the whole portal")),
            (OWNER_PORTAL, _("The whole portal")),
            (_("Network groups"), groups),
            (_("All groups of a kind"), kinds),
        ]

    def resolve(self, value: str) -> dict:
        """Return {"group": …, "kind": …} for a chosen value, or raise KeyError/ValueError."""
        if value == OWNER_PORTAL:
            if (OWNER_PORTAL, None) not in self.objects:
                raise KeyError(value)
            return {"group": None, "kind": None}
        owner, _sep, pk = value.partition(":")
        obj = self.objects[(owner, int(pk))]
        return {name: obj if name == owner else None for name in (OWNER_GROUP, OWNER_KIND)}


class NewsItemForm(SubmittedOnce, TierFieldsMixin, forms.ModelForm):
    """Write or change a news item: whose it is, its text, its tier, when it is published."""

    class Meta:
        model = NewsItem
        fields = ["title", "body", "visibility", "published_at"]
        widgets = {
            "body": forms.Textarea(attrs={"rows": 10}),
            "visibility": forms.RadioSelect,
            "published_at": DateTimeInput,
        }

    def __init__(self, *args, user, preselect_group=None, **kwargs):
        super().__init__(*args, **kwargs)
        editing = self.instance.pk is not None
        self.owner_choices = NewsOwnerChoices(user, self.instance if editing else None)
        owner = forms.ChoiceField(
            label=_("Whose news"),
            choices=self.owner_choices.choices(),
            error_messages={"invalid_choice": OWNER_REFUSED},
        )
        self.fields = {"owner": owner, **self.fields}
        if editing:
            self.initial.setdefault("owner", owner_value(self.instance))
        elif preselect_group is not None and (OWNER_GROUP, preselect_group) in (
            self.owner_choices.objects
        ):
            self.initial.setdefault("owner", f"{OWNER_GROUP}:{preselect_group}")
        elif len(self.owner_choices.objects) == 1:
            (only,) = self.owner_choices.objects
            self.initial.setdefault("owner", f"{only[0]}:{only[1]}")
        if not editing:
            self.initial.setdefault("published_at", timezone.localtime().replace(second=0))
        published = self.fields["published_at"]
        # The model's default is a callable, for which Django adds a hidden copy of the initial
        # value; the form sets its own initial value, so no copy is needed.
        published.show_hidden_initial = False
        published.validators.append(validate_plausible_time)
        published.error_messages["invalid"] = _("Give a date and a time, e.g. 2025-03-14 09:00.")
        self.fields["visibility"].choices = capitalised(self.fields["visibility"].choices)
        self.setup_tiers(user)
        self.helper = form_layout(
            Fieldset(_("The news item"), "owner", "title", "body"),
            Fieldset(_("Who reads it and when"), "visibility", "published_at"),
        )

    def clean_owner(self):
        try:
            owners = self.owner_choices.resolve(self.cleaned_data["owner"])
        except (KeyError, ValueError):
            raise forms.ValidationError(OWNER_REFUSED, code="invalid_choice") from None
        for name, value in owners.items():
            setattr(self.instance, name, value)
        self.owners = owners
        return self.cleaned_data["owner"]

    def owner_ids(self) -> dict:
        """Return the chosen owner as ids, as networks.permissions takes them."""
        return {
            f"{name}_id": owner.pk if owner is not None else None
            for name, owner in self.owners.items()
        }

    def clean(self):
        cleaned = super().clean()
        if not self.has_error("owner") and hasattr(self, "owners"):
            self.check_tiers(**self.owner_ids())
        return cleaned

    def service_values(self) -> dict:
        """Return the keyword arguments for news_item_create / news_item_update."""
        values = {name: self.cleaned_data[name] for name in self.Meta.fields}
        values.update(self.owners)
        return values


class NewsFilterForm(ListFilterForm):
    """The news list's filters: year and group."""

    field_order = ("group", "year")
    filters = {"year": "in_year", "group": "for_group"}
