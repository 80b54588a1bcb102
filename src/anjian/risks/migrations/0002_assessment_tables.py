"""Ship the default factor tables and cut-offs of LEC, LS and MES."""

from django.db import migrations

from anjian.risks.methods import load_tables


def load(apps, schema_editor):
    load_tables(apps)


class Migration(migrations.Migration):
    dependencies = [("risks", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
