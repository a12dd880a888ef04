"""The comment thread of a report on its page."""

from django import template

from reports.entry.comments import (
    COMMENT_MAX_LENGTH,
    report_comments,
    report_thread_open,
    user_can_comment,
)

register = template.Library()


@register.inclusion_tag("reports/includes/comment_thread.html", takes_context=True)
def report_thread(context, report):
    """The report's thread, newest last, with the reply form for those who
    may answer while it is open; nothing for a report without a thread."""
    if report is None:
        return {"shown": False}
    messages = list(report_comments(report))
    is_open = report_thread_open(report, has_comments=bool(messages))
    request = context.get("request")
    user = getattr(request, "user", None)
    return {
        "shown": bool(messages) or is_open,
        "report": report,
        "messages": messages,
        "is_open": is_open,
        "can_reply": is_open and user is not None and user_can_comment(user, report),
        "max_length": COMMENT_MAX_LENGTH,
        "csrf_token": context.get("csrf_token"),
    }
