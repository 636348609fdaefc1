from django.urls import path

from . import overview_views, views

app_name = "budget"

urlpatterns = [
    path("", overview_views.overview_current, name="overview_current"),
    path("nytt-ar/", overview_views.year_create, name="year_create"),
    path("<int:year>/", overview_views.overview, name="overview"),
    path("<int:year>/budget.csv", overview_views.overview_csv, name="overview_csv"),
    path("<int:year>/stang/", overview_views.year_close, name="year_close"),
    path("utgifter/", views.expense_list, name="expense_list"),
    path("utgifter/ny/", views.expense_create, name="expense_create"),
    path("utgifter/<int:pk>/andra/", views.expense_edit, name="expense_edit"),
    path("utgifter/<int:pk>/ta-bort/", views.expense_delete, name="expense_delete"),
    path("utgifter/<int:pk>/kvitto/", views.expense_receipt, name="expense_receipt"),
    path("ansokningar/", views.application_list, name="application_list"),
    path("ansokningar/ny/", views.application_create, name="application_create"),
    path("ansokningar/<int:pk>/", views.application_detail, name="application_detail"),
]
