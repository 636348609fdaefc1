"""Login, logout and password reset, at Swedish addresses. (Being written.)"""

from django.contrib.auth import views as auth_views
from django.urls import path

urlpatterns = [
    path("logga-in/", auth_views.LoginView.as_view(), name="login"),
    path("logga-ut/", auth_views.LogoutView.as_view(), name="logout"),
]
