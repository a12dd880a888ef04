"""``manage.py export_institutions PATH``: every institution, in the columns of
formats.md, as CSV or XLSX by the file extension."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from institutions.exports import institutions_export
from institutions.models import Institution
from lifelong_learning.tabular import TableError, table_format


class Command(BaseCommand):
    help = (
        "Exports every institution to a CSV or XLSX file that "
        "import_institutions reads back unchanged."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="a .csv or .xlsx file to write")

    def handle(self, *args, path, **options):
        try:
            table_format(path)
        except TableError as error:
            raise CommandError(str(error), returncode=2) from error
        try:
            count = institutions_export(queryset=Institution.objects.all(), path=path)
        except OSError as error:
            raise CommandError(str(error), returncode=2) from error
        self.stdout.write(
            _("Exported %(count)s institutions to %(path)s.")
            % {"count": count, "path": path}
        )
