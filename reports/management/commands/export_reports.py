"""``manage.py export_reports PATH [--year Y] [--province CODE]``."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from institutions.models import Province
from lifelong_learning.tabular import TableError, province_code_normalise, table_format
from reports.entry.exports import reports_export


class Command(BaseCommand):
    help = (
        "Exports annual reports (every status) to a CSV or XLSX file with the "
        "columns of formats.md, so that the file imports back unchanged."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="a .csv or .xlsx file to write")
        parser.add_argument("--year", type=int, help="only this year")
        parser.add_argument(
            "--province", help="only this current province (GSO code, e.g. 01)"
        )

    def handle(self, *args, path, year, province, **options):
        try:
            table_format(path)
        except TableError as error:
            raise CommandError(str(error), returncode=2) from error
        code = province_code_normalise(province) if province else None
        if code is not None and not Province.objects.filter(code=code).exists():
            raise CommandError(
                _("%(code)s is not the code of one of the 34 current provinces.")
                % {"code": province},
                returncode=2,
            )
        try:
            count = reports_export(path=path, year=year, province_code=code)
        except OSError as error:
            raise CommandError(str(error), returncode=2) from error
        self.stdout.write(
            _("Exported %(count)s reports to %(path)s.")
            % {"count": count, "path": path}
        )
