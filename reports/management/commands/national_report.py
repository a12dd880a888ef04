"""``manage.py national_report --year Y PATH``: writes the national PDF report."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from reports.progress.pdf import national_report_pdf
from reports.progress.years import data_year_message


class Command(BaseCommand):
    help = (
        "Writes the national report for a data year as a PDF: the table of "
        "every target row, one trend chart per target and the table of the 34 "
        "provinces."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="Where to write the PDF.")
        parser.add_argument("--year", type=int, required=True, help="Data year.")
        parser.add_argument(
            "--approved-only",
            action="store_true",
            help="Count approved reports only (by default submitted ones count too).",
        )
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            default=settings.LANGUAGE_CODE,
            help="Language of the report (default: %(default)s).",
        )

    def handle(self, *args, path, year, approved_only, language, **options):
        message = data_year_message(year)
        if message:
            raise CommandError(message)
        if not path.parent.is_dir():
            raise CommandError(f"Folder {path.parent} does not exist.")
        with translation.override(language):
            pdf = national_report_pdf(year=year, approved_only=approved_only)
        path.write_bytes(pdf)
        self.stdout.write(f"Wrote {path} ({len(pdf):,} bytes).")
