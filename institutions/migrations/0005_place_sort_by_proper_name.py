from django.db import migrations


def resort(apps, schema_editor):
    from institutions.text import place_sort_key

    for name in ("Province", "Commune", "FormerProvince"):
        model = apps.get_model("institutions", name)
        places = list(model.objects.only("pk", "name"))
        for place in places:
            place.name_sort = place_sort_key(place.name)
        model.objects.bulk_update(places, ["name_sort"], batch_size=500)


class Migration(migrations.Migration):
    """Provinces, communes and former provinces sort by their proper name."""

    dependencies = [("institutions", "0004_institution_validators")]

    operations = [migrations.RunPython(resort, migrations.RunPython.noop)]
