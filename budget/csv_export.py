"""The budget overview as a CSV file that Swedish Excel opens as it is.

Excel set to Swedish reads a file as UTF-8 only when it starts with a byte-order mark, splits
columns on semicolons (the list separator where the comma is the decimal sign) and reads
`90000,00` as a number. Thousands separators are left out: a space inside a number makes Excel
read it as text. Only group and kind names appear – no personal data.
"""

import csv
import io
from decimal import Decimal

from django.http import HttpResponse
from django.utils.translation import gettext as _

from .money import to_money
from .selectors import BudgetOverview

BOM = "\ufeff"
# A text cell starting with one of these would be read by Excel as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_number(amount: Decimal | None) -> str:
    """Return `amount` as Swedish Excel reads a number: `90000,00`, `-1250,50`; "" for None."""
    if amount is None:
        return ""
    return f"{to_money(amount):.2f}".replace(".", ",")


def csv_text(text: str) -> str:
    """Return `text` so that Excel shows it as text, never runs it as a formula."""
    text = str(text)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def overview_headings() -> list[str]:
    return [
        _("Level"),
        _("Network kind"),
        _("Group"),
        _("Allocated"),
        _("Granted from pooled funds"),
        _("Spent"),
        _("Remaining"),
        _("Overspent"),
    ]


def _row(level, kind, group, allocated, granted, spent, remaining, overspent="") -> list[str]:
    """Return a row: what it sums, its kind and group, its figures (None leaves a cell empty)."""
    figures = (allocated, granted, spent, remaining)
    return [level, kind, group, *(csv_number(figure) for figure in figures), overspent]


def overview_rows(overview: BudgetOverview) -> list[list[str]]:
    """Return the overview's rows: each group, each kind's sum, the pooled funds and the total.

    The total's granted cell is empty: a grant moves money from the pool to a group and adds
    nothing to the year's budget.
    """
    yes, no = _("Yes"), _("No")
    rows = []
    for kind_line in overview.kinds:
        kind = csv_text(kind_line.kind.name)
        for line in kind_line.groups:
            figures = (line.allocated, line.granted, line.spent, line.remaining)
            group = csv_text(line.group.name)
            rows.append(_row(_("Group"), kind, group, *figures, yes if line.overspent else no))
        figures = (kind_line.allocated, kind_line.granted, kind_line.spent, kind_line.remaining)
        rows.append(_row(_("Network kind"), kind, "", *figures))
    pool = (overview.pool_amount, overview.pool_granted, None, overview.pool_remaining)
    rows.append(_row(_("Pooled funds"), "", "", *pool))
    rows.append(_row(_("Total"), "", "", overview.total, None, overview.spent, overview.remaining))
    return rows


def overview_csv(overview: BudgetOverview) -> str:
    """Return the whole file as text, byte-order mark first."""
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(overview_headings())
    writer.writerows(overview_rows(overview))
    return buffer.getvalue()


def overview_csv_response(overview: BudgetOverview) -> HttpResponse:
    """Return the overview as a download named like `budget-2017.csv`."""
    year = overview.budget_year.year
    response = HttpResponse(
        overview_csv(overview).encode("utf-8"), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="budget-{year}.csv"'
    return response
