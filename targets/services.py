"""Writes of target rows: seeding them from targets.csv."""

import csv
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.utils import timezone

TARGETS_CSV = Path(__file__).resolve().parent / "data" / "targets.csv"
POSITION_STEP = 10
SEED_REASON = "Seeded from targets.csv"


def target_rows_read(*, path: Path = TARGETS_CSV) -> list[dict]:
    """Returns the field values of every row of targets.csv, in file order,
    at positions 10, 20, … so that administrators can slot rows in between."""
    with path.open(newline="", encoding="utf-8") as handle:
        return [
            {
                "family": row["family"],
                "kind": row["kind"],
                "criteria": row["criteria"].split(),
                "categories": row["categories"].split(),
                "baseline_year": int(row["baseline_year"]),
                "year": int(row["year"]),
                "threshold": Decimal(row["threshold"]),
                "upper": Decimal(row["upper"]) if row["upper"] else None,
                "position": POSITION_STEP * number,
            }
            for number, row in enumerate(csv.DictReader(handle), start=1)
        ]


@transaction.atomic
def targets_seed(*, target_model=None, history_model=None) -> int:
    """Creates the rows of targets.csv, each with a first history record, when
    there are no targets yet; returns how many rows it created.

    The data migration passes its historical models; tests that flushed the
    table pass nothing and get the current ones.
    """
    if target_model is None:
        from .models import Target

        target_model, history_model = Target, Target.history.model
    if target_model.objects.exists():
        return 0
    rows = target_rows_read()
    targets = target_model.objects.bulk_create(
        target_model(**values) for values in rows
    )
    now = timezone.now()
    history_model.objects.bulk_create(
        history_model(
            id=target.pk,
            **values,
            history_date=now,
            history_type="+",
            history_change_reason=SEED_REASON,
        )
        for target, values in zip(targets, rows, strict=True)
    )
    return len(targets)
