from django.urls import path

from . import views

app_name = "members"

urlpatterns = [
    path("bjud-in/", views.invitation_create, name="invitation_create"),
    path("grupp/<int:group_pk>/", views.group_members, name="group_members"),
    path(
        "inbjudningar/<int:pk>/aterkalla/",
        views.invitation_withdraw,
        name="invitation_withdraw",
    ),
    path("roller/<int:pk>/ta-bort/", views.group_role_remove, name="group_role_remove"),
]
