"""Claim a rendered form's key in the transaction of what the form writes; delete old keys."""

import datetime
from collections.abc import Callable
from typing import NamedTuple

from django.db import IntegrityError, transaction

from .models import FormSubmission

# How long a key is kept: longer than anyone leaves a form open, or goes back to send it again.
KEPT_FOR = datetime.timedelta(days=30)


class Sent(NamedTuple):
    """What sending a form came to: what it created (or the first sending created, or None when
    there is nothing to show), and whether it had been sent before (and so wrote nothing)."""

    result: object
    before: bool


def form_submission_write(*, key, user, write: Callable) -> Sent:
    """Claim `key` for `user`, run `write()` and keep what it created under the key: one
    transaction.

    When `write()` returns None (the form or its service refused), everything is rolled back,
    so the key stays free for the form shown again with its errors. When `key` is taken –
    the form was sent before, or is being sent at this very moment (the unique key makes the
    second claim wait for the first and then fail) – nothing is written: return what the
    first sending created, if `user` sent it and it still exists.
    """
    with transaction.atomic():
        try:
            with transaction.atomic():
                submission = FormSubmission.objects.create(key=key, user=user)
        except IntegrityError:
            return Sent(_created_under(key, user), before=True)
        result = write()
        if result is None:
            transaction.set_rollback(True)
            return Sent(None, before=False)
        submission.created = result
        submission.save(update_fields=["content_type", "object_id"])
    return Sent(result, before=False)


def _created_under(key, user):
    submission = FormSubmission.objects.filter(key=key, user=user).first()
    return submission.created if submission is not None else None


def old_form_submissions_delete(*, now: datetime.datetime) -> int:
    """Delete the keys older than KEPT_FOR; return how many went."""
    return FormSubmission.objects.filter(created_at__lt=now - KEPT_FOR).delete()[0]
