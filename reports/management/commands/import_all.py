"""``manage.py import_all DIR [--force]``: restore a backup of export_all."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from lifelong_learning.backups import BackupError, backup_import


class Command(BaseCommand):
    help = (
        "Restores a backup written by export_all, all or nothing: checks the "
        "manifest (schema version, files, checksums, row counts), then replaces "
        "the content of every table of the portal in one transaction. Refuses a "
        "database that already holds data beyond what migrations create, "
        "unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", help="a directory written by export_all")
        parser.add_argument(
            "--force",
            action="store_true",
            help="replace the data of a database that is not empty",
        )

    def handle(self, *args, directory, force, **options):
        try:
            tables = backup_import(directory=directory, force=force)
        except (BackupError, OSError) as error:
            raise CommandError(str(error), returncode=2) from error
        self.stdout.write(
            _("Restored %(rows)s rows of %(tables)s tables from %(directory)s.")
            % {
                "rows": sum(table.rows for table in tables),
                "tables": len(tables),
                "directory": directory,
            }
        )
