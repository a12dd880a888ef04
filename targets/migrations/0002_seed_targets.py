from django.db import migrations


def seed(apps, schema_editor):
    from targets.services import targets_seed

    targets_seed(
        target_model=apps.get_model("targets", "Target"),
        history_model=apps.get_model("targets", "HistoricalTarget"),
    )


class Migration(migrations.Migration):
    dependencies = [("targets", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
