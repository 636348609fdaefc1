"""The news pages of those who work in the portal: read, write, change and delete news.

Every view asks networks.permissions what the user may read and write: a rule about the user
guards the view with `allowed`, a rule about the item it loaded raises PermissionDenied (or 404
for an item the user may not even read). The public news are on the public pages (portal/).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from core.views import allowed, form_for_user, page_of, posted, saved
from networks import permissions
from networks.models import NetworkGroup

from . import services
from .forms import NewsFilterForm, NewsItemForm
from .models import NewsItem

ONLY_COORDINATORS_WRITE = gettext_lazy(
    "Only the coordinators of a group and the network developer write news."
)
NOT_YOUR_NEWS = gettext_lazy(
    "You can only change the news of the groups you coordinate. News of a whole kind or of "
    "the whole portal are changed by the network developer."
)


def _owner_field(name):
    """Return the form's one owner field for the group or kind a service names."""
    return "owner" if name in ("group", "kind") else None


def _readable_item_or_404(request, pk) -> NewsItem:
    """Return the item if the user may read it; otherwise 404, so nobody learns it exists."""
    item = get_object_or_404(NewsItem.objects.with_owner(), pk=pk)
    if not permissions.can_view_news(request.user, item):
        raise Http404
    return item


def _readable_news(user, now):
    """Return the news the user may read: published at their tier, and the scheduled ones they
    may change."""
    scheduled_but_mine = permissions.writable_news_filter(user) & Q(published_at__gt=now)
    return NewsItem.objects.filter(
        permissions.visible_news_filter(user), Q(published_at__lte=now) | scheduled_but_mine
    )


def news_list(request):
    """List the news the user may read, newest first, filtered by group and year."""
    user = request.user
    now = timezone.now()
    readable = _readable_news(user, now)
    years = sorted(
        {day.year for day in readable.dates("published_at", "year")} | {now.year}, reverse=True
    )
    form = NewsFilterForm(
        request.GET,
        years=years,
        groups=NetworkGroup.objects.active().select_related("kind"),
    )
    page = page_of(request, form.filter(readable).with_owner().latest_first())
    return render(
        request,
        "news/news_list.html",
        {
            "form": form,
            "page_obj": page,
            "items": page.object_list,
            "can_create": permissions.can_create_news(user),
            "filtered": bool(form.chosen()),
            "chosen_group": form.chosen().get("group"),
            "now": now,
        },
    )


def news_detail(request, pk):
    """Show a news item the user may read."""
    item = _readable_item_or_404(request, pk)
    can_edit = permissions.can_edit_news(request.user, item)
    return render(request, "news/news_detail.html", {"item": item, "can_edit": can_edit})


@allowed(permissions.can_create_news, ONLY_COORDINATORS_WRITE)
def news_create(request):
    """Write a news item (?group=<id> preselects the group)."""
    form = form_for_user(request, NewsItemForm)
    item = saved(
        form,
        lambda: services.news_item_create(author=request.user, **form.service_values()),
        field_for=_owner_field,
    )
    if item is not None:
        messages.success(request, _("The news item has been saved."))
        return redirect(item)
    return render(request, "news/news_form.html", {"form": form, "item": None})


@login_required
def news_edit(request, pk):
    """Change a news item the user may write."""
    item = _readable_item_or_404(request, pk)
    if not permissions.can_edit_news(request.user, item):
        raise PermissionDenied(NOT_YOUR_NEWS)
    stored_title = item.title
    form = NewsItemForm(*posted(request), instance=item, user=request.user)
    changed = saved(
        form,
        lambda: services.news_item_update(item=item, **form.service_values()),
        field_for=_owner_field,
    )
    if changed is not None:
        messages.success(request, _("The changes have been saved."))
        return redirect(changed)
    return render(
        request, "news/news_form.html", {"form": form, "item": item, "stored_title": stored_title}
    )


@login_required
@require_http_methods(["GET", "POST"])
def news_delete(request, pk):
    """Ask, then delete a news item the user may write."""
    item = _readable_item_or_404(request, pk)
    if not permissions.can_edit_news(request.user, item):
        raise PermissionDenied(NOT_YOUR_NEWS)
    if request.method == "POST":
        services.news_item_delete(item=item)
        messages.success(request, _("The news item has been deleted."))
        return redirect("news:news_list")
    return render(request, "news/news_confirm_delete.html", {"item": item})
