"""Forms of the document pages. They validate; the views hand the values to the services.

An uploaded file is checked by its content (core.uploads), its name must end as its content
is, and it may be at most DOCUMENT_MAX_BYTES: each refusal is a Swedish message beside the
file field, and nothing is stored.
"""

from crispy_forms.layout import Fieldset
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core import uploads
from core.forms import capitalised, form_layout
from meetings.models import Meeting
from networks import permissions
from networks.forms import TierFieldsMixin
from submissions.forms import SubmittedOnce

from .models import Document, MeetingRole

DOCUMENT_TYPES = (
    uploads.PDF,
    uploads.DOCX,
    uploads.XLSX,
    uploads.PPTX,
    uploads.ODT,
    uploads.ODS,
    uploads.JPEG,
    uploads.PNG,
)
ACCEPT = ",".join(
    [kind.content_type for kind in DOCUMENT_TYPES]
    + [f".{extension}" for kind in DOCUMENT_TYPES for extension in kind.extensions]
)


def _megabytes(size: int) -> str:
    return number_format(size / (1024 * 1024), decimal_pos=1 if size < 10 * 1024 * 1024 else 0)


def _type_names() -> str:
    names = [kind.name for kind in DOCUMENT_TYPES]
    return gettext("%(names)s or %(last)s") % {"names": ", ".join(names[:-1]), "last": names[-1]}


def _refusal(refused: uploads.Refused, name: str) -> ValidationError:
    if refused.reason == refused.TOO_MANY_PIXELS:
        return ValidationError(
            gettext(
                "The image has more than 64 megapixels. Save it with a lower resolution and "
                "choose the smaller file."
            ),
            code="document_pixels",
        )
    if refused.reason == refused.DAMAGED:
        return ValidationError(
            gettext(
                "The file looks like a %(type)s file but cannot be read to the end: it is "
                "damaged, cut short or something else. Save the document again and choose the "
                "new file."
            )
            % {"type": refused.kind.name},
            code="document_damaged",
        )
    if refused.reason == refused.MACROS:
        return ValidationError(
            gettext(
                "The file contains macros, which the portal does not accept: they can run code "
                "on the computers of those who open it. Save the document without macros (for "
                "example as PDF) and choose it again."
            ),
            code="document_macros",
        )
    return ValidationError(
        gettext(
            "“%(name)s” is not a file the portal accepts, whatever its name says: a document "
            "must be a %(types)s file. Save it as one of them and choose it again."
        )
        % {"name": name, "types": _type_names()},
        code="document_type",
    )


def checked_document_file(uploaded) -> uploads.FileType:
    """Return the type of an uploaded document and clean its name, or raise a ValidationError
    saying what is wrong (too large, not an accepted type, damaged, named as another type)."""
    limit = settings.DOCUMENT_MAX_BYTES
    if uploaded.size > limit:
        raise ValidationError(
            gettext(
                "The file is %(size)s MB, and a document may be at most %(limit)s MB. Make it "
                "smaller (for example a PDF with smaller images) or split it, and choose it again."
            )
            % {"size": _megabytes(uploaded.size), "limit": _megabytes(limit)},
            code="document_size",
        )
    shown_name = uploads.clean_file_name(uploaded.name, fallback="", max_length=80)
    try:
        kind = uploads.identify(uploaded, DOCUMENT_TYPES)
    except uploads.Refused as refused:
        raise _refusal(refused, shown_name) from None
    extension = uploads.name_extension(uploaded.name)
    if extension not in kind.extensions:
        raise ValidationError(
            gettext(
                "The file is a %(type)s file, but its name ends in “.%(extension)s”. A name "
                "that tells another type than the content is refused: rename the file to end "
                "in “.%(expected)s” and choose it again."
            )
            % {"type": kind.name, "extension": extension, "expected": kind.extension}
            if extension
            else gettext(
                "The file is a %(type)s file, but its name has no ending. Rename the file to "
                "end in “.%(expected)s” and choose it again."
            )
            % {"type": kind.name, "expected": kind.extension},
            code="document_extension",
        )
    uploaded.name = uploads.clean_file_name(uploaded.name, fallback=f"dokument.{kind.extension}")
    return kind


class DocumentFileField(forms.FileField):
    """A document's file: the forms check it with `checked_document_file`."""

    widget = forms.FileInput(attrs={"accept": ACCEPT})
    default_error_messages = {
        "required": _("Choose the file to upload."),
        "empty": _("The file is empty. Choose another file."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("File"))
        super().__init__(**kwargs)


def file_help() -> str:
    """Return the file field's help: the types accepted and the largest size."""
    return gettext(
        "PDF, Word (DOCX), Excel (XLSX), PowerPoint (PPTX), OpenDocument (ODT, ODS), JPEG or "
        "PNG, at most %(limit)s MB."
    ) % {"limit": _megabytes(settings.DOCUMENT_MAX_BYTES)}


def meetings_of(owner_ids: dict, user, current=None):
    """Return the owner's meetings a document may be linked to: those the user may see (and
    the document's current one), the latest first."""
    meetings = Meeting.objects.filter(**owner_ids).filter(permissions.visible_meetings_filter(user))
    if current is not None:
        meetings = meetings | Meeting.objects.filter(pk=current)
    return meetings.order_by("-date", "-start_time", "-pk")


class MeetingLinkMixin:
    """The optional meeting of the document's owner, and what the document is for it."""

    def _setup_meeting(self, user, owner_ids):
        field = self.fields["meeting"]
        field.queryset = meetings_of(owner_ids, user, self.instance.meeting_id)
        field.label_from_instance = lambda meeting: (
            f"{meeting.date:%Y-%m-%d} – {meeting.get_type_display()} "
            f"({meeting.get_status_display()})"
        )
        field.empty_label = _("No meeting")
        field.error_messages["invalid_choice"] = _(
            "Choose a meeting of the same group, kind or forum as the document."
        )
        role = self.fields["meeting_role"]
        role.choices = capitalised(MeetingRole.choices)
        role.required = False

    def clean(self):
        cleaned = super().clean()
        # A role without a meeting means nothing; the model requires one with a meeting.
        if not cleaned.get("meeting"):
            cleaned["meeting_role"] = ""
        return cleaned


DOCUMENT_WIDGETS = {
    "description": forms.Textarea(attrs={"rows": 3}),
    "visibility": forms.RadioSelect,
    "meeting_role": forms.RadioSelect,
}
DOCUMENT_HELP = {
    "visibility": _("Who may see the document in lists and download it."),
    "meeting": _("Optional: the meeting the document belongs to; it is shown on its page."),
}


class DocumentForm(SubmittedOnce, TierFieldsMixin, MeetingLinkMixin, forms.ModelForm):
    """Upload a new document of a group, kind or forum (the owner comes from the address)."""

    file = DocumentFileField()

    class Meta:
        model = Document
        fields = ["title", "description", "visibility", "meeting", "meeting_role"]
        widgets = DOCUMENT_WIDGETS
        help_texts = {
            **DOCUMENT_HELP,
            "title": _("Optional: without a title the file's name is used."),
        }

    def __init__(self, *args, user, owner: dict, preselect_group=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.owner = owner
        self.owner_ids = {f"{name}_id": obj.pk if obj else None for name, obj in owner.items()}
        for name, obj in owner.items():
            setattr(self.instance, name, obj)
        self.fields["title"].required = False
        self.fields["visibility"].choices = capitalised(self.fields["visibility"].choices)
        self.setup_tiers(user)
        self._setup_meeting(user, self.owner_ids)
        self.fields["file"].help_text = file_help()
        self.order_fields(["file", "title", "description", "visibility"])
        self.helper = form_layout(
            Fieldset(_("Document"), "file", "title", "description", "visibility"),
            Fieldset(_("Meeting"), "meeting", "meeting_role"),
        )

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        self.file_type = checked_document_file(uploaded)
        return uploaded

    def clean(self):
        cleaned = super().clean()
        self.check_tiers(**self.owner_ids)
        uploaded = cleaned.get("file")
        if not cleaned.get("title") and uploaded:
            title = uploaded.name.rpartition(".")[0] or uploaded.name
            cleaned["title"] = self.instance.title = title[:200]
        elif not cleaned.get("title"):
            # No file either: its own error says what to do, and nothing is saved; a second
            # error ("title required") beside a field that was optional would only confuse.
            cleaned["title"] = "-"
        return cleaned

    def service_values(self) -> dict:
        """Return the keyword arguments for document_create."""
        values = {name: self.cleaned_data[name] for name in self.Meta.fields}
        return {
            **values,
            **self.owner,
            "file": self.cleaned_data["file"],
            "file_type": self.file_type,
        }


class DocumentChangeForm(TierFieldsMixin, MeetingLinkMixin, forms.ModelForm):
    """Change a document's title, description, tier and meeting."""

    class Meta:
        model = Document
        fields = ["title", "description", "visibility", "meeting", "meeting_role"]
        widgets = DOCUMENT_WIDGETS
        help_texts = DOCUMENT_HELP

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["visibility"].choices = capitalised(self.fields["visibility"].choices)
        self.setup_tiers(user)
        self._setup_meeting(user, self.instance.owner_ids)
        self.helper = form_layout(
            Fieldset(_("Document"), "title", "description", "visibility"),
            Fieldset(_("Meeting"), "meeting", "meeting_role"),
        )

    def clean(self):
        cleaned = super().clean()
        self.check_tiers(**self.instance.owner_ids)
        return cleaned

    def service_values(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self.Meta.fields}


class VersionForm(SubmittedOnce, forms.Form):
    """Upload a new version of a document; the earlier ones stay."""

    file = DocumentFileField(label=_("New version"))

    def __init__(self, *args, user=None, preselect_group=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = file_help()
        self.helper = form_layout("file")

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        self.file_type = checked_document_file(uploaded)
        return uploaded

    def service_values(self) -> dict:
        return {"file": self.cleaned_data["file"], "file_type": self.file_type}
