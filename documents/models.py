"""The shared documents of groups, kinds and forums, each with its versions.

A document belongs to exactly one group, kind or central forum, has a secrecy tier and may be
linked to one of its owner's meetings (as agenda, minutes, presentation …). Its file is a
version: a new version keeps the old ones. The files lie in the private storage (outside
MEDIA_ROOT, without URLs) under random names; documents/views.py serves them to those who may
read the document.
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core import uploads
from meetings.models import Meeting
from networks.models import Forum, NetworkGroup, NetworkKind, Visibility


class MeetingRole(models.TextChoices):
    AGENDA = "agenda", _("agenda")
    MINUTES = "minutes", _("minutes")
    PRESENTATION = "presentation", _("presentation")
    OTHER = "other", _("other")


class DocumentQuerySet(models.QuerySet):
    def public(self):
        """Documents anyone may read and download: of the public tier."""
        return self.filter(visibility=Visibility.PUBLIC)

    def of_owner(self, *, group_id=None, kind_id=None, forum_id=None):
        """Return the documents of one group, kind or forum."""
        return self.filter(group_id=group_id, kind_id=kind_id, forum_id=forum_id)

    def for_listing(self):
        """Fetch what a list shows: the owner, the linked meeting and the latest version."""
        latest = DocumentVersion.objects.order_by("document_id", "-number")
        return self.select_related(
            "group", "group__kind", "kind", "forum", "meeting"
        ).prefetch_related(models.Prefetch("versions", queryset=latest, to_attr="version_list"))


class Document(models.Model):
    """A shared document of a group, a kind or a central forum."""

    group = models.ForeignKey(
        NetworkGroup,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("group"),
    )
    kind = models.ForeignKey(
        NetworkKind,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("kind"),
    )
    forum = models.ForeignKey(
        Forum,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("central forum"),
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    visibility = models.CharField(
        _("who may read the document"),
        max_length=20,
        choices=Visibility.choices,
        default=Visibility.NETWORK,
    )
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("meeting"),
    )
    meeting_role = models.CharField(
        _("what it is for the meeting"), max_length=20, choices=MeetingRole.choices, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-updated_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(group__isnull=False, forum__isnull=True, kind__isnull=True)
                    | Q(group__isnull=True, forum__isnull=False, kind__isnull=True)
                    | Q(group__isnull=True, forum__isnull=True, kind__isnull=False)
                ),
                name="document_has_exactly_one_owner",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("documents:document_detail", kwargs={"pk": self.pk})

    def clean(self):
        owner = self.owner_ids
        if sum(value is not None for value in owner.values()) != 1:
            raise ValidationError(
                _("A document belongs to exactly one group, central forum or kind.")
            )
        if self.meeting_id is None:
            self.meeting_role = ""
            return
        meeting = self.meeting
        if (meeting.group_id, meeting.kind_id, meeting.forum_id) != (
            owner["group_id"],
            owner["kind_id"],
            owner["forum_id"],
        ):
            raise ValidationError(
                {"meeting": _("Choose a meeting of the same group, kind or forum as the document.")}
            )
        if not self.meeting_role:
            raise ValidationError({"meeting_role": _("Say what the document is for the meeting.")})

    @property
    def owner_ids(self) -> dict:
        """Return the owner as ids, as networks.permissions takes them."""
        return {"group_id": self.group_id, "kind_id": self.kind_id, "forum_id": self.forum_id}

    @property
    def owner(self):
        return self.group or self.forum or self.kind

    @property
    def owner_label(self) -> str:
        """Return whose document it is, as a person reads it."""
        if self.group_id:
            return self.group.choice_label
        if self.forum_id:
            return self.forum.name
        return self.kind.name

    @property
    def tier_label(self) -> str:
        return Visibility(self.visibility).short_label

    @property
    def latest_version(self):
        """Return the newest version (from the list's prefetch when there is one)."""
        versions = getattr(self, "version_list", None)
        if versions is not None:
            return versions[0] if versions else None
        return self.versions.order_by("-number").first()


def private_storage():
    """Return the storage of the documents' files: never under MEDIA_URL (settings.STORAGES)."""
    return storages["private"]


def version_path(version, filename):
    """Store a version under a random name: the person's file name is only in the database."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"documents/{version.document_id}/{uuid.uuid4().hex}.{extension}"


class DocumentVersion(models.Model):
    """One uploaded file of a document; a new version keeps the old ones."""

    document = models.ForeignKey(
        Document, on_delete=models.CASCADE, related_name="versions", verbose_name=_("document")
    )
    number = models.PositiveIntegerField(_("version"))
    file = models.FileField(_("file"), upload_to=version_path, storage=private_storage)
    original_name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    content_type = models.CharField(_("content type"), max_length=100)
    sha256 = models.CharField(_("SHA-256 checksum"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("document version")
        verbose_name_plural = _("document versions")
        ordering = ["document", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "number"], name="document_version_number_unique"
            ),
        ]

    def __str__(self):
        return f"{self.document} v{self.number}"

    def get_absolute_url(self):
        return reverse(
            "documents:version_download",
            kwargs={"pk": self.document_id, "number": self.number},
        )

    @property
    def type_name(self) -> str:
        """Return the file's type as people know it ("PDF", "DOCX" …)."""
        kind = uploads.BY_CONTENT_TYPE.get(self.content_type)
        return kind.name if kind else ""
