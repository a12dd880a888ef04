"""Loads the official geography: the 34 current provinces and 3,321 communes from
the ``vietnam-provinces`` package, and the 63 former provinces from
``data/legacy_provinces.csv``, which corrects the package's link for former 82."""

import csv
from pathlib import Path

from vietnam_provinces import Province as PackageProvince
from vietnam_provinces import Ward as PackageWard

from .text import place_sort_key, search_key

LEGACY_PROVINCES_CSV = Path(__file__).parent / "data" / "legacy_provinces.csv"


def _named(model, **fields):
    name = fields["name"]
    return model(name_search=search_key(name), name_sort=place_sort_key(name), **fields)


def geography_load(*, province_model, commune_model, former_province_model) -> None:
    """Inserts or refreshes every province, commune and former province.

    Takes the model classes as arguments so a data migration can pass its
    historical models.
    """
    provinces = [
        _named(
            province_model,
            code=f"{int(p.code):02d}",
            name=p.name,
            division_type=str(p.division_type),
        )
        for p in PackageProvince.iter_all()
    ]
    province_model.objects.bulk_create(
        provinces,
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=["name", "name_search", "name_sort", "division_type"],
    )
    communes = [
        _named(
            commune_model,
            code=f"{int(w.code):05d}",
            name=w.name,
            division_type=str(w.division_type),
            province_id=f"{int(w.province_code):02d}",
        )
        for w in PackageWard.iter_all()
    ]
    commune_model.objects.bulk_create(
        communes,
        batch_size=500,
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=["name", "name_search", "name_sort", "division_type", "province"],
    )
    with LEGACY_PROVINCES_CSV.open(encoding="utf-8") as handle:
        former = [
            _named(
                former_province_model,
                code=row["legacy_province_code"],
                name=row["legacy_province_name"],
                province_id=row["province_code"],
            )
            for row in csv.DictReader(handle)
        ]
    former_province_model.objects.bulk_create(
        former,
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=["name", "name_search", "name_sort", "province"],
    )
