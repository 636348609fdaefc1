"""Receipts: PDF, JPEG or PNG up to 5 MB, recognised by their content, never by their name.

A receipt is checked when it is uploaded (`validate_receipt`): a PDF must be read by pypdf, an
image decoded by Pillow, whole – a file that only starts like one (`%PDF-` and then HTML) is
refused. It is recognised again by its first bytes when it is served (`receipt_type`), so that a
file that reached the storage some other way is never sent with a content type it does not have.
"""

import threading
from contextlib import contextmanager
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext as _
from PIL import Image, ImageFile
from pypdf import PdfReader

MAX_RECEIPT_BYTES = 5 * 1024 * 1024
# Decoding needs about 3 bytes a pixel: 64 megapixels (a 50 MP phone photo, an A4 page scanned at
# 600 dpi) is the most a receipt needs, and bounds what one upload can make the server allocate.
MAX_RECEIPT_PIXELS = 64_000_000
ACCEPT = "application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png"


@dataclass(frozen=True)
class ReceiptType:
    content_type: str
    extension: str
    name: str


PDF = ReceiptType("application/pdf", "pdf", "PDF")
JPEG = ReceiptType("image/jpeg", "jpg", "JPEG")
PNG = ReceiptType("image/png", "png", "PNG")
# Pillow's names of what it decoded; some phones save a JPEG with extra frames, which it calls MPO.
IMAGE_TYPES = {"JPEG": JPEG, "MPO": JPEG, "PNG": PNG}
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


def _damaged(kind: ReceiptType):
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


_STRICT_DECODING = threading.Lock()


@contextmanager
def _strict_decoding():
    """Make Pillow fail on a truncated or broken image while a receipt is decoded.

    WeasyPrint sets Pillow's process-wide LOAD_TRUNCATED_IMAGES when it is imported, and then
    `load()` pads a broken image with grey instead of failing. The lock keeps two uploads from
    restoring each other's setting.
    """
    with _STRICT_DECODING:
        lenient = ImageFile.LOAD_TRUNCATED_IMAGES
        ImageFile.LOAD_TRUNCATED_IMAGES = False
        try:
            yield
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = lenient


def _checked_pdf(uploaded) -> ReceiptType:
    """Return PDF if pypdf reads the file's cross-references, trailer and pages; else refuse."""
    try:
        readable = len(PdfReader(uploaded).pages) > 0
    except Exception:  # pypdf raises many kinds of error for a file that is no PDF.
        readable = False
    finally:
        uploaded.seek(0)
    if not readable:
        raise _damaged(PDF)
    return PDF


def _checked_image(uploaded) -> ReceiptType:
    """Return JPEG or PNG if Pillow decodes every pixel of the file as one of them; else refuse."""
    try:
        image = Image.open(uploaded, formats=("JPEG", "PNG"))  # Only these decoders ever run.
    except Image.DecompressionBombError:
        raise _too_many_pixels() from None
    except Exception:  # Pillow raises many kinds of error for a file that is no image.
        uploaded.seek(0)
        raise _wrong_type() from None
    with image:
        kind = IMAGE_TYPES[image.format]
        if image.width * image.height > MAX_RECEIPT_PIXELS:
            raise _too_many_pixels()
        try:
            with _strict_decoding():
                image.load()  # A valid header followed by anything else fails here.
        except Exception:
            raise _damaged(kind) from None
        finally:
            uploaded.seek(0)
    return kind


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
        return _checked_pdf(uploaded)
    return _checked_image(uploaded)


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
