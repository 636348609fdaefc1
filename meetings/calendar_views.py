"""Calendar pages: the month view and the year grid of bilaga 2. (Being written.)"""

from django.http import HttpResponse


def _todo(*args, **kwargs):
    return HttpResponse(status=501)


calendar_today = year_grid = month = _todo
