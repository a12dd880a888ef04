"""Root URL configuration."""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from . import audit, views
from .sessions import PortalLoginView

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("methodology/", views.MethodologyView.as_view(), name="methodology"),
    path("accounts/login/", PortalLoginView.as_view(), name="login"),
    path("accounts/logout/", views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password_change/",
        views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password_change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("institutions/", include("institutions.urls")),
    path("reports/", include("reports.urls")),
    path("imports/", include("jobs.urls")),
    path("api/v1/", include("reports.api.urls")),
    # The DCAT-AP catalogue, before the public pages also mounted at data/.
    path("data/", include("reports.public.catalog_urls")),
    path("data/", include("reports.public.urls")),
    path("audit/", audit.AuditView.as_view(), name="audit"),
    path("i18n/", include("django.conf.urls.i18n")),
    path(settings.ADMIN_URL, admin.site.urls),
]

admin.site.site_header = _("Administration of the lifelong-learning portal")
admin.site.site_title = _("Portal administration")
admin.site.index_title = _("Data, targets and accounts")

handler400 = "lifelong_learning.views.bad_request"
handler500 = "lifelong_learning.views.server_error"
