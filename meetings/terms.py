"""Terms: the guidelines count meetings per term."""

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _

# Spring term is January to this month; autumn the rest of the year.
LAST_SPRING_MONTH = 6


@dataclass(frozen=True)
class Term:
    """A school term: spring is January–June, autumn July–December."""

    start: datetime.date
    end: datetime.date
    name: str

    @classmethod
    def of(cls, day: datetime.date) -> "Term":
        if day.month <= LAST_SPRING_MONTH:
            name = _("spring %(year)s") % {"year": day.year}
            return cls(datetime.date(day.year, 1, 1), datetime.date(day.year, 6, 30), name)
        name = _("autumn %(year)s") % {"year": day.year}
        return cls(datetime.date(day.year, 7, 1), datetime.date(day.year, 12, 31), name)
