import csv
from decimal import Decimal

import pytest

from targets.models import Target
from targets.services import SEED_REASON, TARGETS_CSV, targets_seed


def _csv_rows():
    with TARGETS_CSV.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _as_csv(target):
    return {
        "family": target.family,
        "kind": target.kind,
        "criteria": " ".join(target.criteria),
        "categories": " ".join(target.categories),
        "baseline_year": str(target.baseline_year),
        "year": str(target.year),
        "threshold": target.threshold,
        "upper": target.upper,
    }


def _typed(row):
    return row | {
        "threshold": Decimal(row["threshold"]),
        "upper": Decimal(row["upper"]) if row["upper"] else None,
    }


def test_seed_holds_the_34_rows_of_targets_csv_in_file_order(seeded):
    rows = [_typed(row) for row in _csv_rows()]

    assert len(rows) == 34
    assert [_as_csv(target) for target in Target.objects.order_by("position")] == rows


def test_seeded_positions_leave_room_between_rows(seeded):
    positions = list(Target.objects.values_list("position", flat=True))

    assert positions == list(range(10, 350, 10))


def test_seeded_rows_pass_validation_unchanged(seeded):
    targets = list(Target.objects.all())
    assert len(targets) == 34
    for target in targets:
        before = _as_csv(target)
        target.full_clean()
        assert _as_csv(target) == before


def test_each_seeded_row_starts_its_history(seeded):
    targets = list(Target.objects.all())
    assert len(targets) == 34
    for target in targets:
        [record] = target.history.all()
        assert record.history_type == "+"
        assert record.history_change_reason == SEED_REASON
        assert record.threshold == target.threshold
        assert record.categories == target.categories


def test_seed_leaves_existing_targets_alone(seeded):
    Target.objects.filter(position=10).update(threshold=Decimal("95"))

    assert targets_seed() == 0
    assert Target.objects.count() == 34
    assert Target.objects.get(position=10).threshold == Decimal("95")


@pytest.mark.django_db
def test_seed_fills_an_empty_table():
    Target.objects.all().delete()
    Target.history.all().delete()

    assert targets_seed() == 34
    assert Target.history.count() == 34
