"""The header's bell: the unread notices of the signed-in person
(reports.notices)."""

from django import template

from reports.notices.selectors import unread_count

register = template.Library()


@register.inclusion_tag("reports/notice_bell.html", takes_context=True)
def notice_bell(context):
    """The bell with the person's unread count; nothing (and no query) for
    anonymous visitors."""
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return {"show": False}
    return {"show": True, "unread": unread_count(user=user)}
