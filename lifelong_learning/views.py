"""Pages that belong to the portal as a whole rather than to one app: home,
methodology, the account pages, the API documentation and the error pages."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template import loader
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import requires_csrf_token
from django.views.generic import TemplateView
from drf_spectacular.views import SpectacularSwaggerSplitView


class HomeView(TemplateView):
    template_name = "home.html"


class MethodologyView(TemplateView):
    template_name = "methodology.html"

    def get_context_data(self, **kwargs):
        # The licence of the releases, stated in their section; an anonymous
        # reader (often from the public pages) gets their header and links.
        public_links = {
            name: reverse(f"public:{name}")
            for name in ("overview", "trends", "provinces", "files")
        }
        return super().get_context_data(
            licence_url=settings.RELEASE_LICENCE_URL, links=public_links, **kwargs
        )


class LogoutView(auth_views.LogoutView):
    """Logs out and says so on the page it lands on."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.success(request, _("You have logged out."))
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    """Every user changes their own password, checked by Django's validators."""

    success_url = reverse_lazy("password_change_done")


class ApiDocsView(SpectacularSwaggerSplitView):
    """The Swagger UI of the API inside the portal's layout, with an
    introduction; its files come from drf-spectacular-sidecar's static files and
    its start-up script from this view (no inline script)."""

    template_name = "api_docs.html"


@requires_csrf_token
def csrf_failure(request, reason=""):
    """A form whose CSRF check failed: says why that happens and what to do."""
    return render(request, "403_csrf.html", status=403)


def _render_bare(request, template_name: str, status: int) -> HttpResponse:
    """Renders an error page without context processors: the user, the session
    and the navigation need the database (which may be what failed) and the
    middleware that sets them up (which may not have run)."""
    template = loader.get_template(template_name)
    context = {"request": request, "csrf_token": get_token(request)}
    return HttpResponse(template.render(context), status=status)


@requires_csrf_token
def bad_request(request, exception):
    """The 400 page; a bad request may be refused before the middleware that
    sets up the user has run."""
    return _render_bare(request, "400.html", 400)


@requires_csrf_token
def server_error(request):
    """The 500 page, rendered without the database."""
    return _render_bare(request, "500.html", 500)
