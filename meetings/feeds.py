"""iCalendar feeds of public meetings. (Being written.)"""

from django.http import HttpResponse


def _todo(*args, **kwargs):
    return HttpResponse(status=501)


all_feed = kind_feed = group_feed = _todo
