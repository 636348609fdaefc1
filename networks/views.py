"""The public lokalsamverkan pages: no login, read only."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render

from .forms import DistrictSearchForm
from .models import NetworkGroup, NetworkKind
from .search import search_key


def _kinds_with_active_groups():
    return NetworkKind.objects.prefetch_related(
        Prefetch(
            "groups",
            queryset=NetworkGroup.objects.active().prefetch_related("districts"),
            to_attr="active_groups",
        )
    )


def overview(request):
    """Show every kind with its goal and its active groups, each with its districts."""
    return render(
        request,
        "networks/overview.html",
        {"kinds": _kinds_with_active_groups(), "form": DistrictSearchForm()},
    )


def kind_detail(request, kind_slug):
    """Show a kind: goal, purpose, guidelines and its active groups."""
    kind = get_object_or_404(_kinds_with_active_groups(), slug=kind_slug)
    return render(request, "networks/networkkind_detail.html", {"kind": kind})


def group_detail(request, kind_slug, group_slug):
    """Show an active group: districts, running organisation and consenting contacts."""
    group = get_object_or_404(
        NetworkGroup.objects.active().for_public_page(), kind__slug=kind_slug, slug=group_slug
    )
    return render(request, "networks/networkgroup_detail.html", {"group": group})


def search(request):
    """Answer "which network covers where I live?" by district or group name."""
    form = DistrictSearchForm(request.GET or None)
    results = []
    if form.is_valid():
        key = search_key(form.cleaned_data["q"])
        groups = NetworkGroup.objects.active().for_listing().search(key)
        results = [
            {
                "group": group,
                "matched": {d.pk for d in group.districts.all() if key in d.search_name},
            }
            for group in groups
        ]
    return render(
        request,
        "networks/search.html",
        {"form": form, "results": results, "searched": form.is_bound},
    )
