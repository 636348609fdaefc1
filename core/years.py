"""The years the portal keeps records for: a budget, a report or a calendar outside them is a
typing mistake."""

from django.core.validators import MaxValueValidator, MinValueValidator

FIRST_YEAR = 2000
LAST_YEAR = 2100


def year_validators() -> list:
    """Return the validators of a model's or a form's year field."""
    return [MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)]


def is_record_year(year: int) -> bool:
    """Return whether `year` lies within the years the portal keeps records for."""
    return FIRST_YEAR <= year <= LAST_YEAR
