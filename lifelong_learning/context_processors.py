"""Template context shared by every page: the navigation for the user's role."""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .roles import (
    REPORT_CHANGE,
    REPORT_REVIEW,
    REPORT_VIEW,
    VIEW_ALL_PROVINCES,
    user_role,
)

# (URL name, label, permission needed or None for everyone): the main menu.
NAV_ITEMS = [
    ("reports:dashboard", _("Dashboard"), REPORT_VIEW),
    ("institutions:list", _("Institutions"), "institutions.view_institution"),
    ("reports:sheet", _("Data entry"), REPORT_CHANGE),
    ("reports:review", _("Review"), REPORT_REVIEW),
    ("reports:periods", _("Reporting periods"), REPORT_REVIEW),
    ("reports:releases", _("Releases"), "reports.view_release"),
    ("audit", _("Audit"), VIEW_ALL_PROVINCES),
    ("methodology", _("Methodology"), None),
]


def _nav_items(request):
    user = request.user
    items = []
    for url_name, label, permission in NAV_ITEMS:
        if permission and not user.has_perm(permission):
            continue
        url = reverse(url_name)
        items.append(
            {"url": url, "label": label, "active": request.path.startswith(url)}
        )
    # The Django admin is in the user menu (templates/includes/header.html):
    # the row keeps room for the pages everyone works in.
    return items


def portal(request):
    return {
        "user_role": user_role(request.user),
        "nav_items": _nav_items(request),
        "dashboard_url": reverse("reports:dashboard"),
        "admin_url": "/" + settings.ADMIN_URL,
    }
