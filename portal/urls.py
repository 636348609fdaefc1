"""The public pages, the calendars and the feeds: what residents read without logging in."""

from django.urls import path

from . import calendar_views, feeds, news_feeds, views

app_name = "portal"

urlpatterns = [
    path("lokalsamverkan/", views.overview, name="overview"),
    path("lokalsamverkan/sok/", views.search, name="search"),
    path("lokalsamverkan/kalender.ics", feeds.all_feed, name="feed_all"),
    path("lokalsamverkan/nyheter.atom", news_feeds.all_news_feed, name="news_feed_all"),
    path("lokalsamverkan/<slug:kind_slug>/", views.kind_detail, name="kind_detail"),
    path("lokalsamverkan/<slug:kind_slug>/kalender.ics", feeds.kind_feed, name="feed_kind"),
    path(
        "lokalsamverkan/<slug:kind_slug>/<slug:group_slug>/",
        views.group_detail,
        name="group_detail",
    ),
    path(
        "lokalsamverkan/<slug:kind_slug>/<slug:group_slug>/kalender.ics",
        feeds.group_feed,
        name="feed_group",
    ),
    path(
        "lokalsamverkan/<slug:kind_slug>/<slug:group_slug>/nyheter/",
        views.group_news,
        name="group_news",
    ),
    path(
        "lokalsamverkan/<slug:kind_slug>/<slug:group_slug>/nyheter.atom",
        news_feeds.group_news_feed,
        name="news_feed_group",
    ),
    path("kalender/", calendar_views.calendar_today, name="calendar"),
    path("kalender/<int:year>/", calendar_views.year_grid, name="year_grid"),
    path("kalender/<int:year>/<int:month>/", calendar_views.month, name="calendar_month"),
    path("rapporter/publicerade/", views.published_list, name="published_list"),
    path("tillganglighet/", views.accessibility_statement, name="accessibility"),
]
