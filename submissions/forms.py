"""The form side: the hidden one-time key, and the write that claims it."""

import uuid

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import services

KEY = "submission_key"

KEY_MISSING = _(
    "The form came without its one-time key, as an old or copied form does. Send the form again."
)
SENT_BEFORE = _("The form was sent more than once; it was saved once.")
SENT_ELSEWHERE = _("This form has already been sent. Open the form anew to save something more.")


class SubmissionKeyField(forms.UUIDField):
    """The hidden one-time key of a rendered form: a new random one each time it is shown.

    A missing or garbled key cleans to None rather than to an error beside a field nobody
    sees, and the form shown again gets a new key, so that sending it again can save.
    """

    widget = forms.HiddenInput

    def __init__(self):
        super().__init__(required=False, initial=uuid.uuid4)

    def clean(self, value):
        try:
            return super().clean(value)
        except ValidationError:
            return None

    def bound_data(self, data, initial):
        return data if self.clean(data) is not None else initial


class SubmittedOnce:
    """Mixin for a form that creates something: saved at most once per rendered form.

    Built for a request (`request=`, as `core.views.form_for_user` does), the form carries
    the hidden key and `core.views.saved` writes through `once`. Built without one – the same
    form changing an existing object – it is an ordinary form.
    """

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request
        self.submission_key = None
        if request is not None:
            self.fields[KEY] = SubmissionKeyField()

    def _post_clean(self):
        super()._post_clean()
        # The key is the form's, not the service's: keep it out of what service_values() hands on.
        self.submission_key = self.cleaned_data.pop(KEY, None)

    def once(self, write):
        """Run `write()` (validate, then save) at most once for this rendered form; return what
        it created, or what the first sending of the form created.

        A form without its key saves nothing and says to send it again (the form shown again
        has a new key). A form sent before saves nothing: the user is told, and the view goes
        where it went the first time.
        """
        if self.request is None:
            return write()
        self.is_valid()  # cleaning reads the key (_post_clean)
        if self.submission_key is None:
            self.add_error(None, KEY_MISSING)
            return None
        sent = services.form_submission_write(
            key=self.submission_key, user=self.request.user, write=write
        )
        if sent.before and sent.result is None:
            self.add_error(None, SENT_ELSEWHERE)
        elif sent.before:
            messages.info(self.request, SENT_BEFORE)
        return sent.result
