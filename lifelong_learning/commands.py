"""What the command-line imports share: a file argument, ``--dry-run``, every
row error on stderr with exit status 1 and nothing written, then a one-line
summary. Each app's command says only how it imports
(``institutions/management/commands/import_institutions.py``,
``reports/management/commands/import_reports.py``)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _


class ImportCommand(BaseCommand):
    """``manage.py <name> PATH [--dry-run]``; a subclass adds its own options
    and implements :meth:`run_import`."""

    def add_arguments(self, parser):
        parser.add_argument("path", help="a .csv or .xlsx file")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="check the file and print the summary without writing anything",
        )

    def run_import(self, *, path: str, dry_run: bool, **options):
        """Imports ``path`` and returns the result (``ok``, ``errors``,
        ``summary()`` and optionally ``warnings``)."""
        raise NotImplementedError

    def handle(self, *args, path, dry_run, **options):
        result = self.run_import(path=path, dry_run=dry_run, **options)
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
        for warning in getattr(result, "warnings", ()):
            self.stderr.write(_("warning: %(warning)s") % {"warning": warning})
        if dry_run:
            line = _("Dry run, nothing written: %(summary)s.")
        else:
            line = _("Imported: %(summary)s.")
        self.stdout.write(line % {"summary": result.summary()})
