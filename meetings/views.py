"""The coordinators' pages: my networks, meetings and activities. (Being written.)"""

from django.http import HttpResponse


def _todo(*args, **kwargs):
    return HttpResponse(status=501)


my_networks = meeting_list = meeting_create = meeting_series_create = _todo
meeting_detail = meeting_edit = meeting_cancel = meeting_history = _todo
activity_list = activity_create = activity_edit = _todo
