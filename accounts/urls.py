"""The municipality's sign-in and the second factor, under /konto/ (see account_urls.py)."""

from django.urls import path

from . import oidc, views

app_name = "accounts"

urlpatterns = [
    path("kommunen/", oidc.SignInStartView.as_view(), name="oidc_start"),
    path("kommunen/svar/", oidc.SignInCallbackView.as_view(), name="oidc_callback"),
    path("kod/", views.second_factor, name="second_factor"),
    path("kod/ny/", views.second_factor_setup, name="second_factor_setup"),
]
