"""Receipts: PDF, JPEG or PNG up to 5 MB, recognised by their content, never by their name.

A receipt is checked when it is uploaded (`validate_receipt`, through core.uploads): a PDF must
be read by pypdf, an image decoded by Pillow, whole – a file that only starts like one (`%PDF-`
and then HTML) is refused. It is recognised again by its first bytes when it is served
(`receipt_type`), so that a file that reached the storage some other way is never sent with a
content type it does not have.
"""

from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core import uploads
from core.uploads import FileType

MAX_RECEIPT_BYTES = 5 * 1024 * 1024
MAX_RECEIPT_PIXELS = uploads.MAX_PIXELS  # 64 megapixels, as the message says
ACCEPT = "application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png"
RECEIPT_TYPES = (uploads.PDF, uploads.JPEG, uploads.PNG)


def _wrong_type():
    return ValidationError(
        _(
            "The receipt must be a PDF, JPEG or PNG file, and this file is none of them "
            "(whatever its name says). Save or photograph the receipt as PDF, JPEG or PNG "
            "and choose it again."
        ),
        code="receipt_type",
    )


def _damaged(kind: FileType):
    return ValidationError(
        _(
            "The receipt looks like a %(type)s file but cannot be read to the end: the file is "
            "damaged, cut short or something else. Save, scan or photograph the receipt again "
            "and choose the new file."
        )
        % {"type": kind.name},
        code="receipt_damaged",
    )


def _too_many_pixels():
    return ValidationError(
        _(
            "The receipt image has more than 64 megapixels. Take a photo with a lower "
            "resolution or scan the receipt again, and choose the smaller file."
        ),
        code="receipt_pixels",
    )


def validate_receipt(uploaded) -> FileType:
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
    try:
        return uploads.identify(uploaded, RECEIPT_TYPES, max_pixels=MAX_RECEIPT_PIXELS)
    except uploads.Refused as refused:
        if refused.reason == refused.TOO_MANY_PIXELS:
            raise _too_many_pixels() from None
        if refused.reason == refused.DAMAGED:
            raise _damaged(refused.kind) from None
        raise _wrong_type() from None


def receipt_file_name(original: str, kind: FileType) -> str:
    """Return a safe file name for storage: the original's stem, the extension of its content."""
    stem = original.rsplit("/", 1)[-1].rsplit("\\", 1)[-1].rsplit(".", 1)[0]
    return f"{slugify(stem)[:40] or 'kvitto'}.{kind.extension}"


def receipt_type(file) -> FileType | None:
    """Return the type of an open stored receipt from its first bytes; None if it is no receipt."""
    return uploads.sniff(file, RECEIPT_TYPES)
