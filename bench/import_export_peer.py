"""The peer of benchmark 3: django-import-export importing the same CSV through
a plain ``ModelResource`` of ``AnnualReport``, as its documentation shows.

Run as ``python -m bench.import_export_peer FILE``; prints the seconds spent
reading and importing the file (Django's start-up excluded) as JSON.
"""

import json
import sys
import time

import django


def main(path: str) -> None:
    django.setup()
    import tablib
    from import_export import fields, resources, widgets

    from institutions.models import Institution
    from reports.indicators import REPORT_FIELDS
    from reports.models import AnnualReport

    class AnnualReportResource(resources.ModelResource):
        institution = fields.Field(
            attribute="institution",
            column_name="institution_code",
            widget=widgets.ForeignKeyWidget(Institution, "code"),
        )

        class Meta:
            model = AnnualReport
            fields = ("institution", "year", *REPORT_FIELDS)
            import_id_fields = ("institution", "year")

    started = time.perf_counter()
    with open(path, encoding="utf-8") as file:
        dataset = tablib.Dataset().load(file.read(), format="csv")
    result = AnnualReportResource().import_data(
        dataset, dry_run=False, raise_errors=True, use_transactions=True
    )
    seconds = time.perf_counter() - started
    print(
        json.dumps(
            {
                "seconds": seconds,
                "rows": len(dataset),
                "totals": {key: value for key, value in result.totals.items() if value},
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1])
