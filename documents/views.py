"""The document pages: a group's, kind's or forum's documents, one document with its versions,
uploading, changing and deleting, and the download.

Every view asks networks.permissions: a document the user may not read is 404, as if it did not
exist; one they may read but not change is 403 with the reason. Files are only ever sent by
`version_download`, as attachments.
"""

import logging
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from core.security import takes_large_uploads
from core.views import form_for_user, page_of, posted, saved
from networks import permissions
from networks.models import Forum, NetworkGroup, NetworkKind, Visibility

from . import services
from .forms import DocumentChangeForm, DocumentForm, VersionForm
from .models import Document

# Downloads of documents that are not public are logged: who read what, when.
logger = logging.getLogger(__name__)

# The owners in the addresses: the model and the field that holds it.
OWNERS = {"grupp": (NetworkGroup, "group"), "typ": (NetworkKind, "kind"), "forum": (Forum, "forum")}

NOT_YOURS_TO_UPLOAD = gettext_lazy(
    "Only the group's coordinators and the network developer add documents to a group; the "
    "documents of a kind or a central forum are added by the network developer."
)
NOT_YOURS_TO_CHANGE = gettext_lazy(
    "Only the group's coordinators and the network developer change or delete its documents; "
    "those of a kind or a central forum are the network developer's."
)


def _owner_or_404(owner_type, pk) -> tuple:
    """Return (the group, kind or forum, its field name) the address names."""
    model, field = OWNERS[owner_type]
    queryset = model.objects.select_related("kind") if model is NetworkGroup else model.objects
    return get_object_or_404(queryset, pk=pk), field


def _owner_context(owner, field) -> dict:
    owner_ids = {f"{name}_id": None for name in ("group", "kind", "forum")}
    owner_ids[f"{field}_id"] = owner.pk
    label = owner.choice_label if field == "group" else owner.name
    return {"owner": owner, "owner_field": field, "owner_ids": owner_ids, "owner_label": label}


def _readable_document_or_404(request, pk) -> Document:
    document = get_object_or_404(
        Document.objects.select_related("group", "group__kind", "kind", "forum", "meeting"), pk=pk
    )
    if not permissions.can_read_document(request.user, document):
        raise Http404
    return document


def _managed_document(request, pk) -> Document:
    document = _readable_document_or_404(request, pk)
    if not permissions.can_manage_document(request.user, document):
        raise PermissionDenied(NOT_YOURS_TO_CHANGE)
    return document


def document_list(request, owner, pk):
    """List the documents of a group, kind or forum that the user may read."""
    holder, field = _owner_or_404(owner, pk)
    context = _owner_context(holder, field)
    documents = (
        Document.objects.of_owner(**context["owner_ids"])
        .filter(permissions.visible_documents_filter(request.user))
        .for_listing()
    )
    page = page_of(request, documents)
    for document in page.object_list:
        # The meeting is named only to those who may see it (its date tells it took place).
        meeting = document.meeting
        document.visible_meeting = (
            meeting if meeting and permissions.can_view_meeting(request.user, meeting) else None
        )
    return render(
        request,
        "documents/document_list.html",
        {
            **context,
            "owner_type": owner,
            "page_obj": page,
            "documents": page.object_list,
            "can_upload": permissions.can_upload_documents(request.user, context["owner_ids"]),
            "staff": permissions.works_in_portal(request.user),
        },
    )


@takes_large_uploads
@login_required
def document_create(request, owner, pk):
    """Upload a new document of a group, kind or forum."""
    holder, field = _owner_or_404(owner, pk)
    context = _owner_context(holder, field)
    if not permissions.can_upload_documents(request.user, context["owner_ids"]):
        raise PermissionDenied(NOT_YOURS_TO_UPLOAD)
    owner_objects = {name: holder if name == field else None for name in ("group", "kind", "forum")}
    form = form_for_user(request, DocumentForm, files=True, owner=owner_objects)
    document = saved(
        form,
        lambda: services.document_create(created_by=request.user, **form.service_values()),
    )
    if document is not None:
        messages.success(request, _("The document has been uploaded."))
        return redirect(document)
    return render(
        request, "documents/document_form.html", {**context, "owner_type": owner, "form": form}
    )


def document_detail(request, pk):
    """Show a document with every version, to those who may read it."""
    document = _readable_document_or_404(request, pk)
    user = request.user
    meeting = document.meeting
    return render(
        request,
        "documents/document_detail.html",
        {
            "document": document,
            "versions": document.versions.select_related("uploaded_by"),
            "meeting": meeting if meeting and permissions.can_view_meeting(user, meeting) else None,
            "can_manage": permissions.can_manage_document(user, document),
            "staff": permissions.works_in_portal(user),
            "owner_type": _owner_type(document),
        },
    )


@login_required
def document_edit(request, pk):
    """Change a document's title, description, tier and meeting."""
    document = _managed_document(request, pk)
    stored_title = document.title
    form = DocumentChangeForm(*posted(request), instance=document, user=request.user)
    changed = saved(
        form, lambda: services.document_update(document=document, **form.service_values())
    )
    if changed is not None:
        messages.success(request, _("The changes have been saved."))
        return redirect(changed)
    return render(
        request,
        "documents/document_change.html",
        {"form": form, "document": document, "stored_title": stored_title},
    )


@takes_large_uploads
@login_required
def version_create(request, pk):
    """Upload a new version of a document; the earlier versions stay."""
    document = _managed_document(request, pk)
    form = form_for_user(request, VersionForm, files=True)
    version = saved(
        form,
        lambda: services.document_version_add(
            document=document, uploaded_by=request.user, **form.service_values()
        ),
    )
    if version is not None:
        messages.success(
            request, _("Version %(number)s has been uploaded.") % {"number": version.number}
        )
        return redirect(document)
    return render(request, "documents/version_form.html", {"form": form, "document": document})


@login_required
@require_http_methods(["GET", "POST"])
def document_delete(request, pk):
    """Ask, then delete a document with all its versions."""
    document = _managed_document(request, pk)
    if request.method == "POST":
        back = _list_url(document)
        services.document_delete(document=document, deleted_by=request.user)
        messages.success(request, _("The document has been deleted."))
        return redirect(back)
    return render(request, "documents/document_confirm_delete.html", {"document": document})


def _owner_type(document) -> str:
    """Return how the addresses name the kind of the document's owner (grupp, typ, forum)."""
    return next(key for key, (_model, field) in OWNERS.items() if getattr(document, f"{field}_id"))


def _list_url(document) -> str:
    owner_id = document.group_id or document.kind_id or document.forum_id
    return reverse(
        "documents:document_list", kwargs={"owner": _owner_type(document), "pk": owner_id}
    )


def attachment_header(name: str) -> str:
    """Return Content-Disposition for a download named `name` (RFC 6266): an ASCII fallback
    for old clients, and the exact name in UTF-8 as `filename*`."""
    fallback = "".join(
        char if char.isascii() and char.isprintable() and char not in '"\\%' else "_"
        for char in name
    )
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


def version_download(request, pk, number):
    """Send a version's file to those who may read the document: always as a download, with
    the content type found when it was uploaded, never cached by a shared cache."""
    document = _readable_document_or_404(request, pk)
    version = get_object_or_404(document.versions, number=number)
    try:
        file = version.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    if document.visibility != Visibility.PUBLIC:
        logger.info(
            "Document %s version %s (tier %s) downloaded by user %s",
            document.pk,
            version.number,
            document.visibility,
            request.user.pk,
        )
    response = FileResponse(file, content_type=version.content_type)
    response["Content-Disposition"] = attachment_header(version.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    if document.visibility == Visibility.PUBLIC:
        # Anyone may have it, but a cache must ask again: the tier may change.
        patch_cache_control(response, no_cache=True)
    else:
        patch_cache_control(response, private=True, no_store=True)
    return response
