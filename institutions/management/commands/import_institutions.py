"""``manage.py import_institutions PATH [--dry-run]``: the command-line import."""

from institutions.imports import institutions_import
from lifelong_learning.commands import ImportCommand


class Command(ImportCommand):
    help = (
        "Imports institutions from a CSV or XLSX file (columns of formats.md), "
        "all or nothing. On any bad row, prints every error to stderr, writes "
        "nothing and exits with status 1."
    )

    def run_import(self, *, path, dry_run, **options):
        return institutions_import(path=path, user=None, dry_run=dry_run)
