"""Template context shared by every page: the navigation for the user's role."""

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from .roles import VIEW_ALL_PROVINCES, user_role

# (URL name, label, permission needed or None for everyone). Entries whose URL
# does not exist are left out, so an app adds its page by adding its URL.
NAV_ITEMS = [
    ("reports:dashboard", _("Dashboard"), "reports.view_annualreport"),
    ("institutions:list", _("Institutions"), "institutions.view_institution"),
    ("reports:sheet", _("Data entry"), "reports.change_annualreport"),
    ("reports:review", _("Review"), "reports.review_annualreport"),
    ("audit", _("Audit"), VIEW_ALL_PROVINCES),
    ("methodology", _("Methodology"), None),
]


def _nav_items(request):
    user = request.user
    items = []
    for url_name, label, permission in NAV_ITEMS:
        if permission and not user.has_perm(permission):
            continue
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            continue
        items.append(
            {"url": url, "label": label, "active": request.path.startswith(url)}
        )
    if user.is_staff:
        items.append(
            {
                "url": reverse("admin:index"),
                "label": _("Admin"),
                "active": request.path.startswith(reverse("admin:index")),
            }
        )
    return items


def portal(request):
    try:
        dashboard_url = reverse("reports:dashboard")
    except NoReverseMatch:
        dashboard_url = None
    return {
        "user_role": user_role(request.user),
        "nav_items": _nav_items(request),
        "dashboard_url": dashboard_url,
        "admin_url": "/" + settings.ADMIN_URL,
    }
