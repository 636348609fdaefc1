"""Members and invitations of a group; the page an invitation's link opens.

Every view asks networks.permissions who may do what; the forms validate and
members/services.py writes.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from core.views import add_service_errors, allowed, form_for_user, posted, saved
from networks import permissions
from networks.models import GroupRole, NetworkGroup

from . import services
from .forms import InvitationForm, InvitationPasswordForm
from .models import Invitation

ONLY_COORDINATORS_INVITE = gettext_lazy(
    "Only the coordinators of a group and the network developer invite people to it."
)
NOT_YOUR_MEMBERS = gettext_lazy(
    "Only the group's coordinators and the network developer see and change its members."
)
NOT_YOUR_INVITATION = gettext_lazy(
    "Only the person who sent an invitation, or the network developer, can withdraw it."
)
NOT_YOUR_REMOVAL = gettext_lazy(
    "A coordinator removes the members of their own groups; conveners and contact persons "
    "are removed by the network developer."
)
OTHER_ACCOUNT = gettext_lazy(
    "This invitation is for another account than the one you are logged in with "
    "(%(username)s). Log out, then open the link in the e-mail again."
)
# The backend that logs in the account an invitation has just made: the password was chosen
# this very moment, so it is not checked again (django-axes counts failed logins only).
LOGIN_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _members_url(group_id) -> str:
    return reverse("members:group_members", args=[group_id])


# --- a group's members and invitations ----------------------------------------------------


@login_required
def group_members(request, group_pk):
    """List the group's members (organisation and tier) and its pending invitations."""
    group = get_object_or_404(NetworkGroup.objects.select_related("kind"), pk=group_pk)
    user = request.user
    if not permissions.can_manage_members(user, group):
        raise PermissionDenied(NOT_YOUR_MEMBERS)
    roles = (
        GroupRole.objects.filter(group=group)
        .select_related("group", "person", "person__organisation", "person__user")
        .order_by("person__name", "role")
    )
    members = [
        {
            "role": role,
            "tier": permissions.tier_of_role(role.person.organisation, role.role),
            "can_remove": permissions.can_remove_role(user, role),
        }
        for role in roles
    ]
    invitations = [
        {
            "invitation": invitation,
            "can_withdraw": permissions.can_withdraw_invitation(user, invitation),
        }
        for invitation in Invitation.objects.pending().filter(group=group).for_list()
    ]
    return render(
        request,
        "members/group_members.html",
        {
            "group": group,
            "members": members,
            "invitations": invitations,
            "can_invite": permissions.can_invite(user, group),
        },
    )


@allowed(permissions.can_invite_somewhere, ONLY_COORDINATORS_INVITE)
def invitation_create(request):
    """Invite a person by e-mail to a group with a role (?group=<id> preselects the group)."""
    form = form_for_user(request, InvitationForm)

    def link_for(token: str) -> str:
        return request.build_absolute_uri(reverse("invitation_accept", args=[token]))

    invitation = saved(
        form,
        lambda: services.invitation_create(
            invited_by=request.user, link_for=link_for, **form.service_values()
        ),
    )
    if invitation is not None:
        messages.success(
            request,
            _("An invitation to %(group)s has been sent to %(email)s.")
            % {"group": invitation.group.name, "email": invitation.email},
        )
        return redirect(_members_url(invitation.group_id))
    group_id = form.initial.get("group")
    cancel_url = _members_url(group_id) if isinstance(group_id, int) else None
    return render(
        request,
        "members/invitation_form.html",
        {"form": form, "cancel_url": cancel_url, "max_age_days": settings.INVITATION_MAX_AGE_DAYS},
    )


@require_POST
@login_required
def invitation_withdraw(request, pk):
    """Withdraw a pending invitation: its link stops working at once."""
    invitation = get_object_or_404(Invitation.objects.select_related("group"), pk=pk)
    if not permissions.can_withdraw_invitation(request.user, invitation):
        raise PermissionDenied(NOT_YOUR_INVITATION)
    try:
        services.invitation_withdraw(invitation=invitation, withdrawn_by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The invitation of %(name)s has been withdrawn.") % {"name": invitation.name},
        )
    return redirect(_members_url(invitation.group_id))


@require_POST
@login_required
def group_role_remove(request, pk):
    """Take a person's role in a group away; they lose access with their next request."""
    group_role = get_object_or_404(GroupRole.objects.select_related("group", "person"), pk=pk)
    if not permissions.can_remove_role(request.user, group_role):
        raise PermissionDenied(NOT_YOUR_REMOVAL)
    services.group_role_remove(group_role=group_role)
    messages.success(
        request,
        _("%(name)s is no longer %(role)s of %(group)s.")
        % {
            "name": group_role.person.name,
            "role": group_role.get_role_display(),
            "group": group_role.group.name,
        },
    )
    return redirect(_members_url(group_role.group_id))


# --- the invitation's link ----------------------------------------------------------------


UNUSABLE_STATUS = {"invalid": 400, "clash": 400}


def _unusable(request, reason: str, message: str = ""):
    """Render why the link cannot be used: 400 for a link that never was one, 410 for one
    that was and no longer is."""
    return render(
        request,
        "members/invitation_unusable.html",
        {"reason": reason, "message": message, "max_age_days": settings.INVITATION_MAX_AGE_DAYS},
        status=UNUSABLE_STATUS.get(reason, 410),
    )


@never_cache
@sensitive_post_parameters("new_password1", "new_password2")
def invitation_accept(request, token):
    """Show who invites to which group; let the invited person choose a password (or, with
    an account already, join with it) and take the role."""
    try:
        invitation = services.invitation_find(token)
        match = services.registry_match(email=invitation.email, name=invitation.name)
    except services.InvitationUnusable as refused:
        return _unusable(request, refused.reason)
    except ValidationError as error:
        return _unusable(request, "clash", " ".join(error.messages))
    user = request.user
    if user.is_authenticated and (match.user is None or match.user.pk != user.pk):
        raise PermissionDenied(OTHER_ACCOUNT % {"username": user.get_username()})
    context = {"invitation": invitation, "max_age_days": settings.INVITATION_MAX_AGE_DAYS}
    if match.has_active_account:
        if not user.is_authenticated:
            return render(request, "members/invitation_accept.html", {**context, "step": "login"})
        if request.method == "POST":
            try:
                services.invitation_accept_by_account(invitation=invitation, user=user)
            except services.InvitationUnusable as refused:
                return _unusable(request, refused.reason)
            except ValidationError as error:
                return _unusable(request, "clash", " ".join(error.messages))
            return _welcome(request, invitation)
        return render(request, "members/invitation_accept.html", {**context, "step": "join"})
    form = InvitationPasswordForm(services.account_for(invitation, match), *posted(request))
    if form.is_bound and form.is_valid():
        try:
            account = services.invitation_accept_with_password(
                invitation=invitation, password=form.cleaned_data["new_password1"]
            )
        except services.InvitationUnusable as refused:
            return _unusable(request, refused.reason)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            login(request, account, backend=LOGIN_BACKEND)
            return _welcome(request, invitation)
    return render(
        request, "members/invitation_accept.html", {**context, "step": "password", "form": form}
    )


def _welcome(request, invitation):
    messages.success(
        request,
        _("Welcome to %(group)s! Your groups are listed here.") % {"group": invitation.group.name},
    )
    return redirect("meetings:my_networks")
