"""Load the shipped hazard categories (hazards/catalogue.py)."""

from django.db import migrations


def load(apps, schema_editor):
    from anjian.hazards.catalogue import load_hazard_types

    load_hazard_types(apps.get_model("hazards", "HazardType"))


class Migration(migrations.Migration):
    dependencies = [("hazards", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
