"""The login page and the second factor's pages, under /konto/.

The password login is Django's, except that a user who must give a code
(networks.permissions.requires_second_factor) is not logged in by it: the session remembers the
right password (accounts/sessions.py), and the code page logs them in. The municipality's
sign-in (accounts/oidc.py) skips the code: its identity provider asks for its own factors.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth import views as auth_views
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters

from core.views import posted
from networks.permissions import requires_second_factor

from . import services
from .forms import CodeForm
from .oidc import oidc_configured
from .sessions import SIGN_IN_METHOD, SignInMethod, pending_login, pending_login_start


class LoginView(auth_views.LoginView):
    """Django's login, with the municipality's sign-in beside it and the code after it."""

    redirect_authenticated_user = True

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        if oidc_configured():
            # The municipality's button comes first: focus must not jump past it.
            form.fields["username"].widget.attrs.pop("autofocus", None)
        return form

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["municipal_sign_in"] = oidc_configured()
        return context

    def form_valid(self, form):
        user = form.get_user()
        if requires_second_factor(user):
            pending_login_start(self.request, user=user, next_url=self.get_success_url())
            if services.confirmed_device(user) is None:
                return redirect("accounts:second_factor_setup")
            return redirect("accounts:second_factor")
        response = super().form_valid(form)
        self.request.session[SIGN_IN_METHOD] = SignInMethod.PASSWORD
        return response


def _start_again(request):
    messages.error(request, _("Your login has expired. Log in again."))
    return redirect("login")


def _check_code(request, form, *, pending, device):
    """Check the posted code; log the user in and return where they go, or refuse next to the
    field and return None."""
    check = services.totp_code_check(device=device, code=form.cleaned_data["code"])
    if check.paused_until is not None:
        form.refuse(
            _("Too many wrong codes. Wait %(seconds)s seconds, then try again.")
            % {"seconds": check.seconds_to_wait}
        )
        return None
    if not check.accepted:
        form.refuse(
            _(
                "The code is not right. Enter the code the app shows now; each code can be used "
                "once."
            )
        )
        return None
    services.login_with_second_factor(
        request, user=pending["user"], backend=pending["backend"], device=device
    )
    return pending["next"] or settings.LOGIN_REDIRECT_URL


@sensitive_post_parameters("code")
@csrf_protect
@never_cache
def second_factor(request):
    """Ask a password login that needs a second factor for the app's code."""
    pending = pending_login(request)
    if pending is None:
        return _start_again(request)
    device = services.confirmed_device(pending["user"])
    if device is None:
        return redirect("accounts:second_factor_setup")
    # The field is all the page asks for; the setup page instead leaves focus at its start,
    # where the instructions are.
    form = CodeForm(*posted(request), autofocus=True)
    checked = {"pending": pending, "device": device}
    if form.is_bound and form.is_valid() and (goes_to := _check_code(request, form, **checked)):
        return redirect(goes_to)
    return render(request, "accounts/second_factor.html", {"form": form})


@sensitive_post_parameters("code")
@csrf_protect
@never_cache
def second_factor_setup(request):
    """Set up the authenticator app of a password login that needs one and has none yet."""
    pending = pending_login(request)
    if pending is None:
        return _start_again(request)
    if services.confirmed_device(pending["user"]) is not None:
        # One app per account: a second one is added only after the first is removed (admin).
        return redirect("accounts:second_factor")
    device = services.totp_device_setup(user=pending["user"])
    form = CodeForm(*posted(request))
    checked = {"pending": pending, "device": device}
    if form.is_bound and form.is_valid() and (goes_to := _check_code(request, form, **checked)):
        messages.success(request, _("The app is set up. Next time, give its code."))
        return redirect(goes_to)
    context = {
        "form": form,
        "qr_code": services.qr_code_data_uri(device),
        "secret": services.secret_text(device),
        "account": pending["user"].get_username(),
        "issuer": settings.OTP_TOTP_ISSUER,
    }
    return render(request, "accounts/second_factor_setup.html", context)


def admin_login(request):
    """Send the admin's login to the portal's, so the admin asks for the same second factor."""
    next_url = request.GET.get(REDIRECT_FIELD_NAME, "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = ""
    return redirect_to_login(next_url or reverse("admin:index"))
