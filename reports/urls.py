from django.urls import path

from . import dashboards, pdf, views

app_name = "reports"

urlpatterns = [
    path("dashboard/", dashboards.NationalDashboardView.as_view(), name="dashboard"),
    path("dashboard/trends/", dashboards.TrendsView.as_view(), name="trends"),
    path("dashboard/provinces/", dashboards.ProvincesView.as_view(), name="provinces"),
    path(
        "dashboard/provinces/<str:code>/",
        dashboards.ProvinceDashboardView.as_view(),
        name="province",
    ),
    path(
        "dashboard/export/<slug:table>.<str:file_format>",
        dashboards.DashboardExportView.as_view(),
        name="dashboard_export",
    ),
    path("national-report.pdf", pdf.NationalReportPdfView.as_view(), name="report_pdf"),
    path("sheet/", views.SheetView.as_view(), name="sheet"),
    path("sheet/submit/", views.SheetSubmitView.as_view(), name="sheet_submit"),
    path("<int:pk>/", views.ReportPageView.as_view(), name="detail"),
    path(
        "institution/<int:institution_pk>/<int:year>/",
        views.ReportPageView.as_view(),
        name="edit",
    ),
    path("<int:pk>/submit/", views.ReportSubmitView.as_view(), name="submit"),
    path("<int:pk>/approve/", views.ReportApproveView.as_view(), name="approve"),
    path("<int:pk>/return/", views.ReportReturnView.as_view(), name="return"),
    path("<int:pk>/reopen/", views.ReportReopenView.as_view(), name="reopen"),
    path("review/", views.ReviewView.as_view(), name="review"),
    path(
        "review/<str:province>/<int:year>/",
        views.ReviewSheetView.as_view(),
        name="review_sheet",
    ),
    path("upload/", views.UploadView.as_view(), name="upload"),
    path(
        "upload/template.xlsx",
        views.UploadTemplateView.as_view(),
        name="upload_template",
    ),
    path(
        "upload/<str:token>/",
        views.UploadPreviewView.as_view(),
        name="upload_preview",
    ),
]
