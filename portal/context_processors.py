from django.utils.functional import SimpleLazyObject

from networks import permissions
from networks.models import Municipality


def site(request):
    """Give every template the municipality running the portal and the user's portal role."""
    return {
        "municipality": Municipality.objects.first(),
        "works_in_portal": SimpleLazyObject(lambda: permissions.works_in_portal(request.user)),
        "makes_reports": SimpleLazyObject(lambda: permissions.can_create_reports(request.user)),
        "sees_budget": SimpleLazyObject(lambda: permissions.can_view_budget(request.user)),
    }
