from networks.models import Municipality


def site(request):
    """Give every template the municipality that runs the portal (None before any data)."""
    return {"municipality": Municipality.objects.first()}
