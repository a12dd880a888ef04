from django.urls import path

from . import views

app_name = "jobs"
urlpatterns = [
    path("<int:pk>/", views.ImportJobView.as_view(), name="detail"),
    path("<int:pk>/status/", views.ImportJobStatusView.as_view(), name="status"),
]
