"""Load the shipped industry catalogue and key-sector tags (enterprises/data/catalogue.json)."""

from django.db import migrations


def load(apps, schema_editor):
    from anjian.enterprises.catalogue import load_catalogue

    load_catalogue(apps.get_model("enterprises", "Industry"), apps.get_model("enterprises", "Tag"))


class Migration(migrations.Migration):
    dependencies = [("enterprises", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
