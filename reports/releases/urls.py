"""URLs of the staff pages of releases, in the ``reports`` namespace."""

from django.urls import path

from reports.releases import views

urlpatterns = [
    path("releases/", views.ReleaseListView.as_view(), name="releases"),
    path(
        "releases/publish/",
        views.ReleasePublishView.as_view(),
        name="release_publish",
    ),
    path(
        "releases/publish/confirm/",
        views.ReleasePublishConfirmView.as_view(),
        name="release_publish_confirm",
    ),
    path("releases/<str:number>/", views.ReleaseDetailView.as_view(), name="release"),
]
