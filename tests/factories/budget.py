"""Budget years, their lines, expenses and applications for pooled funds.

Everything is in 2017 (Borås's year in seed 000) unless told otherwise: an expense's date and an
application's year follow its budget year.
"""

import datetime
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from budget.models import (
    Application,
    ApplicationStatus,
    BudgetYear,
    Expense,
    ExpenseCategory,
    GroupAllocation,
    KindAllocation,
)
from tests.factories.networks import NetworkGroupFactory, NetworkKindFactory


class BudgetYearFactory(DjangoModelFactory):
    """An open year, 2017 by default, with 140 000 kr of pooled funds."""

    class Meta:
        model = BudgetYear
        django_get_or_create = ("year",)

    year = 2017
    pool_amount = Decimal("140000.00")


class KindAllocationFactory(DjangoModelFactory):
    """A kind's line: 10 000 kr per group."""

    class Meta:
        model = KindAllocation

    budget_year = factory.SubFactory(BudgetYearFactory)
    kind = factory.SubFactory(NetworkKindFactory)
    amount_per_group = Decimal("10000.00")


class GroupAllocationFactory(DjangoModelFactory):
    """An override of one group's allocation."""

    class Meta:
        model = GroupAllocation

    budget_year = factory.SubFactory(BudgetYearFactory)
    group = factory.SubFactory(NetworkGroupFactory)
    amount = Decimal("15000.00")


class ExpenseFactory(DjangoModelFactory):
    """A group's 1 250 kr hosting expense on 15 March of its budget year."""

    class Meta:
        model = Expense

    budget_year = factory.SubFactory(BudgetYearFactory)
    group = factory.SubFactory(NetworkGroupFactory)
    date = factory.LazyAttribute(lambda expense: datetime.date(expense.budget_year.year, 3, 15))
    amount = Decimal("1250.00")
    category = ExpenseCategory.HOSTING
    description = "Fika till nätverksmötet"


class ApplicationFactory(DjangoModelFactory):
    """An undecided application for 20 000 kr of the pooled funds."""

    class Meta:
        model = Application

    budget_year = factory.SubFactory(BudgetYearFactory)
    group = factory.SubFactory(NetworkGroupFactory)
    amount_requested = Decimal("20000.00")
    purpose = "Sommarlovsaktiviteter för barn och unga i området."
    activity_description = "Sommarlovsveckan"
    planned_for = "Vecka 26–27"
    status = ApplicationStatus.SUBMITTED

    class Params:
        granted = factory.Trait(
            status=ApplicationStatus.GRANTED,
            amount_granted=factory.SelfAttribute("amount_requested"),
            decided_at=factory.LazyFunction(
                lambda: datetime.datetime(2017, 4, 1, 10, 0, tzinfo=datetime.UTC)
            ),
        )
        declined = factory.Trait(
            status=ApplicationStatus.DECLINED,
            decision_reason="Ansökan ryms inte i årets prioriteringar.",
            decided_at=factory.LazyFunction(
                lambda: datetime.datetime(2017, 4, 1, 10, 0, tzinfo=datetime.UTC)
            ),
        )


# --- receipts: real files of each type, made with pypdf and Pillow --------------------------


def pdf_bytes() -> bytes:
    """Return a small, well-formed one-page PDF."""
    from io import BytesIO

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    buffer = BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def image_bytes(image_format: str, size: tuple[int, int] = (40, 30)) -> bytes:
    """Return an image in `image_format` ("PNG", "JPEG", "GIF" …), 40 × 30 pixels unless told."""
    from io import BytesIO

    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(buffer, image_format)
    return buffer.getvalue()
