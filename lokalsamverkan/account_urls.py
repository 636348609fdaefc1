"""Login, logout, password change and password reset, at Swedish addresses under /konto/, and
the page an invitation's link opens (members/views.py).

Django's own views with the Swedish templates in templates/registration/, except the login,
which asks some for a second factor and offers the municipality's sign-in (accounts/), and the
password reset, which core/accounts.py limits. The URL names are Django's, which its views
reverse (e.g. "password_reset_done").
"""

from django.contrib.auth import views as auth_views
from django.urls import include, path

from accounts.views import LoginView
from core.accounts import PasswordResetView
from members.views import invitation_accept

urlpatterns = [
    path("logga-in/", LoginView.as_view(), name="login"),
    path("logga-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path("losenord/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "losenord/klart/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("aterstall/", PasswordResetView.as_view(), name="password_reset"),
    path(
        "aterstall/skickat/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "aterstall/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "aterstall/klart/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("", include("accounts.urls")),
    path("inbjudan/<str:token>/", invitation_accept, name="invitation_accept"),
]
