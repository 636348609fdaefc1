"""The invitation form, and the password form of the accept page."""

from crispy_forms.layout import Fieldset
from django import forms
from django.contrib.auth.forms import SetPasswordForm
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from core.forms import form_layout, side_by_side
from networks import permissions
from networks.models import GroupRole, NetworkGroup, Organisation
from submissions.forms import SubmittedOnce

from .services import NOT_YOUR_GROUP, ROLE_REFUSED

SERVICE_FIELDS = ("name", "email", "organisation", "group", "role")


def _organisation_label(organisation: Organisation) -> str:
    tier = _("bound by secrecy") if organisation.bound_by_secrecy else _("not bound by secrecy")
    return f"{organisation.name} ({organisation.get_type_display()}, {tier})"


class InvitationForm(SubmittedOnce, forms.Form):
    """Invite a person by e-mail to a group with a role."""

    name = forms.CharField(
        label=_("Name"),
        max_length=200,
        error_messages={"required": _("Write the person's name.")},
    )
    email = forms.EmailField(
        label=_("E-mail"),
        max_length=254,
        help_text=_("The invitation is sent here; it is also the user name they log in with."),
        error_messages={
            "required": _("Write the person's e-mail address."),
            "invalid": _("Write a whole e-mail address, e.g. namn@example.org."),
        },
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.all(),
        required=False,
        empty_label=_("None: a resident taking part on their own"),
        help_text=_(
            "The organisation's type decides what the person may read. People of municipal "
            "administrations, the police, the region and public schools are bound by "
            "professional secrecy and read the group's confidential notes too; everyone else "
            "(associations, companies, residents) reads the network tier only."
        ),
        error_messages={"invalid_choice": _("Choose an organisation from the list.")},
    )
    group = forms.ModelChoiceField(label=_("Group"), queryset=NetworkGroup.objects.none())
    role = forms.ChoiceField(label=_("Role"))

    def __init__(self, *args, user, preselect_group=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        organisation = self.fields["organisation"]
        organisation.label_from_instance = _organisation_label
        group = self.fields["group"]
        group.queryset = permissions.editable_groups(user).select_related("kind")
        group.label_from_instance = lambda group: group.choice_label
        group.empty_label = _("Choose a group")
        group.error_messages["invalid_choice"] = NOT_YOUR_GROUP
        group.error_messages["required"] = _("Choose a group.")
        if preselect_group is not None:
            self.initial.setdefault("group", preselect_group)
        everything = permissions.manages_everything(user)
        roles = (
            GroupRole.Role.choices
            if everything
            else [(GroupRole.Role.MEMBER, GroupRole.Role.MEMBER.label)]
        )
        role = self.fields["role"]
        role.choices = [(value, capfirst(label)) for value, label in roles]
        role.initial = GroupRole.Role.MEMBER
        role.error_messages["invalid_choice"] = ROLE_REFUSED
        self.helper = form_layout(
            Fieldset(
                _("Who"),
                side_by_side("name", "email"),
                "organisation",
            ),
            Fieldset(_("To which group"), "group", "role"),
        )

    def service_values(self) -> dict:
        return {name: self.cleaned_data[name] for name in SERVICE_FIELDS}


class InvitationPasswordForm(SetPasswordForm):
    """Choose the password of the account an invitation creates (Django's validators)."""

    def save(self, commit=True):
        raise NotImplementedError("members.services writes the account")
