"""``manage.py send_reminders``: the reminder ladder of the open reporting
periods, meant for a daily timer (docs/deployment.md)."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from reports.notices.reminders import reminders_send


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError as error:
        raise CommandError(f"--date must be YYYY-MM-DD, not {text!r}.") from error


class Command(BaseCommand):
    help = (
        "Reminds each province's officers of the institutions that have not "
        "reported, 14, 7 and 1 days before the province's due date and 3 days "
        "after, for every reporting period open that day. Each reminder is sent "
        "once: a second run the same day sends nothing again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--date",
            help="The day to act for, YYYY-MM-DD (default: today in Vietnam).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Print what would be sent; send and record nothing.",
        )

    def handle(self, *args, date=None, dry_run=False, **options):
        today = _date(date) if date else timezone.localdate()
        reminders = reminders_send(today=today, dry_run=dry_run)
        verb = "Would send" if dry_run else "Sent"
        for reminder in reminders:
            when = (
                f"{reminder.rung} days before the due date"
                if reminder.rung > 0
                else f"{-reminder.rung} days after the due date"
            )
            self.stdout.write(
                f"{verb}: {reminder.period.year} {reminder.province.name}, {when}, "
                f"{reminder.reported}/{reminder.active} institutions reported, "
                f"to {len(reminder.recipients)} officers"
            )
        self.stdout.write(
            f"{today.isoformat()}: {len(reminders)} reminders "
            + ("would be sent (dry run, nothing recorded)." if dry_run else "sent.")
        )
