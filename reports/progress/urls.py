"""URLs of the dashboards and the national PDF, in the ``reports`` namespace."""

from django.urls import path

from reports.progress import exports, views

urlpatterns = [
    path("dashboard/", views.NationalDashboardView.as_view(), name="dashboard"),
    path("dashboard/trends/", views.TrendsView.as_view(), name="trends"),
    path("dashboard/provinces/", views.ProvincesView.as_view(), name="provinces"),
    path(
        "dashboard/provinces/<str:code>/",
        views.ProvinceDashboardView.as_view(),
        name="province",
    ),
    path(
        "dashboard/export/<slug:table>.<str:file_format>",
        exports.DashboardExportView.as_view(),
        name="dashboard_export",
    ),
    path(
        "national-report.pdf", views.NationalReportPdfView.as_view(), name="report_pdf"
    ),
]
