"""Forms of the coordinators' pages. They validate; the views hand the values to the services.

Who may choose what is asked of networks.permissions: the owner and group fields only offer
what the user may edit, and a forged value is refused like any other invalid choice.
"""

import datetime
import operator

from crispy_forms.layout import Fieldset
from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import (
    DateInput,
    ListFilterForm,
    ModelMultipleChoiceField,
    TimeInput,
    all_choice,
    capitalised,
    count_input,
    form_layout,
    id_field,
    side_by_side,
)
from networks import permissions
from networks.forms import TierFieldsMixin
from networks.models import Forum, NetworkKind
from submissions.forms import SubmittedOnce

from .models import (
    LACKING_NOTES,
    Activity,
    ActivityType,
    Meeting,
    MeetingStatus,
    MeetingType,
    validate_plausible_date,
)
from .services import ACTIVITY_FIELDS

OWNER_GROUP, OWNER_FORUM, OWNER_KIND = "group", "forum", "kind"
NEGATIVE_COUNT = _("The number of participants cannot be negative.")
# A series longer than this is a typing mistake (a year of weekly meetings is 53).
MAX_SERIES_MEETINGS = 53
MAX_EVERY_WEEKS = 26


def owner_value(meeting) -> str:
    """Return the owner field's value for an existing meeting, e.g. "group:12"."""
    if meeting.group_id:
        return f"{OWNER_GROUP}:{meeting.group_id}"
    if meeting.forum_id:
        return f"{OWNER_FORUM}:{meeting.forum_id}"
    return f"{OWNER_KIND}:{meeting.kind_id}"


class OwnerChoices:
    """The groups, forums and kinds the user may hold meetings for, as one select's choices.

    A coordinator chooses among their groups; the network developer and the administrator
    also among the central forums and the kinds (a joint meeting of all groups of a kind).
    `current` (an existing meeting) stays choosable even if its group is no longer active.
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
            forums = Forum.objects.filter(
                Q(active=True) | Q(pk=current.forum_id if current else None)
            )
            self.objects.update({(OWNER_FORUM, forum.pk): forum for forum in forums})
            self.objects.update({(OWNER_KIND, kind.pk): kind for kind in NetworkKind.objects.all()})

    def choices(self):
        def options(kind_of_owner, label):
            return [
                (f"{owner}:{pk}", label(obj))
                for (owner, pk), obj in self.objects.items()
                if owner == kind_of_owner
            ]

        groups = options(OWNER_GROUP, operator.attrgetter("choice_label"))
        if not self.everything:
            return [("", _("Choose a group")), *groups]
        return [
            ("", _("Choose a group, forum or joint meeting")),
            (_("Network groups"), groups),
            (_("Central forums"), options(OWNER_FORUM, lambda forum: forum.name)),
            (
                _("Joint meetings of a kind"),
                options(OWNER_KIND, lambda kind: _("Joint meeting: %(kind)s") % {"kind": kind}),
            ),
        ]

    def resolve(self, value: str) -> dict:
        """Return {"group": …, "forum": …, "kind": …} for a chosen value, or raise KeyError."""
        owner, _sep, pk = value.partition(":")
        obj = self.objects[(owner, int(pk))]
        return {
            name: obj if name == owner else None for name in (OWNER_GROUP, OWNER_FORUM, OWNER_KIND)
        }


class OwnerFormMixin:
    """Add the one "who holds the meeting" field, validated against the permissions module."""

    owner_refused = _("You can only add meetings for the groups you coordinate.")

    def _setup_owner(self, user, current=None, preselect_group=None):
        self.owner_choices = OwnerChoices(user, current)
        field = forms.ChoiceField(
            label=_("Whose meeting"),
            choices=self.owner_choices.choices(),
            error_messages={"invalid_choice": self.owner_refused},
        )
        self.fields = {"owner": field, **self.fields}
        if current is not None:
            self.initial.setdefault("owner", owner_value(current))
        elif preselect_group is not None:
            value = f"{OWNER_GROUP}:{preselect_group}"
            if (OWNER_GROUP, preselect_group) in self.owner_choices.objects:
                self.initial.setdefault("owner", value)
        elif len(self.owner_choices.objects) == 1:
            (only,) = self.owner_choices.objects
            self.initial.setdefault("owner", f"{only[0]}:{only[1]}")

    def clean_owner(self):
        try:
            owners = self.owner_choices.resolve(self.cleaned_data["owner"])
        except (KeyError, ValueError):
            raise forms.ValidationError(self.owner_refused, code="invalid_choice") from None
        # The model's own checks (exactly one owner) run on the instance in _post_clean.
        for name, value in owners.items():
            setattr(self.instance, name, value)
        self.owners = owners
        return self.cleaned_data["owner"]

    def clean(self):
        cleaned = super().clean()
        if self.has_error("owner"):
            # The model's own check stops at the missing owner before it compares the times:
            # compare them here, so that every mistake is shown at once.
            start, end = cleaned.get("start_time"), cleaned.get("end_time")
            if start and end and end <= start:
                self.add_error("end_time", _("The meeting must end after it starts."))
        return cleaned

    def owner_values(self) -> dict:
        return dict(self.owners)

    def owner_ids(self) -> dict:
        """Return the chosen owner as ids, as networks.permissions takes them."""
        return {
            f"{name}_id": owner.pk if owner is not None else None
            for name, owner in getattr(self, "owners", {}).items()
        }

    def _post_clean(self):
        super()._post_clean()
        if self.has_error("owner"):
            # Without a valid owner the model's only non-field check ("exactly one owner")
            # would repeat the owner field's error at the top of the form.
            self._errors.pop(NON_FIELD_ERRORS, None)


class MeetingForm(SubmittedOnce, TierFieldsMixin, OwnerFormMixin, forms.ModelForm):
    """Create or change a meeting: plan it ahead, or log it right after it was held."""

    class Meta:
        model = Meeting
        field_classes = {"organisations": ModelMultipleChoiceField}
        fields = [
            "status",
            "date",
            "start_time",
            "end_time",
            "place",
            "type",
            "visibility",
            "agenda",
            "participant_count",
            "organisations",
            "notes",
            "notes_visibility",
            "follow_up",
        ]
        widgets = {
            "status": forms.RadioSelect,
            "date": DateInput,
            "start_time": TimeInput,
            "end_time": TimeInput,
            "participant_count": count_input(),
            "organisations": forms.CheckboxSelectMultiple,
            "agenda": forms.Textarea(attrs={"rows": 4}),
            "notes": forms.Textarea(attrs={"rows": 8}),
            "visibility": forms.RadioSelect,
            "notes_visibility": forms.RadioSelect,
            "follow_up": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages = {"participant_count": {"min_value": NEGATIVE_COUNT}}
        help_texts = {
            "notes": _("What was discussed and decided. Who may read them is chosen below."),
            "organisations": _("The organisations that had someone at the meeting."),
        }

    tier_fields = ("visibility", "notes_visibility")

    def __init__(self, *args, user, preselect_group=None, **kwargs):
        super().__init__(*args, **kwargs)
        editing = self.instance.pk is not None
        self._setup_owner(user, self.instance if editing else None, preselect_group)
        # Checked on the field too, so that an absurd date is reported as such, first.
        self.fields["date"].validators.append(validate_plausible_date)
        if not editing:
            # A new meeting is planned or logged as held; cancelling is a step of its own.
            self.fields["status"].choices = [
                (value, label)
                for value, label in MeetingStatus.choices
                if value != MeetingStatus.CANCELLED
            ]
            self.initial.setdefault("date", timezone.localdate())
        for name in ("status", "type", "visibility", "notes_visibility"):
            self.fields[name].choices = capitalised(self.fields[name].choices)
        self.setup_tiers(user)
        self.helper = form_layout(
            Fieldset(
                _("Meeting"),
                "owner",
                "status",
                "date",
                side_by_side("start_time", "end_time", widths=("col-6", "col-6")),
                "place",
                "type",
                "visibility",
            ),
            Fieldset(
                _("After the meeting"),
                "participant_count",
                "organisations",
                "notes",
                "notes_visibility",
                "follow_up",
            ),
            Fieldset(_("Before the meeting"), "agenda"),
        )

    def clean(self):
        cleaned = super().clean()
        if not self.has_error("owner"):
            self.check_tiers(**self.owner_ids())
        day, status = cleaned.get("date"), cleaned.get("status")
        if day and status == MeetingStatus.HELD and day > timezone.localdate():
            self.add_error(
                "date",
                _(
                    "A meeting cannot have been held on a date that has not come yet. "
                    "Choose the status “planned” or change the date."
                ),
            )
        return cleaned

    def service_values(self) -> dict:
        """Return the keyword arguments for meeting_create / meeting_update."""
        values = {name: self.cleaned_data[name] for name in self.Meta.fields}
        values.update(self.owner_values())
        return values


class MeetingSeriesForm(SubmittedOnce, TierFieldsMixin, OwnerFormMixin, forms.ModelForm):
    """Plan a series: from a first date to a last one, every N weeks, the same time and place."""

    first = forms.DateField(
        label=_("First meeting"), widget=DateInput, validators=[validate_plausible_date]
    )
    last = forms.DateField(
        label=_("Last meeting at the latest"),
        widget=DateInput,
        validators=[validate_plausible_date],
        help_text=_("The series ends on this date or on the last meeting before it."),
    )
    every_weeks = forms.IntegerField(
        label=_("Every how many weeks"),
        min_value=1,
        max_value=MAX_EVERY_WEEKS,
        initial=3,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "count-input"}),
        help_text=_("1 for every week, 3 for every third week on the same weekday."),
        error_messages={
            "min_value": _("Choose at least 1 week between the meetings."),
            "max_value": _("Choose at most %(limit_value)s weeks between the meetings."),
        },
    )

    class Meta:
        model = Meeting
        fields = ["start_time", "end_time", "place", "type", "visibility", "agenda"]
        widgets = {
            "start_time": TimeInput,
            "end_time": TimeInput,
            "agenda": forms.Textarea(attrs={"rows": 3}),
            "visibility": forms.RadioSelect,
        }
        help_texts = {"agenda": _("The same agenda for every meeting; change each one later.")}

    def __init__(self, *args, user, preselect_group=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_owner(user, None, preselect_group)
        for name in ("type", "visibility"):
            self.fields[name].choices = capitalised(self.fields[name].choices)
        self.setup_tiers(user)
        self.order_fields(("owner", "first", "last", "every_weeks", *self.Meta.fields))
        self.helper = form_layout(
            Fieldset(_("Whose meetings and when"), "owner", "first", "last", "every_weeks"),
            Fieldset(
                _("The same for every meeting"),
                side_by_side("start_time", "end_time", widths=("col-6", "col-6")),
                "place",
                "type",
                "visibility",
                "agenda",
            ),
        )

    def clean(self):
        cleaned = super().clean()
        if not self.has_error("owner"):
            self.check_tiers(**self.owner_ids())
        first, last, every = cleaned.get("first"), cleaned.get("last"), cleaned.get("every_weeks")
        if first and last:
            if last < first:
                self.add_error("last", _("The last date cannot be before the first."))
            elif every and (last - first) // datetime.timedelta(weeks=every) >= MAX_SERIES_MEETINGS:
                self.add_error(
                    "last",
                    _("That would be more than %(count)s meetings. Choose a closer last date.")
                    % {"count": MAX_SERIES_MEETINGS},
                )
        return cleaned

    def service_values(self) -> dict:
        """Return the keyword arguments for meeting_series_create."""
        values = {name: self.cleaned_data[name] for name in ("first", "last", "every_weeks")}
        values.update({name: self.cleaned_data[name] for name in self.Meta.fields})
        values.update(self.owner_values())
        return values


class ActivityForm(SubmittedOnce, TierFieldsMixin, forms.ModelForm):
    """Create or change an activity: an activity day, a safety walk, a citizen dialogue …"""

    class Meta:
        model = Activity
        fields = list(ACTIVITY_FIELDS)
        field_classes = {"partners": ModelMultipleChoiceField}
        widgets = {
            "start_date": DateInput,
            "end_date": DateInput,
            "participant_count": count_input(),
            "partners": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 5}),
            "visibility": forms.RadioSelect,
        }
        error_messages = {"participant_count": {"min_value": NEGATIVE_COUNT}}
        help_texts = {
            "name": _("E.g. “Trygghetsvandring Norrby”. Leave empty to use the type and area."),
            "theme": _("Required for a citizen dialogue."),
        }

    def __init__(self, *args, user, preselect_group=None, **kwargs):
        super().__init__(*args, **kwargs)
        current = self.instance.group_id
        types = [choice for choice in self.fields["type"].choices if choice[0]]
        self.fields["type"].choices = [("", _("Choose a type")), *capitalised(types)]
        self.fields["visibility"].choices = capitalised(self.fields["visibility"].choices)
        self.setup_tiers(user)
        group = self.fields["group"]
        group.queryset = (
            permissions.editable_groups(user)
            .filter(Q(active=True) | Q(pk=current))
            .select_related("kind")
        )
        group.label_from_instance = operator.attrgetter("choice_label")
        group.error_messages["invalid_choice"] = _(
            "You can only add activities for the groups you coordinate."
        )
        # Only those who manage everything may record an activity of no single group.
        group.required = not permissions.manages_everything(user)
        group.empty_label = (
            _("Choose a group") if group.required else _("No group (across the municipality)")
        )
        if self.instance.pk is None:
            if preselect_group is not None:
                self.initial.setdefault("group", preselect_group)
            self.initial.setdefault("start_date", timezone.localdate())
        self.helper = form_layout(
            Fieldset(
                _("Activity"),
                "type",
                "name",
                "group",
                "area",
                side_by_side("start_date", "end_date"),
                "theme",
            ),
            Fieldset(
                _("Who took part"),
                "participant_count",
                "partners",
                "description",
                "is_special",
                "visibility",
            ),
        )

    def clean(self):
        cleaned = super().clean()
        if not self.has_error("group"):
            group = cleaned.get("group")
            self.check_tiers(group_id=group.pk if group else None)
        if cleaned.get("type") == ActivityType.CITIZEN_DIALOGUE and not cleaned.get("theme"):
            self.add_error("theme", _("Give the theme of the citizen dialogue."))
        return cleaned

    def service_values(self) -> dict:
        """Return the keyword arguments for activity_create / activity_update."""
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class MeetingFilterForm(ListFilterForm):
    """The meeting list's filters: year, kind, group, type and status."""

    kind = id_field(_("Network kind"))
    type = forms.ChoiceField(
        label=_("Type"),
        choices=all_choice(_("All types")) + capitalised(MeetingType.choices),
        required=False,
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=all_choice(_("All"))
        + capitalised(MeetingStatus.choices)
        + [(LACKING_NOTES, _("Held, notes missing"))],
        required=False,
    )

    field_order = ("year", "kind", "group", "type", "status")
    filters = {
        "year": "in_year",
        "kind": "of_kind",
        "group": "for_group",
        "type": "of_type",
        "status": "with_status",
    }

    def __init__(self, data=None, *, staff, **kwargs):
        super().__init__(data, **kwargs)
        if not staff:
            # Whether notes are missing is staff's business.
            status = self.fields["status"]
            status.choices = [choice for choice in status.choices if choice[0] != LACKING_NOTES]


class ActivityFilterForm(ListFilterForm):
    """The activity list's filters: year, type and group."""

    type = forms.ChoiceField(
        label=_("Type"),
        choices=all_choice(_("All types")) + capitalised(ActivityType.choices),
        required=False,
    )

    field_order = ("year", "type", "group")
    filters = {"year": "in_year", "type": "of_type", "group": "for_group"}
