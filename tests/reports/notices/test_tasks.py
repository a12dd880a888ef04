"""reports/notices/tasks.py: e-mail leaves from the background worker, never
inside the request."""

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from reports.notices.models import Notice
from reports.notices.tasks import notice_email

pytestmark = pytest.mark.django_db

DATABASE_TASKS = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
}


@override_settings(TASKS=DATABASE_TASKS)
@pytest.mark.django_db(transaction=True)
def test_the_request_enqueues_and_the_worker_sends(
    client, officer_a, ministry_user, submitted
):
    # Committed for real, as in production: the worker reads what the
    # request enqueued once its transaction committed.
    client.force_login(ministry_user)
    response = client.post(
        reverse("reports:return", args=[submitted.pk]),
        {"comment": "Thiếu số liệu", "version": submitted.version},
    )
    assert response.status_code == 302
    assert mail.outbox == []  # nothing went out inside the request
    assert DBTaskResult.objects.count() == 1
    assert Notice.objects.get().emailed_at is None

    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)

    (email,) = mail.outbox
    assert email.to == ["officer-a@example.vn"]
    assert "Thiếu số liệu" in email.body
    assert Notice.objects.get().emailed_at is not None


def test_a_notice_is_emailed_once_and_not_to_a_deactivated_account(officer_a):
    notice = Notice.objects.create(recipient=officer_a, kind="reminder", subject="a")
    assert notice_email.call(notice.pk) is True
    assert notice_email.call(notice.pk) is False
    other = Notice.objects.create(recipient=officer_a, kind="reminder", subject="b")
    officer_a.is_active = False
    officer_a.save()
    assert notice_email.call(other.pk) is False
    assert len(mail.outbox) == 1
    assert mail.outbox[0].from_email == "cong-1520@localhost"
