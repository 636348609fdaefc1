from django.urls import path

from meetings import feeds

from . import views

app_name = "networks"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("sok/", views.search, name="search"),
    path("kalender.ics", feeds.all_feed, name="feed_all"),
    path("<slug:kind_slug>/", views.kind_detail, name="kind_detail"),
    path("<slug:kind_slug>/kalender.ics", feeds.kind_feed, name="feed_kind"),
    path("<slug:kind_slug>/<slug:group_slug>/", views.group_detail, name="group_detail"),
    path("<slug:kind_slug>/<slug:group_slug>/kalender.ics", feeds.group_feed, name="feed_group"),
]
