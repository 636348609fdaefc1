from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

handler403 = "core.views.permission_denied"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="portal:overview"), name="home"),
    path("", include("portal.urls")),
    path("konto/", include("lokalsamverkan.account_urls")),
    path("", include("meetings.urls")),
    path("budget/", include("budget.urls")),
    path("rapporter/", include("reports.urls")),
    path("admin/", admin.site.urls),
]
