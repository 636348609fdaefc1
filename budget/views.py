"""Spending and applications for pooled funds. (Being written.)"""

from django.http import HttpResponse


def _todo(*args, **kwargs):
    return HttpResponse(status=501)


expense_list = expense_create = expense_edit = expense_delete = expense_receipt = _todo
application_list = application_create = application_detail = _todo
