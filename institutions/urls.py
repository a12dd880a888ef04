from django.urls import path

from . import views

app_name = "institutions"

urlpatterns = [
    path("", views.InstitutionListView.as_view(), name="list"),
    path("new/", views.InstitutionCreateView.as_view(), name="create"),
    path("<int:pk>/", views.InstitutionDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.InstitutionUpdateView.as_view(), name="update"),
    path("<int:pk>/close/", views.InstitutionCloseView.as_view(), name="close"),
    path(
        "export.<str:file_format>",
        views.InstitutionExportView.as_view(),
        name="export",
    ),
    path("import/", views.InstitutionImportView.as_view(), name="import"),
    path(
        "import/<str:token>/",
        views.InstitutionImportPreviewView.as_view(),
        name="import-preview",
    ),
    path(
        "import-template.xlsx",
        views.InstitutionTemplateView.as_view(),
        name="template",
    ),
    path("communes/", views.CommuneOptionsView.as_view(), name="communes"),
]
