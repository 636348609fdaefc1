from django.urls import path, register_converter

from . import views


class OwnerConverter:
    """The kind of owner in an address: grupp, typ (a kind of network) or forum."""

    regex = "grupp|typ|forum"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(OwnerConverter, "owner")

app_name = "documents"

urlpatterns = [
    path("dokument/<owner:owner>/<int:pk>/", views.document_list, name="document_list"),
    path("dokument/<owner:owner>/<int:pk>/ny/", views.document_create, name="document_create"),
    path("dokument/<int:pk>/", views.document_detail, name="document_detail"),
    path("dokument/<int:pk>/andra/", views.document_edit, name="document_edit"),
    path("dokument/<int:pk>/ny-version/", views.version_create, name="version_create"),
    path("dokument/<int:pk>/ta-bort/", views.document_delete, name="document_delete"),
    path(
        "dokument/<int:pk>/version/<int:number>/",
        views.version_download,
        name="version_download",
    ),
]
