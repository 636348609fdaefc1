"""Receipts: PDF, JPEG or PNG up to 5 MB, recognised by their content, never by their name.

A receipt is checked when it is uploaded (`validate_receipt`) and recognised again when it is
served (`receipt_type`), so that a file that reached the storage some other way is never sent
with a content type it does not have.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext as _
from PIL import Image

MAX_RECEIPT_BYTES = 5 * 1024 * 1024
ACCEPT = "application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png"


@dataclass(frozen=True)
class ReceiptType:
    content_type: str
    extension: str


PDF = ReceiptType("application/pdf", "pdf")
JPEG = ReceiptType("image/jpeg", "jpg")
PNG = ReceiptType("image/png", "png")
IMAGE_TYPES = {"JPEG": JPEG, "PNG": PNG}
# The first bytes of each type: enough to recognise a stored file when serving it.
SIGNATURES = ((b"%PDF-", PDF), (b"\xff\xd8\xff", JPEG), (b"\x89PNG\r\n\x1a\n", PNG))


def _wrong_type():
    return ValidationError(
        _(
            "The receipt must be a PDF, JPEG or PNG file, and this file is none of them "
            "(whatever its name says). Save or photograph the receipt as PDF, JPEG or PNG "
            "and choose it again."
        ),
        code="receipt_type",
    )


def _image_type(uploaded) -> ReceiptType | None:
    """Return JPEG or PNG if Pillow opens and verifies the file as one of them."""
    uploaded.seek(0)
    try:
        with Image.open(uploaded) as image:
            found = IMAGE_TYPES.get(image.format)
            image.verify()
    except Exception:  # Pillow raises many kinds of error for a file that is no image.
        return None
    finally:
        uploaded.seek(0)
    return found


def validate_receipt(uploaded) -> ReceiptType:
    """Return the type of an uploaded receipt, or raise a ValidationError saying what is wrong."""
    if uploaded.size > MAX_RECEIPT_BYTES:
        megabytes = f"{uploaded.size / (1024 * 1024):.1f}".replace(".", ",")
        raise ValidationError(
            _(
                "The receipt is %(size)s MB, and it may be at most 5 MB. Take a photo with "
                "a lower resolution or scan the receipt again, and choose the smaller file."
            )
            % {"size": megabytes},
            code="receipt_size",
        )
    uploaded.seek(0)
    head = uploaded.read(len(b"%PDF-"))
    uploaded.seek(0)
    if head == b"%PDF-":
        return PDF
    found = _image_type(uploaded)
    if found is None:
        raise _wrong_type()
    return found


def receipt_file_name(original: str, kind: ReceiptType) -> str:
    """Return a safe file name for storage: the original's stem, the extension of its content."""
    stem = original.rsplit("/", 1)[-1].rsplit("\\", 1)[-1].rsplit(".", 1)[0]
    return f"{slugify(stem)[:40] or 'kvitto'}.{kind.extension}"


def receipt_type(file) -> ReceiptType | None:
    """Return the type of an open stored receipt from its first bytes; None if it is no receipt."""
    head = file.read(8)
    file.seek(0)
    for signature, kind in SIGNATURES:
        if head.startswith(signature):
            return kind
    return None
