"""``manage.py import_institutions PATH [--dry-run]``: the command-line import."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from institutions.imports import institutions_import


class Command(BaseCommand):
    help = (
        "Imports institutions from a CSV or XLSX file (columns of formats.md), "
        "all or nothing. On any bad row, prints every error to stderr, writes "
        "nothing and exits with status 1."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="a .csv or .xlsx file")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="check the file and print the summary without writing anything",
        )

    def handle(self, *args, path, dry_run, **options):
        result = institutions_import(path=path, user=None, dry_run=dry_run)
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
        if dry_run:
            line = _("Dry run, nothing written: %(summary)s.")
        else:
            line = _("Imported: %(summary)s.")
        self.stdout.write(line % {"summary": result.summary()})
