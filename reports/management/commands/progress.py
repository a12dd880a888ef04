"""``manage.py progress``: progress towards every target row, for other tools.

The JSON output is a contract: ``{"year": Y, "area": "VN" or a province code,
"rows": [...]}`` with one row per target row in targets.csv order and the keys
of :func:`reports.progress.progress.progress_row` (share rows with the
timeliness ``on_time`` and ``on_time_rate`` too: :meth:`Evaluation.row
<reports.progress.figures.Evaluation.row>`). Keep its names and keys; the API's
progress object is the same.
"""

import json

from django.core.management.base import BaseCommand, CommandError

from institutions.models import Province
from lifelong_learning.tabular import province_code_normalise
from reports.progress.figures import NATION, progress_rows
from targets.selectors import target_list

SHARE_COLUMNS = (
    "numerator",
    "denominator",
    "reporters",
    "reporting_rate",
    "on_time",
    "on_time_rate",
    "share_among_reporters",
)
GROWTH_COLUMNS = ("panel", "base_total", "year_total")


class Command(BaseCommand):
    help = (
        "Prints the value and status of every target row for a year, for the "
        "nation or one current province, as JSON or as a table."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="Data year.")
        parser.add_argument(
            "--province",
            help='Current two-digit GSO province code ("1" is read as "01"); '
            "the nation when left out.",
        )
        parser.add_argument(
            "--approved-only",
            action="store_true",
            help="Count approved reports only (by default submitted ones count too).",
        )
        parser.add_argument(
            "--format", choices=["json", "table"], default="table", dest="output"
        )

    def handle(self, *args, year, province, approved_only, output, **options):
        self._year_check(year)
        code = self._province_code(province) if province is not None else None
        rows = progress_rows(year=year, province_code=code, approved_only=approved_only)
        result = {"year": year, "area": code or NATION, "rows": rows}
        if output == "json":
            self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(table_text(result))

    def _year_check(self, year: int) -> None:
        years = [(t.baseline_year, t.year) for t in target_list()]
        if not years:
            raise CommandError("There are no target rows: run the migrations.")
        first = min(base for base, _target in years)
        last = max(target for _base, target in years)
        if not first <= year <= last:
            raise CommandError(
                f"The year must lie between {first} (baseline) and {last} "
                f"(last target year); got {year}."
            )

    def _province_code(self, value: str) -> str:
        code = province_code_normalise(value)
        if not Province.objects.filter(code=code).exists():
            raise CommandError(
                f"Unknown province code {value!r}: give one of the 34 current "
                "two-digit GSO codes, e.g. 01 for Hà Nội."
            )
        return code


def _cell(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, list):
        # The visits rows cover every library category: keep the table narrow.
        return "+".join(value) if len(value) <= 2 else f"{len(value)} categories"
    return str(value)


def table_text(result: dict) -> str:
    """The progress object as an aligned plain-text table."""
    columns = [
        "family",
        "categories",
        "target_year",
        "threshold",
        "upper",
        "value",
        "status",
        *SHARE_COLUMNS,
        *GROWTH_COLUMNS,
    ]
    lines = [list(columns)]
    for row in result["rows"]:
        lines.append([_cell(row[c]) if c in row else "" for c in columns])
    widths = [max(len(line[i]) for line in lines) for i in range(len(columns))]
    numeric = set(columns[2:6]) | set(SHARE_COLUMNS) | set(GROWTH_COLUMNS)
    text = [f"Progress in {result['year']}, area {result['area']}"]
    for line in lines:
        cells = [
            cell.rjust(width) if column in numeric else cell.ljust(width)
            for cell, width, column in zip(line, widths, columns, strict=True)
        ]
        text.append("  ".join(cells).rstrip())
    return "\n".join(text)
