"""Recording, changing and removing expenses, with receipts checked by their content."""

import copy
import datetime
import io
import re
import struct
import zlib
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image, ImageFile

from budget.forms import MORE_THAN_ZERO, YEAR_CLOSED
from budget.models import BudgetYear, Expense, ExpenseCategory
from networks.permissions import Role
from tests.factories.accounts import coordinator_of, user_with_role
from tests.factories.budget import (
    ApplicationFactory,
    BudgetYearFactory,
    ExpenseFactory,
    GroupAllocationFactory,
    KindAllocationFactory,
    image_bytes,
    pdf_bytes,
)
from tests.factories.networks import (
    MunicipalityFactory,
    NetworkGroupFactory,
    NetworkKindFactory,
)
from tests.submitted import fresh_key
from tests.text import error_codes, sv

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"
NOT_KRONOR = "Write the amount in kronor, for example 10 000 or 10 000,50."


@pytest.fixture(autouse=True)
def fresh_storage(settings):
    """Give every test an empty file storage, so that "nothing was written" can be checked."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }


@pytest.fixture
def setting():
    MunicipalityFactory()
    kind = NetworkKindFactory(name="Nätverk barn och unga", short_name="Barn och unga")
    boda = NetworkGroupFactory(kind=kind, name="Boda", slug="boda")
    norrby = NetworkGroupFactory(kind=kind, name="Norrby", slug="norrby")
    year = BudgetYearFactory(year=timezone.localdate().year)
    KindAllocationFactory(budget_year=year, kind=kind, amount_per_group=Decimal("25000"))
    return {
        "kind": kind,
        "boda": boda,
        "norrby": norrby,
        "year": year,
        "coordinator": coordinator_of(boda),
    }


def html_of(response):
    return response.content.decode()


def text_of(html):
    """Return the page's text without tags, whitespace collapsed: what a reader sees.

    Non-breaking spaces are kept: amounts are written with them.
    """
    return re.sub(r"[ \t\r\n]+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def field_error(html, field):
    """Return the error text tied to `field` (by aria-describedby), or None."""
    control = re.search(
        rf'<(?:input|select|textarea|fieldset)[^>]*id="id_{field}(?:_0)?"[^>]*>', html
    )
    if control is None:
        control = re.search(rf'<fieldset[^>]*aria-describedby="id_{field}_error"', html)
    assert control, f"no control for {field}"
    if f"id_{field}_error" not in control.group(0):
        return None
    block = re.search(rf'id="id_{field}_error"[^>]*>(.*?)</div>', html, re.S)
    return text_of(block.group(1)) if block else None


def stored_files(path=""):
    """Return every file in the storage, however deep."""
    try:
        folders, files = default_storage.listdir(path)
    except FileNotFoundError:
        return []
    found = [f"{path}{name}" for name in files]
    for folder in folders:
        found += stored_files(f"{path}{folder}/")
    return found


def expense_data(group, **changes):
    data = {
        **fresh_key(),
        "group": group.pk,
        "date": timezone.localdate().isoformat(),
        "amount": "1 250",
        "category": ExpenseCategory.HOSTING,
        "description": "Fika till aprilmötet",
    }
    data.update(changes)
    return data


def receipt(name, content, content_type):
    return SimpleUploadedFile(name, content, content_type=content_type)


DAMAGED = (
    "The receipt looks like a %(type)s file but cannot be read to the end: the file is damaged, "
    "cut short or something else. Save, scan or photograph the receipt again and choose the new "
    "file."
)
TOO_MANY_PIXELS = (
    "The receipt image has more than 64 megapixels. Take a photo with a lower resolution or scan "
    "the receipt again, and choose the smaller file."
)
# What an attacker would like a browser to run from the portal's origin.
HTML = b"<html><body><script>alert(document.domain)</script></body></html>\n" * 8


def png_chunk(kind: bytes, body: bytes) -> bytes:
    """Return one well-formed PNG chunk: length, type, body and the right checksum."""
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png_of(width: int, height: int, pixel_data: bytes) -> bytes:
    """Return a PNG whose signature and chunks are well-formed, whatever `pixel_data` holds."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", pixel_data)
        + png_chunk(b"IEND", b"")
    )


def jpeg_headers_then(data: bytes) -> bytes:
    """Return a real JPEG's headers, up to the start of its scan, followed by `data`."""
    good = image_bytes("JPEG", size=(200, 150))
    scan = good.index(b"\xff\xda")
    return good[: scan + 2 + int.from_bytes(good[scan + 2 : scan + 4], "big")] + data


def mpo_bytes() -> bytes:
    """Return a JPEG with a second frame, as some phones save photos (Pillow calls it MPO)."""
    buffer = io.BytesIO()
    photo = Image.new("RGB", (40, 30), (200, 120, 40))
    photo.save(buffer, "MPO", save_all=True, append_images=[photo.copy()])
    return buffer.getvalue()


# --- recording ------------------------------------------------------------------------------


def test_the_form_starts_today_with_a_decimal_keyboard_and_a_date_picker(client, setting):
    """The new expense form is dated today, opens a numeric keyboard for the amount."""
    client.force_login(setting["coordinator"])
    html = html_of(client.get(reverse("budget:expense_create")))
    today = timezone.localdate().isoformat()
    assert re.search(rf'<input type="date" name="date" value="{today}"', html)
    assert re.search(r'<input type="text" name="amount"[^>]*inputmode="decimal"', html)
    assert re.search(r'<input type="file" name="receipt"[^>]*accept="application/pdf', html)
    # The coordinator's only group is chosen already.
    assert f'<option value="{setting["boda"].pk}" selected>' in html
    assert f'value="{setting["norrby"].pk}"' not in html


def test_an_amount_typed_the_swedish_way_is_stored_exactly_and_shown_in_kronor(client, setting):
    """ "10 000,50" is stored as Decimal("10000.50") and listed as "10 000,50 kr"."""
    client.force_login(setting["coordinator"])
    response = client.post(
        reverse("budget:expense_create"),
        expense_data(setting["boda"], amount="10 000,50", category=ExpenseCategory.SPEAKER),
    )
    assert response.status_code == 302
    expense = Expense.objects.get()
    assert expense.amount == Decimal("10000.50")
    assert expense.budget_year == setting["year"]
    assert expense.created_by == setting["coordinator"]
    listing = html_of(client.get(response.url))
    assert sv("The expense has been recorded.") in listing
    assert f"10{NBSP}000,50{NBSP}kr" in listing
    assert "Föreläsare" in listing
    # 25 000 allocated, 10 000,50 spent: 14 999,50 left.
    assert f"14{NBSP}999,50{NBSP}kr" in listing


@pytest.mark.parametrize("typed", ["10000", "10 000", "10 000 kr"])
def test_whole_kronor_are_accepted_with_or_without_spaces(client, setting, typed):
    """10000, 10 000 and 10 000 kr are all ten thousand kronor."""
    client.force_login(setting["coordinator"])
    client.post(reverse("budget:expense_create"), expense_data(setting["boda"], amount=typed))
    assert Expense.objects.get().amount == Decimal("10000.00")


@pytest.mark.parametrize(
    "typed, message",
    [
        ("tiotusen", NOT_KRONOR),
        ("0", MORE_THAN_ZERO),
        ("-500", MORE_THAN_ZERO),
        ("10,505", NOT_KRONOR),
    ],
)
def test_a_wrong_amount_is_explained_next_to_the_field(client, setting, typed, message):
    """An amount that is not kronor, or not more than 0, is refused and nothing is saved."""
    client.force_login(setting["coordinator"])
    response = client.post(
        reverse("budget:expense_create"), expense_data(setting["boda"], amount=typed)
    )
    assert response.status_code == 200
    assert field_error(html_of(response), "amount") == sv(message)
    assert not Expense.objects.exists()


def test_a_date_without_a_budget_year_is_refused_on_the_date_field(client, setting):
    """An expense dated in a year without a budget is refused with a message on the date."""
    client.force_login(setting["coordinator"])
    response = client.post(
        reverse("budget:expense_create"), expense_data(setting["boda"], date="2031-05-04")
    )
    assert field_error(html_of(response), "date") == sv(
        "There is no budget for %(year)s, so no expense can be recorded on that date. Check the "
        "date, or ask the network developer to set up the year.",
        year=2031,
    )
    assert not Expense.objects.exists()


def test_a_coordinator_cannot_record_for_another_group(client, setting):
    """A forged group is refused like any invalid choice, and nothing is saved."""
    client.force_login(setting["coordinator"])
    response = client.post(reverse("budget:expense_create"), expense_data(setting["norrby"]))
    assert response.status_code == 200
    assert field_error(html_of(response), "group") == sv(
        "You can only record expenses for the groups you coordinate."
    )
    assert not Expense.objects.exists()


# --- receipts -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, content, content_type, extension",
    [
        ("kvitto.pdf", pdf_bytes(), "application/pdf", "pdf"),
        ("IMG_0412.PNG", image_bytes("PNG"), "image/png", "png"),
        ("foto.jpeg", image_bytes("JPEG"), "image/jpeg", "jpg"),
        # The content decides, not the name: a photo named .pdf is kept and served as a photo.
        ("kvitto.pdf", image_bytes("JPEG"), "image/jpeg", "jpg"),
        ("IMG_2231.JPG", mpo_bytes(), "image/jpeg", "jpg"),
    ],
    ids=["pdf", "png", "jpeg", "jpeg named pdf", "jpeg with two frames"],
)
def test_a_valid_receipt_is_stored_and_served_with_its_real_type(
    client, setting, name, content, content_type, extension
):
    """A PDF, PNG or JPEG receipt is stored, and downloaded with the type of its content.

    Always as an attachment, never shown on the portal's own origin, and not to be sniffed.
    """
    client.force_login(setting["coordinator"])
    response = client.post(
        reverse("budget:expense_create"),
        {**expense_data(setting["boda"]), "receipt": receipt(name, content, "application/pdf")},
    )
    assert response.status_code == 302
    expense = Expense.objects.get()
    assert expense.receipt.name.endswith(f".{extension}")
    assert stored_files() == [expense.receipt.name]
    served = client.get(reverse("budget:expense_receipt", args=[expense.pk]))
    assert served.status_code == 200
    assert served["Content-Type"] == content_type
    assert served["Content-Disposition"] == (
        f'attachment; filename="kvitto-{expense.date:%Y-%m-%d}-{expense.pk}.{extension}"'
    )
    assert served["X-Content-Type-Options"] == "nosniff"
    assert "private" in served["Cache-Control"]
    assert b"".join(served.streaming_content) == content
    # The list links to the receipt through the permission-checked view only.
    listing = html_of(client.get(reverse("budget:expense_list")))
    assert reverse("budget:expense_receipt", args=[expense.pk]) in listing
    assert "/media/" not in listing


@pytest.mark.parametrize(
    "name, content, content_type",
    [
        ("kvitto.png", "Det här är bara text, ingen bild.\n".encode(), "image/png"),
        (
            "kvitto.pdf",
            b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" * 64,
            "application/pdf",
        ),
        ("kvitto.png", image_bytes("GIF"), "image/png"),
        ("kvitto.jpg", b"\xff\xd8\xff\xe0 inte en riktig JPEG", "image/jpeg"),
    ],
    ids=["text named png", "exe named pdf", "gif named png", "broken jpeg"],
)
def test_a_receipt_of_the_wrong_type_is_refused_and_nothing_is_saved(
    client, setting, name, content, content_type
):
    """A file that is not really a PDF, JPEG or PNG is refused, whatever its name says."""
    client.force_login(setting["coordinator"])
    response = client.post(
        reverse("budget:expense_create"),
        {**expense_data(setting["boda"]), "receipt": receipt(name, content, content_type)},
    )
    assert response.status_code == 200
    html = html_of(response)
    assert field_error(html, "receipt")
    assert error_codes(response, "receipt") == ["receipt_type"]
    assert sv("Nothing was saved. Please correct the following:") in html
    assert not Expense.objects.exists()
    assert stored_files() == []


@pytest.mark.parametrize(
    "name, content, kind",
    [
        ("kvitto.pdf", b"%PDF-1.7\n" + HTML, "PDF"),
        ("kvitto.pdf", pdf_bytes()[: len(pdf_bytes()) // 2], "PDF"),
        ("kvitto.pdf", pdf_bytes()[: pdf_bytes().rindex(b"startxref")] + HTML, "PDF"),
        ("kvitto.png", png_of(40, 30, HTML), "PNG"),
        ("kvitto.png", png_of(40, 30, zlib.compress(b"\0" * 100)), "PNG"),
        ("kvitto.jpg", jpeg_headers_then(HTML), "JPEG"),
        ("kvitto.jpg", image_bytes("JPEG", size=(200, 150))[:-200], "JPEG"),
    ],
    ids=[
        "pdf header then html",
        "pdf cut in half",
        "pdf whose end is html",
        "png headers then html",
        "png with too few pixels",
        "jpeg headers then html",
        "jpeg cut short",
    ],
)
def test_a_receipt_that_only_starts_like_one_is_refused_and_nothing_is_saved(
    client, setting, monkeypatch, name, content, kind
):
    """A PDF must be readable by a PDF library, an image decodable to its last pixel.

    Also once WeasyPrint has made Pillow lenient for the whole process, as it does on import.
    """
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    client.force_login(setting["coordinator"])
    response = client.post(
        reverse("budget:expense_create"),
        {**expense_data(setting["boda"]), "receipt": receipt(name, content, "application/pdf")},
    )
    assert response.status_code == 200
    assert field_error(html_of(response), "receipt") == sv(DAMAGED, type=kind)
    assert error_codes(response, "receipt") == ["receipt_damaged"]
    assert not Expense.objects.exists()
    assert stored_files() == []
    assert ImageFile.LOAD_TRUNCATED_IMAGES is True  # WeasyPrint's setting is as it was


@pytest.mark.parametrize(
    "width, height", [(8001, 8000), (20_000, 20_000)], ids=["over 64 megapixels", "a bomb"]
)
def test_a_receipt_image_of_too_many_pixels_is_refused_before_decoding(
    client, setting, width, height
):
    """An image small in bytes but huge in pixels is refused from its header, never decoded."""
    client.force_login(setting["coordinator"])
    huge = png_of(width, height, zlib.compress(b"\0" * 1000))
    response = client.post(
        reverse("budget:expense_create"),
        {**expense_data(setting["boda"]), "receipt": receipt("skanning.png", huge, "image/png")},
    )
    assert field_error(html_of(response), "receipt") == sv(TOO_MANY_PIXELS)
    assert error_codes(response, "receipt") == ["receipt_pixels"]
    assert not Expense.objects.exists()


def test_a_receipt_over_5_mb_is_refused_and_nothing_is_saved(client, setting):
    """A receipt of more than 5 MB is refused with its size in the message."""
    client.force_login(setting["coordinator"])
    too_big = pdf_bytes() + b"0" * (5 * 1024 * 1024)
    response = client.post(
        reverse("budget:expense_create"),
        {
            **expense_data(setting["boda"]),
            "receipt": receipt("skanning.pdf", too_big, "application/pdf"),
        },
    )
    assert "5,0" in field_error(html_of(response), "receipt")
    assert error_codes(response, "receipt") == ["receipt_size"]
    assert not Expense.objects.exists()
    assert stored_files() == []


def test_a_receipt_of_exactly_5_mb_is_accepted(client, setting):
    """5 MB is within the limit."""
    client.force_login(setting["coordinator"])
    exactly = pdf_bytes().ljust(5 * 1024 * 1024, b" ")
    response = client.post(
        reverse("budget:expense_create"),
        {
            **expense_data(setting["boda"]),
            "receipt": receipt("skanning.pdf", exactly, "application/pdf"),
        },
    )
    assert response.status_code == 302
    assert Expense.objects.get().receipt


def test_a_refused_receipt_on_edit_keeps_the_expense_and_its_receipt(client, setting):
    """Replacing a receipt with a wrong file changes nothing, not even the amount."""
    expense = ExpenseFactory(budget_year=setting["year"], group=setting["boda"])
    expense.receipt.save("kvitto.pdf", ContentFile(pdf_bytes()))
    before = stored_files()
    client.force_login(setting["coordinator"])
    response = client.post(
        reverse("budget:expense_edit", args=[expense.pk]),
        {
            **expense_data(setting["boda"], date=expense.date.isoformat(), amount="999"),
            "receipt": receipt("nytt.png", b"ingen bild", "image/png"),
        },
    )
    assert response.status_code == 200
    assert field_error(html_of(response), "receipt")
    expense.refresh_from_db()
    assert expense.amount == Decimal("1250.00")
    assert expense.receipt.name == before[0]
    assert stored_files() == before


def test_a_stored_file_that_is_no_receipt_is_downloaded_never_shown(client, setting):
    """A file put in the storage some other way is sent as a download of unknown type."""
    expense = ExpenseFactory(budget_year=setting["year"], group=setting["boda"])
    expense.receipt.save("kvitto.html", ContentFile(b"<script>alert(1)</script>"))
    client.force_login(setting["coordinator"])
    served = client.get(reverse("budget:expense_receipt", args=[expense.pk]))
    assert served["Content-Type"] == "application/octet-stream"
    assert served["Content-Disposition"].startswith("attachment;")


def test_an_expense_without_receipt_has_no_receipt_page(client, setting):
    """Asking for a receipt that does not exist is a 404."""
    expense = ExpenseFactory(budget_year=setting["year"], group=setting["boda"])
    client.force_login(setting["coordinator"])
    assert client.get(reverse("budget:expense_receipt", args=[expense.pk])).status_code == 404


# --- changing and removing ------------------------------------------------------------------


def test_a_coordinator_changes_an_expense_and_replaces_and_removes_its_receipt(client, setting):
    """An expense of an open year can be changed, its receipt replaced and then removed."""
    expense = ExpenseFactory(budget_year=setting["year"], group=setting["boda"])
    client.force_login(setting["coordinator"])
    url = reverse("budget:expense_edit", args=[expense.pk])
    data = expense_data(setting["boda"], date=expense.date.isoformat(), amount="1 300,25")
    response = client.post(
        url, {**data, "receipt": receipt("ny.png", image_bytes("PNG"), "image/png")}
    )
    assert response.status_code == 302
    expense.refresh_from_db()
    assert expense.amount == Decimal("1300.25")
    assert expense.receipt.name.endswith(".png")
    form = html_of(client.get(url))
    assert "Ett kvitto är sparat." in form
    assert "Ta bort det sparade kvittot" in form
    client.post(url, {**data, "remove_receipt": "on"})
    expense.refresh_from_db()
    assert not expense.receipt


def test_an_expense_cannot_be_moved_to_another_year(client, setting):
    """Changing the date to another year is refused: the expense belongs to its budget year."""
    expense = ExpenseFactory(budget_year=setting["year"], group=setting["boda"])
    BudgetYearFactory(year=setting["year"].year + 1)
    client.force_login(setting["coordinator"])
    next_year = datetime.date(setting["year"].year + 1, 2, 1).isoformat()
    response = client.post(
        reverse("budget:expense_edit", args=[expense.pk]),
        expense_data(setting["boda"], date=next_year),
    )
    assert field_error(html_of(response), "date") == sv(
        "The date must fall in the budget year %(year)s.", year=setting["year"].year
    )
    expense.refresh_from_db()
    assert expense.date.year == setting["year"].year


def test_a_coordinator_removes_an_expense_after_confirming(client, setting):
    """Removing asks first; the POST removes the expense."""
    expense = ExpenseFactory(budget_year=setting["year"], group=setting["boda"])
    client.force_login(setting["coordinator"])
    url = reverse("budget:expense_delete", args=[expense.pk])
    assert "Ta bort utgiften?" in html_of(client.get(url))
    assert Expense.objects.filter(pk=expense.pk).exists()
    response = client.post(url)
    assert response.status_code == 302
    assert not Expense.objects.filter(pk=expense.pk).exists()
    assert sv("The expense has been removed.") in html_of(client.get(response.url))


# --- a closed year --------------------------------------------------------------------------


@pytest.fixture
def closed(setting):
    """A closed year 2016 with an expense of Boda's in it."""
    year = BudgetYearFactory(year=2016, is_closed=True)
    KindAllocationFactory(budget_year=year, kind=setting["kind"])
    return ExpenseFactory(budget_year=year, group=setting["boda"], amount=Decimal("800"))


def test_a_closed_year_refuses_a_new_expense(client, setting, closed):
    """An expense dated in a closed year is refused with the reason next to the date."""
    client.force_login(setting["coordinator"])
    response = client.post(
        reverse("budget:expense_create"),
        {
            **expense_data(setting["boda"], date="2016-11-02"),
            "receipt": receipt("kvitto.pdf", pdf_bytes(), "application/pdf"),
        },
    )
    assert field_error(html_of(response), "date") == sv(YEAR_CLOSED, year=2016)
    assert Expense.objects.count() == 1
    assert stored_files() == []


def test_a_year_closed_while_the_form_was_filled_in_is_refused_by_the_service(
    client, setting, closed, monkeypatch
):
    """If the year closes after the form's check, the service refuses and the page says so."""
    stale = copy.copy(closed.budget_year)
    stale.is_closed = False

    class StaleLookup:
        def first(self):
            return stale

    real_filter = BudgetYear.objects.filter
    monkeypatch.setattr(
        BudgetYear.objects,
        "filter",
        lambda **kwargs: StaleLookup() if kwargs == {"year": 2016} else real_filter(**kwargs),
    )
    client.force_login(setting["coordinator"])
    response = client.post(
        reverse("budget:expense_create"), expense_data(setting["boda"], date="2016-11-02")
    )
    assert response.status_code == 200
    assert sv(YEAR_CLOSED, year=2016) in text_of(html_of(response))
    assert Expense.objects.count() == 1


def test_a_closed_year_refuses_changes_to_its_expenses(client, setting, closed):
    """An expense of a closed year cannot be changed: the page says why and nothing changes."""
    client.force_login(setting["coordinator"])
    url = reverse("budget:expense_edit", args=[closed.pk])
    page = text_of(html_of(client.get(url)))
    assert sv(YEAR_CLOSED, year=2016) in page
    assert 'name="amount"' not in html_of(client.get(url))
    response = client.post(url, expense_data(setting["boda"], date="2016-03-15", amount="1"))
    assert sv(YEAR_CLOSED, year=2016) in text_of(html_of(response))
    closed.refresh_from_db()
    assert closed.amount == Decimal("800.00")


def test_a_closed_year_refuses_removing_its_expenses(client, setting, closed):
    """An expense of a closed year cannot be removed: the page says why and it stays."""
    client.force_login(setting["coordinator"])
    url = reverse("budget:expense_delete", args=[closed.pk])
    confirm = html_of(client.get(url))
    assert sv(YEAR_CLOSED, year=2016) in text_of(confirm)
    assert "Ja, ta bort utgiften" not in confirm
    response = client.post(url)
    assert sv(YEAR_CLOSED, year=2016) in text_of(html_of(response))
    assert Expense.objects.filter(pk=closed.pk).exists()


def test_the_list_marks_closed_years_instead_of_offering_changes(client, setting, closed):
    """In a closed year the list says "Året är stängt" where the change links would be."""
    client.force_login(setting["coordinator"])
    html = html_of(client.get(reverse("budget:expense_list") + "?year=2016"))
    assert "Året är stängt" in html
    assert reverse("budget:expense_edit", args=[closed.pk]) not in html


# --- the list -------------------------------------------------------------------------------


def test_the_list_filters_by_year_and_group_and_shows_what_is_left(client, setting):
    """The list shows the chosen year's expenses and each of the coordinator's groups' money."""
    other_kind_group = NetworkGroupFactory(name="Hulta", slug="hulta")
    coordinator = coordinator_of(setting["boda"], other_kind_group, username="tva-grupper")
    year = setting["year"]
    GroupAllocationFactory(budget_year=year, group=setting["boda"], amount=Decimal("30000"))
    ExpenseFactory(budget_year=year, group=setting["boda"], amount=Decimal("1000"))
    ExpenseFactory(budget_year=year, group=other_kind_group, description="Buss till studiebesök")
    ApplicationFactory(
        budget_year=year, group=setting["boda"], granted=True, amount_requested=Decimal("5000")
    )
    last_year = BudgetYearFactory(year=year.year - 1)
    ExpenseFactory(budget_year=last_year, group=setting["boda"], description="Förra årets fika")
    client.force_login(coordinator)

    this_year = text_of(html_of(client.get(reverse("budget:expense_list"))))
    assert "2 utgifter" in this_year
    assert "Förra årets fika" not in this_year
    # Boda: its own 30 000 + 5 000 granted - 1 000 spent. Hulta's kind has no line: 0 - 1 250.
    boda = (
        "Boda (Barn och unga) Tilldelat 30 000 kr Beviljat ur övriga medel 5 000 kr "
        "Förbrukat 1 000 kr Kvar 34 000 kr"
    )
    assert boda.replace(" 000 kr", f"{NBSP}000{NBSP}kr") in this_year
    assert f"Kvar -1{NBSP}250{NBSP}kr Överskridet med 1{NBSP}250{NBSP}kr" in this_year

    only_hulta = text_of(
        html_of(
            client.get(
                reverse("budget:expense_list") + f"?year={year.year}&group={other_kind_group.pk}"
            )
        )
    )
    assert "1 utgift " in only_hulta
    assert "Buss till studiebesök" in only_hulta

    all_years = text_of(html_of(client.get(reverse("budget:expense_list") + "?year=")))
    assert "3 utgifter" in all_years
    assert "Förra årets fika" in all_years


def build_spending(group_count, year, kind):
    """Make `group_count` groups, each with three expenses (one with a receipt)."""
    groups = [NetworkGroupFactory(kind=kind) for _ in range(group_count)]
    for group in groups:
        ExpenseFactory.create_batch(2, budget_year=year, group=group)
        ExpenseFactory(budget_year=year, group=group, receipt="receipts/x/kvitto.pdf")
    return groups


# session + user + the user's auth groups (role) + municipality (context processor)
# + the years + the visible groups for the filter + the total + the count for the paginator
# + a page of expenses with group, kind and year + "may record?"
LIST_QUERIES_DEVELOPER = 10
# the same + the coordinator's groups (role) + what each of them has left (one query)
LIST_QUERIES_COORDINATOR = 12


@pytest.mark.parametrize("group_count", [5, 60])
def test_the_expense_list_costs_the_same_queries_at_any_size(
    client, setting, group_count, query_count
):
    """At 5 and at 60 groups (15 and 180 expenses) the list runs the same few queries."""
    groups = build_spending(group_count, setting["year"], setting["kind"])
    coordinator = coordinator_of(*groups[:3], username="manga-grupper")
    developer = user_with_role(Role.NETWORK_DEVELOPER)
    url = reverse("budget:expense_list")
    for user, expected in (
        (developer, LIST_QUERIES_DEVELOPER),
        (coordinator, LIST_QUERIES_COORDINATOR),
    ):
        client.force_login(user)
        queries, _content = query_count.page(client, url)
        assert queries == expected
