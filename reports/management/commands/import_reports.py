"""``manage.py import_reports PATH [--status draft|submitted|approved] [--dry-run]``."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from reports.entry.imports import IMPORT_STATUSES, reports_import
from reports.entry.models import ReportStatus


class Command(BaseCommand):
    help = (
        "Imports annual reports from a CSV or XLSX file (columns of formats.md), "
        "all or nothing, with the given status. On any bad row, prints every "
        "error to stderr, writes nothing and exits with status 1. Warnings go "
        "to stderr and do not change the exit status."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="a .csv or .xlsx file")
        parser.add_argument(
            "--status",
            choices=[str(status) for status in IMPORT_STATUSES],
            default=ReportStatus.SUBMITTED.value,
            help="status of the imported reports (default: submitted)",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="check the file and print the summary without writing anything",
        )

    def handle(self, *args, path, status, dry_run, **options):
        result = reports_import(path=path, user=None, status=status, dry_run=dry_run)
        if not result.ok:
            for error in result.errors:
                self.stderr.write(str(error))
            if result.errors.stopped_at is not None:
                self.stderr.write(result.errors.stopped_message())
            raise CommandError(
                _("%(count)s errors in %(path)s; nothing was written.")
                % {"count": result.errors.total, "path": path},
                returncode=1,
            )
        for warning in result.warnings:
            self.stderr.write(_("warning: %(warning)s") % {"warning": warning})
        if dry_run:
            line = _("Dry run, nothing written: %(summary)s.")
        else:
            line = _("Imported: %(summary)s.")
        self.stdout.write(line % {"summary": result.summary()})
