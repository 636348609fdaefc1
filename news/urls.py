from django.urls import path

from . import views

app_name = "news"

urlpatterns = [
    path("nyheter/", views.news_list, name="news_list"),
    path("nyheter/ny/", views.news_create, name="news_create"),
    path("nyheter/<int:pk>/", views.news_detail, name="news_detail"),
    path("nyheter/<int:pk>/andra/", views.news_edit, name="news_edit"),
    path("nyheter/<int:pk>/ta-bort/", views.news_delete, name="news_delete"),
]
