"""Uploading a document: only the accepted types, recognised by content, named as they are,
not too large – every refusal a Swedish message beside the file field, and nothing saved."""

import io
import random
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core import uploads
from documents.forms import DOCUMENT_TYPES
from documents.models import Document, DocumentVersion
from tests.factories.budget import pdf_bytes
from tests.factories.documents import FILES, ooxml_bytes, upload, zip_bytes
from tests.submitted import fresh_key
from tests.text import error_codes, sv

pytestmark = pytest.mark.django_db

HTML = b"<!DOCTYPE html><html><body><script>alert(document.domain)</script></body></html>\n"


def post_upload(client, world, file, **fields):
    client.force_login(world["users"]["municipal_coordinator"])
    url = reverse("documents:document_create", args=["grupp", world["group_a"].pk])
    data = {**fresh_key(), "visibility": "network", "file": file, **fields}
    return client.post(url, data)


def nothing_saved():
    return not Document.objects.exists() and not DocumentVersion.objects.exists()


@pytest.mark.parametrize("extension", sorted(FILES))
def test_every_accepted_type_is_stored_with_its_content_type(client, world, extension):
    """PDF, DOCX, XLSX, PPTX, ODT, ODS, JPEG and PNG are accepted, each with its content type."""
    response = post_upload(client, world, upload(f"Mötesanteckningar 12 mars.{extension}"))
    assert response.status_code == 302
    version = DocumentVersion.objects.get()
    expected = next(kind for kind in DOCUMENT_TYPES if extension in kind.extensions)
    assert version.content_type == expected.content_type
    assert version.original_name == f"Mötesanteckningar 12 mars.{extension}"
    assert version.document.title == "Mötesanteckningar 12 mars"


def test_a_pdf_name_with_an_html_body_is_refused_with_a_swedish_message(client, world):
    """An upload named .pdf whose content is HTML is refused beside the field; nothing saved."""
    response = post_upload(client, world, SimpleUploadedFile("protokoll.pdf", HTML * 10))
    assert response.status_code == 200
    assert error_codes(response, "file") == ["document_type"]
    page = response.content.decode()
    assert "protokoll.pdf" in page
    assert "är inte en fil som portalen tar emot" in page
    assert nothing_saved()


def test_a_file_that_starts_like_a_pdf_but_is_html_is_refused(client, world):
    """`%PDF-` and then HTML is no PDF: refused as damaged, nothing saved."""
    response = post_upload(client, world, SimpleUploadedFile("a.pdf", b"%PDF-1.7\n" + HTML))
    assert error_codes(response, "file") == ["document_damaged"]
    assert nothing_saved()


def test_a_docx_package_is_accepted_and_a_plain_zip_is_refused(client, world):
    """An Office Open XML package is a DOCX; a ZIP of anything else is not, whatever its name."""
    response = post_upload(client, world, upload("plan.docx", ooxml_bytes("docx")))
    assert response.status_code == 302
    response = post_upload(client, world, upload("arkiv.docx", zip_bytes()))
    assert error_codes(response, "file") == ["document_type"]
    assert Document.objects.count() == 1


@pytest.mark.parametrize(
    "package",
    [
        # Word's macro-enabled document (.docm) declares another main content type.
        ooxml_bytes("docx", content_type="application/vnd.ms-word.document.macroEnabled.main+xml"),
        # A template (.dotx) is not a document either.
        ooxml_bytes(
            "docx",
            content_type=(
                "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"
            ),
        ),
    ],
    ids=["docm", "dotx"],
)
def test_a_package_declaring_another_office_type_is_refused(client, world, package):
    """Only the plain document types pass: a macro-enabled document or a template is refused."""
    response = post_upload(client, world, upload("plan.docx", package))
    assert error_codes(response, "file") == ["document_type"]
    assert nothing_saved()


def test_a_package_with_macros_is_refused(client, world):
    """A DOCX that carries a VBA project is refused, saying why."""
    package = ooxml_bytes("docx", extra={"word/vbaProject.bin": b"\x00" * 100})
    response = post_upload(client, world, upload("plan.docx", package))
    assert error_codes(response, "file") == ["document_macros"]
    assert nothing_saved()


def test_a_package_declaring_an_entity_is_refused():
    """XML declarations with a DOCTYPE (entity expansion, a billion laughs) are never parsed."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", '<!DOCTYPE x [<!ENTITY a "aaaa">]><Types/>')
        package.writestr("_rels/.rels", "<Relationships/>")
    with pytest.raises(uploads.Refused):
        uploads.identify(io.BytesIO(buffer.getvalue()), DOCUMENT_TYPES)


def test_a_zip_bomb_is_refused_before_it_is_unpacked():
    """A package declaring more unpacked bytes than any document has is refused unread."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("big.bin", b"\x00" * (uploads.MAX_PACKAGE_UNPACKED_BYTES + 1))
    with pytest.raises(uploads.Refused):
        uploads.identify(io.BytesIO(buffer.getvalue()), DOCUMENT_TYPES)


def test_a_damaged_package_is_refused():
    """A DOCX whose entries do not match their checksums is refused as damaged."""
    noise = random.Random(14).randbytes(5000)  # does not compress
    data = bytearray(ooxml_bytes("docx", extra={"word/media/bild.bin": noise}))
    data[data.index(b"word/media/bild.bin") + 2000] ^= 0xFF  # a byte inside the entry
    with pytest.raises(uploads.Refused) as refused:
        uploads.identify(io.BytesIO(bytes(data)), DOCUMENT_TYPES)
    assert refused.value.reason == uploads.Refused.DAMAGED


def test_a_name_that_tells_another_type_is_refused(client, world):
    """A real PDF named .docx is refused: the name must end as the content is."""
    response = post_upload(client, world, upload("plan.docx", pdf_bytes()))
    assert error_codes(response, "file") == ["document_extension"]
    assert "”.pdf”" in response.content.decode() or ".pdf" in response.content.decode()
    assert nothing_saved()


def test_a_file_too_large_is_refused_with_its_size(client, world, settings):
    """A file over DOCUMENT_MAX_BYTES is refused with both sizes in Swedish; nothing saved."""
    settings.DOCUMENT_MAX_BYTES = 1024 * 1024
    too_big = pdf_bytes() + b"0" * (1024 * 1024)
    response = post_upload(client, world, upload("skanning.pdf", too_big))
    assert error_codes(response, "file") == ["document_size"]
    message = sv(
        "The file is %(size)s MB, and a document may be at most %(limit)s MB. Make it smaller "
        "(for example a PDF with smaller images) or split it, and choose it again.",
        size="1,0",
        limit="1,0",
    )
    assert message in response.content.decode()
    assert nothing_saved()


def test_the_largest_document_fits_the_upload_size_limit(settings):
    """The largest document and its form fit under the upload views' request size limit."""
    assert settings.DOCUMENT_MAX_BYTES + settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= (
        settings.MAX_UPLOAD_BODY_SIZE
    )


def test_only_the_upload_views_take_a_body_over_the_usual_limit(client, world):
    """A body over MAX_REQUEST_BODY_SIZE reaches the document upload, and no other page."""
    client.force_login(world["users"]["municipal_coordinator"])
    body = b"x" * (8 * 1024 * 1024 + 1)
    upload_url = reverse("documents:document_create", args=["grupp", world["group_a"].pk])
    response = client.post(upload_url, body, content_type="application/octet-stream")
    assert response.status_code == 200  # read, and refused by the form: no file chosen
    assert error_codes(response, "file") == ["required"]
    other = reverse("meetings:meeting_create")
    assert client.post(other, body, content_type="application/octet-stream").status_code == 413
    too_large = b"x" * (20 * 1024 * 1024 + 2 * 1024 * 1024 + 1)
    response = client.post(upload_url, too_large, content_type="application/octet-stream")
    assert response.status_code == 413


@pytest.mark.parametrize(
    ("original", "cleaned"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\nora\\Protokoll.pdf", "Protokoll.pdf"),
        ("faktura\u202efdp.exe.pdf", "fakturafdp.exe.pdf"),
        ('a<b>:"c"|?*.pdf', "a_b___c____.pdf"),
        ("  A\u030arsmöte\t2025 .pdf", "Årsmöte 2025.pdf"),
        (".pdf", "dokument.pdf"),
        ("x" * 300 + ".pdf", "x" * 116 + ".pdf"),
    ],
)
def test_file_names_are_cleaned(original, cleaned):
    """Paths, control and bidi characters and characters Windows refuses leave the name."""
    assert uploads.clean_file_name(original, fallback="dokument.pdf") == cleaned


def test_a_stored_file_name_is_never_the_uploaders(client, world):
    """The file lies under a random name in the private storage; the person's name is data."""
    post_upload(client, world, upload("../../hemligt.pdf"))
    version = DocumentVersion.objects.get()
    assert "hemligt" not in version.file.name
    assert version.file.name.startswith(f"documents/{version.document_id}/")
    assert version.original_name == "hemligt.pdf"
