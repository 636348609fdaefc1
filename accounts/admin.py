"""The authenticator apps in the admin: an administrator sees who has one and removes one that is
lost (its owner then sets up a new one at the next login). Nobody sees or changes a secret."""

import contextlib

from django.contrib import admin
from django.contrib.admin.sites import NotRegistered
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import AuthenticatorApp

# django-otp's own admin shows the secrets and their QR codes.
with contextlib.suppress(NotRegistered):
    admin.site.unregister(TOTPDevice)


@admin.register(AuthenticatorApp)
class AuthenticatorAppAdmin(admin.ModelAdmin):
    list_display = ["user", "name", "confirmed", "created_at", "last_used_at"]
    list_filter = ["confirmed"]
    search_fields = ["user__username", "user__email"]
    fields = ["user", "name", "confirmed", "created_at", "last_used_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
