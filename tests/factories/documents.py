"""Documents and their files: small real files of every accepted type, made in code."""

import io
import zipfile

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from factory.django import DjangoModelFactory

from core import uploads
from documents import services
from documents.models import Document
from tests.factories.budget import image_bytes, pdf_bytes
from tests.factories.networks import NetworkGroupFactory

# The main part of each Office Open XML type, and the content type its package declares for it.
OOXML_PARTS = {
    "docx": (
        "word/document.xml",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    ),
    "xlsx": (
        "xl/workbook.xml",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    ),
    "pptx": (
        "ppt/presentation.xml",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
    ),
}
RELATIONSHIP = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"


def ooxml_bytes(
    extension: str = "docx", *, content_type: str | None = None, extra: dict | None = None
) -> bytes:
    """Return a minimal Office Open XML package of the type `extension` names (its declared
    main content type may be overridden; `extra` entries are added)."""
    part, declared = OOXML_PARTS[extension]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/{part}" ContentType="{content_type or declared}"/></Types>',
        )
        package.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{RELATIONSHIP}" Target="{part}"/></Relationships>',
        )
        package.writestr(part, '<?xml version="1.0" encoding="UTF-8"?><document/>')
        for name, data in (extra or {}).items():
            package.writestr(name, data)
    return buffer.getvalue()


def odf_bytes(extension: str = "odt") -> bytes:
    """Return a minimal OpenDocument package (text or spreadsheet)."""
    mimetype = {"odt": uploads.ODT, "ods": uploads.ODS}[extension].content_type
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr(zipfile.ZipInfo("mimetype"), mimetype)  # first and stored, as ODF asks
        package.writestr("content.xml", '<?xml version="1.0" encoding="UTF-8"?><content/>')
        package.writestr(
            "META-INF/manifest.xml", '<?xml version="1.0" encoding="UTF-8"?><manifest/>'
        )
    return buffer.getvalue()


def zip_bytes() -> bytes:
    """Return a ZIP archive of plain files: no office document."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("readme.txt", "Hej")
        package.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


FILES = {
    "pdf": pdf_bytes,
    "docx": lambda: ooxml_bytes("docx"),
    "xlsx": lambda: ooxml_bytes("xlsx"),
    "pptx": lambda: ooxml_bytes("pptx"),
    "odt": lambda: odf_bytes("odt"),
    "ods": lambda: odf_bytes("ods"),
    "jpg": lambda: image_bytes("JPEG"),
    "png": lambda: image_bytes("PNG"),
}


def upload(name: str = "protokoll.pdf", data: bytes | None = None) -> SimpleUploadedFile:
    """Return an uploaded file named `name`, of its ending's type unless `data` is given."""
    if data is None:
        data = FILES[uploads.name_extension(name)]()
    return SimpleUploadedFile(name, data)


class DocumentFactory(DjangoModelFactory):
    """A network-tier document of a group, with one PDF version."""

    class Meta:
        model = Document

    group = factory.SubFactory(NetworkGroupFactory)
    title = factory.Sequence(lambda n: f"Dokument {n}")
    visibility = "network"

    @classmethod
    def _create(cls, model_class, *args, file_name="dokument.pdf", data=None, **kwargs):
        """Create through the service, as an upload would: the file becomes version 1."""
        file = upload(file_name, data)
        file_type = uploads.identify(
            file, uploads.PACKAGE_TYPES + (uploads.PDF,) + uploads.IMAGE_TYPES
        )
        values = {"group": None, "kind": None, "forum": None, **kwargs}
        return services.document_create(
            file=file,
            file_type=file_type,
            created_by=values.pop("created_by", None),
            description=values.pop("description", ""),
            meeting=values.pop("meeting", None),
            meeting_role=values.pop("meeting_role", ""),
            **values,
        )
