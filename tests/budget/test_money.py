"""Money is Decimal with two places, written the Swedish way and typed any sensible way."""

from decimal import Decimal

import pytest
from django import forms

from budget.forms_fields import MoneyField
from budget.money import NBSP, format_number, format_sek, parse_sek, to_money


@pytest.mark.parametrize(
    ("typed", "amount"),
    [
        ("10000", "10000.00"),
        ("10 000", "10000.00"),
        ("10 000,50", "10000.50"),
        (f"10{NBSP}000", "10000.00"),
        ("10\u202f000,5", "10000.50"),
        ("10 000 kr", "10000.00"),
        ("10000kr", "10000.00"),
        ("10 000:-", "10000.00"),
        ("10000.50", "10000.50"),
        ("0", "0.00"),
        ("-1 250", "-1250.00"),
    ],
)
def test_parse_sek_reads_what_people_type(typed, amount):
    """Amounts typed with spaces, a decimal comma or a "kr" suffix are read exactly."""
    result = parse_sek(typed)
    assert result == Decimal(amount)
    assert result.as_tuple().exponent == -2


@pytest.mark.parametrize(
    "typed", ["10,5,5", "10.000,50", "tio tusen", "", "10,505", "1e4", "10 000,-", "kr"]
)
def test_parse_sek_refuses_what_is_not_an_amount(typed):
    """Text that is not an unambiguous amount is refused rather than guessed at."""
    with pytest.raises(ValueError):
        parse_sek(typed)


def test_floats_are_refused():
    """A float never becomes money: 0.1 + 0.2 is not 0.30 in binary."""
    with pytest.raises(TypeError):
        to_money(0.1 + 0.2)
    with pytest.raises(TypeError):
        format_sek(10000.0)


def test_to_money_rounds_half_up_to_ore():
    """Amounts are rounded to öre the way people round: half up."""
    assert to_money(Decimal("10.005")) == Decimal("10.01")
    assert to_money(Decimal("10.004")) == Decimal("10.00")
    assert to_money("2.675") == Decimal("2.68")
    assert to_money(10000) == Decimal("10000.00")


@pytest.mark.parametrize(
    ("amount", "written"),
    [
        (Decimal("90000"), f"90{NBSP}000{NBSP}kr"),
        (Decimal("400000.00"), f"400{NBSP}000{NBSP}kr"),
        (Decimal("1200000"), f"1{NBSP}200{NBSP}000{NBSP}kr"),
        (Decimal("10000.50"), f"10{NBSP}000,50{NBSP}kr"),
        (Decimal("999"), f"999{NBSP}kr"),
        (Decimal("0"), f"0{NBSP}kr"),
        (Decimal("-830"), f"-830{NBSP}kr"),
        (Decimal("-1250.5"), f"-1{NBSP}250,50{NBSP}kr"),
    ],
)
def test_format_sek_writes_swedish_kronor(amount, written):
    """Kronor are written with non-breaking spaces between thousands and a decimal comma."""
    assert format_sek(amount) == written


def test_format_sek_of_nothing_is_empty():
    """A missing amount (an undecided grant) is shown as nothing, not as 0 kr."""
    assert format_sek(None) == ""
    assert format_number(Decimal("12345.60")) == f"12{NBSP}345,60"


class AmountForm(forms.Form):
    amount = MoneyField(min_value=Decimal("0"), max_value=Decimal("99999999.99"))


@pytest.mark.parametrize(
    ("typed", "amount"),
    [("10000", "10000.00"), ("10 000", "10000.00"), ("10 000,50", "10000.50")],
)
def test_money_field_accepts_the_three_ways(typed, amount):
    """The form field takes 10000, 10 000 and 10 000,50 and gives an exact Decimal."""
    form = AmountForm(data={"amount": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["amount"] == Decimal(amount)
    assert isinstance(form.cleaned_data["amount"], Decimal)


def test_money_field_explains_what_it_wants():
    """A wrong amount gets a Swedish sentence saying how to write it; a negative one its limit."""
    form = AmountForm(data={"amount": "10,5,5"})
    assert not form.is_valid()
    assert form.errors["amount"] == [
        "Skriv beloppet i kronor, till exempel 10 000 eller 10 000,50."
    ]
    negative = AmountForm(data={"amount": "-5"})
    assert not negative.is_valid()
    assert negative.errors["amount"] == ["Beloppet måste vara minst 0 kr."]
    too_much = AmountForm(data={"amount": "100 000 000"})
    assert not too_much.is_valid()


def test_money_input_shows_the_amount_the_swedish_way():
    """A form redisplays an amount as 10 000,50, not 10000.50."""
    form = AmountForm(initial={"amount": Decimal("10000.50")})
    assert f'value="10{NBSP}000,50"' in str(form["amount"])
