from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.report_list, name="report_list"),
    path("skapa/", views.report_create, name="report_create"),
    path("text/<int:year>/", views.text_edit, name="text_edit"),
    path("<int:pk>/", views.job_detail, name="job_detail"),
    path("<int:pk>/forsok-igen/", views.job_retry, name="job_retry"),
    path("<int:pk>/publicera/", views.job_publish, name="job_publish"),
    path("<int:pk>/ladda-ner/", views.job_download, name="job_download"),
]
