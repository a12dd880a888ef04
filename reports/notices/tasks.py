"""Background work of the notices: e-mail goes out from the worker
(``manage.py db_worker``), never inside a request."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from reports.notices.models import Notice
from reports.notices.selectors import absolute, recipient_language, wants_email


@task
def notice_email(notice_id: int) -> bool:
    """E-mails a notice to its recipient, in their language, once; nothing
    when it was already sent, the account is deactivated or the person turned
    e-mail off since. Returns whether it was sent."""
    notice = (
        Notice.objects.select_related("recipient")
        .filter(pk=notice_id, emailed_at__isnull=True)
        .first()
    )
    if notice is None:
        return False
    recipient = notice.recipient
    if not recipient.is_active or not wants_email(recipient):
        return False
    with translation.override(recipient_language(recipient)):
        context = {
            "notice": notice,
            "recipient": recipient,
            # Through the inbox, so that opening the link marks it read.
            "open_url": absolute(reverse("reports:notice_open", args=[notice.pk])),
            "settings_url": absolute(reverse("reports:notice_settings")),
        }
        subject = render_to_string("emails/notice_subject.txt", context)
        body = render_to_string("emails/notice.txt", context)
    EmailMessage(
        " ".join(subject.split()),
        body,
        settings.DEFAULT_FROM_EMAIL,
        [recipient.email],
    ).send()
    Notice.objects.filter(pk=notice.pk).update(emailed_at=timezone.now())
    return True
