"""The one-time keys of the forms that create something, and what each created."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class FormSubmission(models.Model):
    """A rendered form that was saved: its key, who sent it, and what it created.

    The key is unique, so of two sendings of one form only the first can claim it; what was
    created is a generic link, so the second sending lands where the first one went (the
    view redirects to it as it did the first time).
    """

    key = models.UUIDField(_("key"), unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, verbose_name=_("user")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, null=True, verbose_name=_("content type")
    )
    object_id = models.PositiveBigIntegerField(_("object id"), null=True)
    created = GenericForeignKey("content_type", "object_id")

    class Meta:
        verbose_name = _("form submission")
        verbose_name_plural = _("form submissions")
        ordering = ["-created_at"]

    def __str__(self):
        return str(self.key)
