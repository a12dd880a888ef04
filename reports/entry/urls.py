"""URLs of data entry and review, in the ``reports`` namespace."""

from django.urls import path

from reports.entry import grid_views, review, uploads, views

urlpatterns = [
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
    path("review/", review.ReviewView.as_view(), name="review"),
    path(
        "review/<str:province>/<int:year>/",
        review.ReviewSheetView.as_view(),
        name="review_sheet",
    ),
    path(
        "review/<str:province>/<int:year>/console/",
        review.ReviewConsoleView.as_view(),
        name="review_console",
    ),
    path(
        "review/<str:province>/<int:year>/console/approve/",
        review.ConsoleApproveView.as_view(),
        name="review_console_approve",
    ),
    path(
        "review/<str:province>/<int:year>/console/return/",
        review.ConsoleReturnView.as_view(),
        name="review_console_return",
    ),
    path("<int:pk>/comments/", review.ReportCommentView.as_view(), name="comment"),
    path("review/grid/", grid_views.StatusGridView.as_view(), name="grid"),
    path(
        "review/grid/export/<str:file_format>/",
        grid_views.StatusGridExportView.as_view(),
        name="grid_export",
    ),
    path(
        "review/grid/approve/",
        grid_views.StatusGridApproveView.as_view(),
        name="grid_approve",
    ),
    path("upload/", uploads.UploadView.as_view(), name="upload"),
    path(
        "upload/template.xlsx",
        uploads.UploadTemplateView.as_view(),
        name="upload_template",
    ),
    path(
        "upload/<str:token>/",
        uploads.UploadPreviewView.as_view(),
        name="upload_preview",
    ),
]
