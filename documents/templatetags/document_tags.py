"""Documents on other apps' pages, without those apps importing this one: a meeting's page loads
this library and asks for the documents linked to the meeting that the reader may read."""

from django import template

from networks import permissions

from ..models import Document

register = template.Library()


@register.inclusion_tag("documents/_meeting_documents.html", takes_context=True)
def meeting_documents(context, meeting):
    """Render the documents linked to `meeting` that the user may read (nothing if none)."""
    user = context["request"].user
    documents = (
        Document.objects.filter(meeting=meeting)
        .filter(permissions.visible_documents_filter(user))
        .for_listing()
        .order_by("meeting_role", "title")
    )
    return {"documents": list(documents), "meeting": meeting}
