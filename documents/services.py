"""Writes to documents and their versions. Views validate with a form, then call these."""

import hashlib
import logging

from django.db import transaction

from core.services import model_update
from core.uploads import FileType

from .models import Document, DocumentVersion

# Who added, replaced or deleted which document: the trail an information security officer asks
# for (the file names and titles stay out of the log: they may name people).
logger = logging.getLogger(__name__)

DOCUMENT_FIELDS = (
    "group",
    "kind",
    "forum",
    "title",
    "description",
    "visibility",
    "meeting",
    "meeting_role",
)
# What may be changed once the document exists: not its owner.
DOCUMENT_CHANGE_FIELDS = ("title", "description", "visibility", "meeting", "meeting_role")


def _checksum(uploaded) -> str:
    digest = hashlib.sha256()
    uploaded.seek(0)
    for chunk in uploaded.chunks():
        digest.update(chunk)
    uploaded.seek(0)
    return digest.hexdigest()


def _version_add(*, document: Document, file, file_type: FileType, user) -> DocumentVersion:
    """Store `file` (checked: of `file_type`, its name cleaned) as the document's next version."""
    last = document.versions.order_by("-number").values_list("number", flat=True).first()
    version = DocumentVersion(
        document=document,
        number=(last or 0) + 1,
        original_name=file.name,
        size=file.size,
        content_type=file_type.content_type,
        sha256=_checksum(file),
        uploaded_by=user,
    )
    # The stored name is random (models.version_path); only its ending comes from the content.
    version.file.save(f"version.{file_type.extension}", file, save=False)
    try:
        version.full_clean()
        version.save()
    except Exception:
        version.file.delete(save=False)
        raise
    logger.info(
        "Document %s: version %s uploaded by user %s (%s, %s bytes, sha256 %s)",
        document.pk,
        version.number,
        getattr(user, "pk", None),
        version.content_type,
        version.size,
        version.sha256,
    )
    return version


@transaction.atomic
def document_create(*, file, file_type: FileType, created_by, **values) -> Document:
    """Create a document from validated values with `file` as its first version."""
    document = model_update(
        instance=Document(created_by=created_by), fields=DOCUMENT_FIELDS, data=values
    )
    _version_add(document=document, file=file, file_type=file_type, user=created_by)
    return document


def document_update(*, document: Document, **values) -> Document:
    """Change a document's title, description, tier or meeting link (not its owner)."""
    return model_update(instance=document, fields=DOCUMENT_CHANGE_FIELDS, data=values)


@transaction.atomic
def document_version_add(
    *, document: Document, file, file_type: FileType, uploaded_by
) -> DocumentVersion:
    """Add `file` as the document's next version; the earlier ones stay.

    The document's row is locked meanwhile, so two uploads at once get two numbers.
    """
    locked = Document.objects.select_for_update().get(pk=document.pk)
    version = _version_add(document=locked, file=file, file_type=file_type, user=uploaded_by)
    locked.save(update_fields=["updated_at"])
    return version


@transaction.atomic
def document_delete(*, document: Document, deleted_by=None) -> None:
    """Delete a document with every version; the files go once the deletion is committed."""
    names = list(document.versions.values_list("file", flat=True))
    storage = DocumentVersion._meta.get_field("file").storage
    logger.info(
        "Document %s (%s, tier %s) deleted with %s versions by user %s",
        document.pk,
        document.owner_ids,
        document.visibility,
        len(names),
        getattr(deleted_by, "pk", None),
    )
    document.delete()
    transaction.on_commit(lambda: [storage.delete(name) for name in names if name])
