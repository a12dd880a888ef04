"""``manage.py refresh_counts``: recount the progress counters that the
dashboards read, or check them against a recount."""

from django.core.management.base import BaseCommand, CommandError

from reports.progress.counters import counts_check, counts_rebuild


class Command(BaseCommand):
    help = (
        "Recounts the progress counters of every province from the institutions "
        "and reports (they are kept up to date by every write; use this after "
        "writing to the database by hand). With --check, only compares them "
        "with a recount and fails when they differ."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="Compare the counters with a recount; write nothing.",
        )

    def handle(self, *args, check, **options):
        if check:
            wrong = counts_check()
            if wrong:
                raise CommandError(
                    "Counters differ from a recount: " + ", ".join(wrong)
                )
            self.stdout.write("Counters match a recount.")
            return
        counts_rebuild()
        self.stdout.write("Counters recounted.")
