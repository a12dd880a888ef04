"""The peer of benchmark 3: django-import-export importing the same CSV through
a plain ``ModelResource`` of ``AnnualReport``, as its documentation shows.

Run as ``python -m bench.import_export_peer FILE``; prints the seconds spent
reading and importing the file (Django's start-up excluded) as JSON.

The portal recounts a province's progress counters on every single save
(``reports.progress.signals``), which would make a row-by-row importer pay a recount per
row. The peer is measured as a user would set it up for bulk loading: those
signal receivers disconnected, and one recount of every counter at the end,
inside its timing.
"""

import json
import sys
import time

import django


def main(path: str) -> None:
    django.setup()
    import tablib
    from import_export import fields, resources, widgets

    from bench.counters_off import counters_off
    from institutions.models import Institution
    from reports.entry.models import AnnualReport
    from reports.progress.counters import counts_rebuild
    from targets.indicators import REPORT_FIELDS

    # Every counter receiver off (pre- and post-save, the deltas included):
    # one recount at the end, inside the timed span.
    switched_off = counters_off()
    switched_off.__enter__()

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
    counts_rebuild()
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
