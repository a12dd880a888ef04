"""``manage.py export_all DIR``: a backup of everything the portal owns."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from lifelong_learning.backups import BackupError, backup_export


class Command(BaseCommand):
    help = (
        "Writes a backup of every table of the portal (geography, institutions "
        "and their history, targets, annual reports, transitions, accounts with "
        "password hashes, API tokens, admin log) to DIR, a new or empty "
        "directory, with a manifest of row counts and SHA-256 checksums. The "
        "directory is readable by its owner only: keep it as safe as the "
        "database. Restore with import_all."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", help="a new or empty directory")

    def handle(self, *args, directory, **options):
        try:
            tables = backup_export(directory=directory)
        except (BackupError, OSError) as error:
            raise CommandError(str(error), returncode=2) from error
        for table in tables:
            self.stdout.write(f"{table.model}: {table.rows}")
        self.stdout.write(
            _("Exported %(rows)s rows of %(tables)s tables to %(directory)s.")
            % {
                "rows": sum(table.rows for table in tables),
                "tables": len(tables),
                "directory": directory,
            }
        )
