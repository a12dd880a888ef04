from django.db import migrations


def load(apps, schema_editor):
    from institutions.geography import geography_load

    geography_load(
        province_model=apps.get_model("institutions", "Province"),
        commune_model=apps.get_model("institutions", "Commune"),
        former_province_model=apps.get_model("institutions", "FormerProvince"),
    )


class Migration(migrations.Migration):
    dependencies = [("institutions", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
