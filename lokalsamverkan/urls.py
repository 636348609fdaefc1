from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from accounts.views import admin_login

handler400 = "core.views.bad_request"
handler403 = "core.views.permission_denied"
handler404 = "core.views.page_not_found"
handler500 = "core.views.server_error"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="portal:overview"), name="home"),
    path("", include("portal.urls")),
    path("konto/", include("lokalsamverkan.account_urls")),
    path("", include("meetings.urls")),
    path("", include("news.urls")),
    path("medlemmar/", include("members.urls")),
    path("", include("documents.urls")),
    path("budget/", include("budget.urls")),
    path("rapporter/", include("reports.urls")),
    # The admin logs in through the portal's login, which asks for the second factor.
    path("admin/login/", admin_login, name="admin_login"),
    path("admin/", admin.site.urls),
]
