"""URLs of the notices pages, in the ``reports`` namespace."""

from django.urls import path

from reports.notices import views

urlpatterns = [
    path("notices/", views.InboxView.as_view(), name="notices"),
    path("notices/<int:pk>/", views.NoticeOpenView.as_view(), name="notice_open"),
    path("notices/read/", views.NoticesReadView.as_view(), name="notices_read"),
    path(
        "notices/settings/",
        views.NoticeSettingsView.as_view(),
        name="notice_settings",
    ),
]
