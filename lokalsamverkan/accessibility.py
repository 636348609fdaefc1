"""The accessibility statement (tillgänglighetsredogörelse) that lag 2018:1937 requires."""

from django.shortcuts import render

# Where to complain when the municipality's answer does not satisfy: DIGG's form.
DIGG_COMPLAINT_URL = "https://www.digg.se/tdosanmalan"


def statement(request):
    """Show how accessible the portal is, its known gaps, and where to report a problem.

    The municipality's parts (status, gaps, dates, contact) come from its row in the admin;
    the template falls back to the general contact details where they are left empty.
    """
    return render(request, "accessibility.html", {"complaint_url": DIGG_COMPLAINT_URL})
