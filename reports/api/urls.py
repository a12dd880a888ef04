"""URLs of the JSON API, mounted at /api/v1/."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from lifelong_learning.views import ApiDocsView
from reports.api import releases
from reports.api import views as api

router = SimpleRouter()
router.register("provinces", api.ProvinceViewSet, basename="province")
router.register(
    "former-provinces", api.FormerProvinceViewSet, basename="former-province"
)
router.register("institutions", api.InstitutionViewSet, basename="institution")
router.register("reports", api.AnnualReportViewSet, basename="report")

app_name = "api"
urlpatterns = [
    path("progress/", api.ProgressView.as_view(), name="progress"),
    path("releases/", releases.ReleaseListView.as_view(), name="release-list"),
    re_path(
        rf"^releases/(?P<number>{releases.NUMBER_ROUTE})/$",
        releases.ReleaseDetailView.as_view(),
        name="release-detail",
    ),
    re_path(
        rf"^releases/(?P<number>{releases.NUMBER_ROUTE})/progress/$",
        releases.ReleaseProgressView.as_view(),
        name="release-progress",
    ),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves its start-up script as a file, which the
    # Content-Security-Policy (no inline script) allows; sidecar serves the
    # Swagger UI files from our own static files.
    path(
        "docs/",
        ApiDocsView.as_view(url_name="api:schema"),
        name="docs",
    ),
    path("", include(router.urls)),
]
