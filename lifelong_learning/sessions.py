"""Telling people why they are asked to log in.

A request that still carries a session cookie but no longer a logged-in user
comes from a session that ended (it expired, or the account logged in
elsewhere after a password change): when such a request is sent to the login
page, the address says so (``expired=1``) and the login page explains it.
"""

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.conf import settings
from django.contrib.auth.views import LoginView
from django.shortcuts import resolve_url
from django.utils.translation import gettext as _

EXPIRED = "expired"


class SessionExpiredMiddleware:
    """Marks redirects to the login page caused by an ended session."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        ended = (
            settings.SESSION_COOKIE_NAME in request.COOKIES
            and not request.user.is_authenticated
        )
        response = self.get_response(request)
        if ended and response.status_code == 302:
            location = urlsplit(response["Location"])
            if location.path == resolve_url(settings.LOGIN_URL):
                query = parse_qsl(location.query, keep_blank_values=True)
                if (EXPIRED, "1") not in query:
                    query.append((EXPIRED, "1"))
                response["Location"] = urlunsplit(
                    location._replace(query=urlencode(query))
                )
        return response


class PortalLoginView(LoginView):
    """Django's login page, saying why the person is there."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.request.GET.get(EXPIRED) == "1":
            context["login_reason"] = _(
                "Your session has ended, so you were logged out. Log in again to "
                "continue: anything you typed in a year sheet is kept in this "
                "browser and put back when the sheet opens."
            )
        elif self.request.GET.get(self.redirect_field_name):
            context["login_reason"] = _("Log in to open that page.")
        return context
