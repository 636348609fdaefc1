from django.urls import path

from . import views

app_name = "meetings"

urlpatterns = [
    path("mina-natverk/", views.my_networks, name="my_networks"),
    path("moten/", views.meeting_list, name="meeting_list"),
    path("moten/nytt/", views.meeting_create, name="meeting_create"),
    path("moten/serie/", views.meeting_series_create, name="meeting_series_create"),
    path("moten/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("moten/<int:pk>/andra/", views.meeting_edit, name="meeting_edit"),
    path("moten/<int:pk>/stall-in/", views.meeting_cancel, name="meeting_cancel"),
    path("moten/<int:pk>/historik/", views.meeting_history, name="meeting_history"),
    path("aktiviteter/", views.activity_list, name="activity_list"),
    path("aktiviteter/ny/", views.activity_create, name="activity_create"),
    path("aktiviteter/<int:pk>/andra/", views.activity_edit, name="activity_edit"),
]
