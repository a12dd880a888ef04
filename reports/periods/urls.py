"""URLs of the periods pages, in the ``reports`` namespace."""

from django.urls import path

from reports.periods import views

urlpatterns = [
    path("periods/", views.PeriodListView.as_view(), name="periods"),
    path("periods/new/", views.PeriodFormView.as_view(), name="period_create"),
    path("periods/<int:year>/", views.PeriodFormView.as_view(), name="period"),
    path(
        "periods/<int:year>/extensions/new/",
        views.ExtensionFormView.as_view(),
        name="extension_create",
    ),
    path(
        "periods/<int:year>/extensions/<int:pk>/",
        views.ExtensionFormView.as_view(),
        name="extension",
    ),
]
