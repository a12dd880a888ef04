"""``manage.py import_reports PATH [--status draft|submitted|approved] [--dry-run]``."""

from lifelong_learning.commands import ImportCommand
from reports.entry.imports import IMPORT_STATUSES, reports_import
from reports.entry.models import ReportStatus


class Command(ImportCommand):
    help = (
        "Imports annual reports from a CSV or XLSX file (columns of formats.md), "
        "all or nothing, with the given status. On any bad row, prints every "
        "error to stderr, writes nothing and exits with status 1. Warnings go "
        "to stderr and do not change the exit status."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--status",
            choices=[str(status) for status in IMPORT_STATUSES],
            default=ReportStatus.SUBMITTED.value,
            help="status of the imported reports (default: submitted)",
        )

    def run_import(self, *, path, dry_run, status, **options):
        return reports_import(path=path, user=None, status=status, dry_run=dry_run)
