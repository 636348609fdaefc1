"""A shared document, end to end in Chromium: a coordinator uploads it from a phone, a member
of the group downloads it. Every page is checked on the way (axe, landmarks, reflow, the Nu
checker afterwards: see conftest.py)."""

import re

import pytest

from documents.models import Document
from tests.factories.documents import ooxml_bytes
from tests.text import sv

from .conftest import PHONE
from .test_journeys import submit

pytestmark = pytest.mark.django_db(transaction=True)

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def log_in(tab, username: str):
    page = tab.visit("/konto/logga-in/", "login")
    page.get_by_label(sv("username")).fill(username)
    page.get_by_label(sv("Password")).fill("demo")
    page.get_by_role("button", name=sv("Log in")).click()
    page.wait_for_url(re.compile(r"/mina-natverk/$"))
    tab.check("my networks")
    return page


def open_boda_documents(tab, page):
    boda = page.locator("article.my-group", has=page.get_by_role("heading", name="Boda"))
    boda.get_by_role("link", name=re.compile(f"^{sv('Documents')}")).click()
    page.wait_for_url(re.compile(r"/dokument/grupp/\d+/$"))
    tab.check("documents of Boda")


def test_a_coordinator_uploads_from_a_phone_and_a_member_downloads(pages):
    """At 375 px the coordinator uploads the agenda (after a refused HTML "PDF"); a member of
    the group finds it from My networks and downloads exactly the file."""
    agenda = ooxml_bytes("docx")
    tab = pages("documents-coordinator", viewport=PHONE)
    page = log_in(tab, "samordnare")
    open_boda_documents(tab, page)
    tab.snap("documents")
    page.get_by_role("link", name=sv("Upload a document")).click()
    page.wait_for_url(re.compile(r"/dokument/grupp/\d+/ny/$"))
    tab.check("upload form")
    tab.snap("upload-form")

    file_field = page.get_by_label(sv("File"))
    html = b"<html><body><script>alert(1)</script></body></html>"
    file_field.set_input_files(
        files=[{"name": "dagordning.pdf", "mimeType": "application/pdf", "buffer": html}]
    )
    page.get_by_label(sv("title")).fill("Dagordning inför höstens möte")
    submit(page, sv("Upload"), r"/dokument/grupp/\d+/ny/$")
    tab.check("upload refused")
    assert "dagordning.pdf" in page.locator("#id_file_error").inner_text()
    assert not Document.objects.exists()

    page.get_by_label(sv("File")).set_input_files(
        files=[{"name": "Dagordning höst.docx", "mimeType": DOCX, "buffer": agenda}]
    )
    page.get_by_label(sv("title")).fill("Dagordning inför höstens möte")
    page.get_by_label(str(sv("network (every member of the group)")).capitalize()).check()
    submit(page, sv("Upload"), r"/dokument/\d+/$")
    tab.check("document")
    tab.snap("document")
    assert "Dagordning höst.docx" in page.get_by_role("main").inner_text()
    tab.assert_clean()

    member = pages("documents-member")
    page = log_in(member, "medlem")
    open_boda_documents(member, page)
    page.get_by_role("link", name="Dagordning inför höstens möte", exact=True).click()
    page.wait_for_url(re.compile(r"/dokument/\d+/$"))
    member.check("document, as a member")
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile(f"^{sv('Download')}")).click()
    download = download_info.value
    assert download.suggested_filename == "Dagordning höst.docx"
    with open(download.path(), "rb") as file:
        assert file.read() == agenda
    member.assert_clean()
