"""The budget overview, its CSV export, and setting up and closing years. (Being written.)"""

from django.http import HttpResponse


def _todo(*args, **kwargs):
    return HttpResponse(status=501)


overview_current = year_create = overview = overview_csv = year_close = _todo
