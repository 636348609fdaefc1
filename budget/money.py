"""Swedish kronor: Decimal with two places, written `90 000 kr`, typed any sensible way."""

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

NBSP = "\u00a0"
ORE = Decimal("0.01")
_SPACES = re.compile(r"[\s\u00a0\u202f]")


def to_money(value) -> Decimal:
    """Return `value` as a Decimal rounded to öre. Floats are refused: they are not money."""
    if isinstance(value, float):
        raise TypeError("Money is never a float")
    return Decimal(value).quantize(ORE, rounding=ROUND_HALF_UP)


def parse_sek(text: str) -> Decimal:
    """Read an amount as people type it: `10000`, `10 000`, `10 000,50`, `10 000 kr`.

    Raise ValueError for anything else.
    """
    cleaned = _SPACES.sub("", str(text)).lower().removesuffix("kr").removesuffix(":-")
    if re.fullmatch(r"-?\d+(,\d{1,2})?", cleaned):
        cleaned = cleaned.replace(",", ".")
    elif not re.fullmatch(r"-?\d+(\.\d{1,2})?", cleaned):
        raise ValueError(f"Not an amount: {text!r}")
    try:
        return to_money(cleaned)
    except InvalidOperation as error:
        raise ValueError(f"Not an amount: {text!r}") from error


def format_number(amount: Decimal) -> str:
    """Return `amount` the Swedish way without unit: `90 000`, `10 000,50`, `-1 250`."""
    amount = to_money(amount)
    sign = "-" if amount < 0 else ""
    whole, _, ore = f"{abs(amount):.2f}".partition(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    text = NBSP.join(groups)
    if ore != "00":
        text += f",{ore}"
    return f"{sign}{text}"


def format_sek(amount: Decimal | None) -> str:
    """Return `amount` as Swedish kronor: `90 000 kr` (non-breaking spaces), or "" for None."""
    if amount is None:
        return ""
    return f"{format_number(amount)}{NBSP}kr"
