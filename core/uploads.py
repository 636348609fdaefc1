"""Uploaded files recognised by their content, never by their name: PDF, JPEG, PNG and the office
formats DOCX, XLSX, PPTX, ODT and ODS.

`identify(uploaded, allowed)` reads the whole file as the type its first bytes claim, and returns
that type or raises `Refused` saying why (each app words the message for its own users):

- a PDF must be read by pypdf (cross-references, trailer, pages);
- a JPEG or PNG decoded by Pillow to its last pixel (at most `max_pixels`);
- an office document is a ZIP package (Python's zipfile reads its central directory and checks
  every entry's checksum) whose declaration names exactly one of the allowed types: for Office
  Open XML, the content type that `[Content_Types].xml` gives the main part that `_rels/.rels`
  points to (so a macro-enabled .docm or a template is none of them); for OpenDocument, the
  `mimetype` entry that must come first. Packages with macros, encrypted entries, more entries
  or more unpacked bytes than any real document has (a ZIP bomb) are refused.

A file that only starts like one of them (`%PDF-` and then HTML, a ZIP of something else) is
refused. When a stored file is served, `sniff` recognises it again by its first bytes.
"""

import re
import threading
import unicodedata
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from xml.etree import ElementTree

from PIL import Image, ImageFile
from pypdf import PdfReader


@dataclass(frozen=True)
class FileType:
    """A type of file the portal accepts: how it is served and which names it may have."""

    content_type: str
    extension: str  # the one a stored file gets
    name: str  # as people know it
    other_extensions: tuple[str, ...] = field(default=())

    @property
    def extensions(self) -> tuple[str, ...]:
        """Return every ending a file name of this type may have, without the dot."""
        return (self.extension, *self.other_extensions)


PDF = FileType("application/pdf", "pdf", "PDF")
JPEG = FileType("image/jpeg", "jpg", "JPEG", ("jpeg",))
PNG = FileType("image/png", "png", "PNG")
DOCX = FileType(
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx", "DOCX"
)
XLSX = FileType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx", "XLSX")
PPTX = FileType(
    "application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx", "PPTX"
)
ODT = FileType("application/vnd.oasis.opendocument.text", "odt", "ODT")
ODS = FileType("application/vnd.oasis.opendocument.spreadsheet", "ods", "ODS")

IMAGE_TYPES = (JPEG, PNG)
BY_CONTENT_TYPE = {kind.content_type: kind for kind in (PDF, JPEG, PNG, DOCX, XLSX, PPTX, ODT, ODS)}
# Decoding needs about 3 bytes a pixel: 64 megapixels (a 50 MP phone photo, an A4 page scanned at
# 600 dpi) is the most an upload needs, and bounds what one upload can make the server allocate.
MAX_PIXELS = 64_000_000
PACKAGE_TYPES = (DOCX, XLSX, PPTX, ODT, ODS)
# Pillow's names of what it decoded; some phones save a JPEG with extra frames, which it calls MPO.
PILLOW_FORMATS = {"JPEG": JPEG, "MPO": JPEG, "PNG": PNG}
# The decoders that may run for each (the JPEG one opens MPO too).
PILLOW_DECODERS = {JPEG: "JPEG", PNG: "PNG"}
# The content type [Content_Types].xml gives the main part of each Office Open XML type.
OOXML_MAIN_PARTS = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": DOCX,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": XLSX,
    "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml": PPTX,
}
OFFICE_DOCUMENT_RELATIONSHIPS = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument",
    "http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument",  # strict
)
ODF_TYPES = {kind.content_type: kind for kind in (ODT, ODS)}

PDF_SIGNATURE = b"%PDF-"
ZIP_SIGNATURE = b"PK\x03\x04"
# The first bytes of each type: enough to recognise a stored file when serving it.
SIGNATURES = (
    (PDF_SIGNATURE, (PDF,)),
    (b"\xff\xd8\xff", (JPEG,)),
    (b"\x89PNG\r\n\x1a\n", (PNG,)),
    (ZIP_SIGNATURE, PACKAGE_TYPES),
)

# A ZIP package's bounds. Real documents have hundreds of entries and unpack to a few times
# their size; a ZIP bomb unpacks a few MB to many GB. Checking every entry's checksum unpacks
# all of it, so the declared total bounds that work (zipfile stops at the declared size).
MAX_PACKAGE_ENTRIES = 5000
MAX_PACKAGE_UNPACKED_BYTES = 256 * 1024 * 1024
# The declarations read as XML are small; anything larger is no declaration.
MAX_DECLARATION_BYTES = 1024 * 1024
# Where packages keep macros: an Office VBA project, OpenDocument Basic and scripts.
MACRO_ENTRY = re.compile(r"(^|/)vbaProject\.bin$|^(Basic|Scripts)/", re.IGNORECASE)


class Refused(Exception):  # noqa: N818 – a refusal, not a failure of the portal
    """The upload is not a file of the allowed types (`reason` says how)."""

    WRONG_TYPE = "wrong_type"  # none of the allowed types, whatever its name says
    DAMAGED = "damaged"  # starts like `kind` but cannot be read to the end
    TOO_MANY_PIXELS = "too_many_pixels"
    MACROS = "macros"

    def __init__(self, reason: str, kind: FileType | None = None):
        super().__init__(reason)
        self.reason = reason
        self.kind = kind


_STRICT_DECODING = threading.Lock()


@contextmanager
def _strict_decoding():
    """Make Pillow fail on a truncated or broken image while an upload is decoded.

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


def _checked_pdf(uploaded) -> FileType:
    """Return PDF if pypdf reads the file's cross-references, trailer and pages; else refuse."""
    try:
        readable = len(PdfReader(uploaded).pages) > 0
    except Exception:  # pypdf raises many kinds of error for a file that is no PDF.
        readable = False
    finally:
        uploaded.seek(0)
    if not readable:
        raise Refused(Refused.DAMAGED, PDF)
    return PDF


def _checked_image(uploaded, allowed, max_pixels) -> FileType:
    """Return JPEG or PNG if Pillow decodes every pixel of the file as an allowed one; else
    refuse."""
    formats = tuple(decoder for kind, decoder in PILLOW_DECODERS.items() if kind in allowed)
    try:
        image = Image.open(uploaded, formats=formats)  # Only these decoders ever run.
    except Image.DecompressionBombError:
        uploaded.seek(0)
        raise Refused(Refused.TOO_MANY_PIXELS) from None
    except Exception:  # Pillow raises many kinds of error for a file that is no image.
        uploaded.seek(0)
        raise Refused(Refused.WRONG_TYPE) from None
    with image:
        kind = PILLOW_FORMATS[image.format]
        try:
            if image.width * image.height > max_pixels:
                raise Refused(Refused.TOO_MANY_PIXELS, kind)
            with _strict_decoding():
                image.load()  # A valid header followed by anything else fails here.
        except Refused:
            raise
        except Exception:
            raise Refused(Refused.DAMAGED, kind) from None
        finally:
            uploaded.seek(0)
    return kind


def _declaration(package: zipfile.ZipFile, name: str) -> ElementTree.Element:
    """Return the XML entry `name` of `package` parsed, refusing a large one or one that
    declares a document type (entities are how XML makes a small file unpack to gigabytes)."""
    info = package.getinfo(name)
    if info.file_size > MAX_DECLARATION_BYTES:
        raise ValueError(f"{name} is too large")
    with package.open(info) as entry:
        text = entry.read(MAX_DECLARATION_BYTES + 1)
    if b"<!DOCTYPE" in text or b"<!ENTITY" in text:
        raise ValueError(f"{name} declares a document type")
    return ElementTree.fromstring(text)


def _local(tag: str) -> str:
    """Return an XML tag without its namespace."""
    return tag.rsplit("}", 1)[-1]


def _ooxml_type(package: zipfile.ZipFile, names: set[str]) -> FileType | None:
    """Return the type [Content_Types].xml gives the main part _rels/.rels names, or None."""
    if "[Content_Types].xml" not in names or "_rels/.rels" not in names:
        return None
    targets = [
        element.get("Target", "")
        for element in _declaration(package, "_rels/.rels")
        if _local(element.tag) == "Relationship"
        and element.get("Type") in OFFICE_DOCUMENT_RELATIONSHIPS
    ]
    if len(targets) != 1:
        return None
    part = targets[0].lstrip("/")
    if part not in names:
        return None
    overrides, defaults = {}, {}
    for element in _declaration(package, "[Content_Types].xml"):
        if _local(element.tag) == "Override":
            overrides[element.get("PartName", "").lstrip("/").lower()] = element.get("ContentType")
        elif _local(element.tag) == "Default":
            defaults[element.get("Extension", "").lower()] = element.get("ContentType")
    declared = overrides.get(part.lower()) or defaults.get(part.rsplit(".", 1)[-1].lower())
    return OOXML_MAIN_PARTS.get(declared)


def _odf_type(package: zipfile.ZipFile, names: set[str]) -> FileType | None:
    """Return the OpenDocument type the first entry, `mimetype`, names, or None."""
    first = package.infolist()[0]
    if first.filename != "mimetype" or "content.xml" not in names or first.file_size > 100:
        return None
    with package.open(first) as entry:
        declared = entry.read(101).decode("ascii", errors="replace").strip()
    return ODF_TYPES.get(declared)


def _checked_package(uploaded, allowed) -> FileType:
    """Return the office type of a ZIP package, if it is an allowed one read whole; else refuse."""
    try:
        with zipfile.ZipFile(uploaded) as package:
            entries = package.infolist()
            if not entries or len(entries) > MAX_PACKAGE_ENTRIES:
                raise Refused(Refused.WRONG_TYPE)
            if sum(entry.file_size for entry in entries) > MAX_PACKAGE_UNPACKED_BYTES:
                raise Refused(Refused.WRONG_TYPE)
            if any(entry.flag_bits & 0x1 for entry in entries):  # encrypted
                raise Refused(Refused.WRONG_TYPE)
            names = {entry.filename for entry in entries}
            kind = _ooxml_type(package, names) or _odf_type(package, names)
            if kind is None or kind not in allowed:
                raise Refused(Refused.WRONG_TYPE)
            if any(MACRO_ENTRY.search(name) for name in names):
                raise Refused(Refused.MACROS, kind)
            try:
                broken = package.testzip()  # every entry unpacked, its checksum compared
            except Exception:
                broken = True
            if broken is not None:
                raise Refused(Refused.DAMAGED, kind)
            return kind
    except Refused:
        raise
    except Exception:  # zipfile and the XML parser raise many kinds of error
        raise Refused(Refused.WRONG_TYPE) from None
    finally:
        uploaded.seek(0)


def identify(uploaded, allowed: tuple[FileType, ...], *, max_pixels: int = MAX_PIXELS) -> FileType:
    """Return the type of `uploaded` (an open file), one of `allowed`, read whole; or raise
    Refused saying why it is not."""
    uploaded.seek(0)
    head = uploaded.read(len(PDF_SIGNATURE))
    uploaded.seek(0)
    if head.startswith(PDF_SIGNATURE) and PDF in allowed:
        return _checked_pdf(uploaded)
    if head.startswith(ZIP_SIGNATURE) and set(PACKAGE_TYPES) & set(allowed):
        return _checked_package(uploaded, allowed)
    if set(IMAGE_TYPES) & set(allowed):
        return _checked_image(uploaded, allowed, max_pixels)
    raise Refused(Refused.WRONG_TYPE)


def sniff(file, allowed: tuple[FileType, ...]) -> FileType | None:
    """Return the type of an open stored file from its first bytes, if it is one of `allowed`
    and the only one they tell; None otherwise. (An office package's bytes only say "ZIP".)"""
    head = file.read(8)
    file.seek(0)
    for signature, kinds in SIGNATURES:
        if head.startswith(signature):
            matching = [kind for kind in kinds if kind in allowed]
            return matching[0] if len(matching) == 1 else None
    return None


def name_extension(name: str) -> str:
    """Return the ending of a file name, lower case and without the dot ("" if none)."""
    stem, dot, extension = name.rpartition(".")
    return extension.lower() if dot and stem else ""


# Characters no file name needs: path separators and what Windows refuses.
_UNSAFE_IN_NAMES = re.compile(r'[<>:"/\\|?*]')


def clean_file_name(original: str, *, fallback: str, max_length: int = 120) -> str:
    """Return a file name safe to store and to send back: the last part of `original`, in NFC,
    without control or invisible formatting characters (a right-to-left override makes
    "fakturaexe.pdf" of "faktura\u202efdp.exe"), path separators or characters Windows refuses,
    at most `max_length` characters with its ending kept; `fallback` when nothing is left."""
    name = original.replace("\\", "/").rsplit("/", 1)[-1]
    name = " ".join(unicodedata.normalize("NFC", name).split())
    name = "".join(char for char in name if not unicodedata.category(char).startswith("C"))
    name = _UNSAFE_IN_NAMES.sub("_", name).rstrip(" .")
    stem, dot, extension = name.rpartition(".")
    if not dot:
        stem, extension = name, ""
    stem = stem.lstrip(" .").rstrip()  # no hidden files
    if not stem.strip(" ._"):
        return fallback
    if len(stem) + len(extension) + 1 > max_length:
        stem = stem[: max_length - len(extension) - 1].rstrip(" .")
    return f"{stem}.{extension}" if extension else stem
