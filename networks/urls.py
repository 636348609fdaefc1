from django.urls import path

from . import views

app_name = "networks"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("sok/", views.search, name="search"),
    path("<slug:kind_slug>/", views.kind_detail, name="kind_detail"),
    path("<slug:kind_slug>/<slug:group_slug>/", views.group_detail, name="group_detail"),
]
