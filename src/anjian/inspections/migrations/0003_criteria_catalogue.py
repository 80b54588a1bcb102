"""Ship the criteria catalogue (判定标准 clauses), the checklists and the inspection frequency table."""

from django.db import migrations

from anjian.inspections.catalogue import load_criteria


def load(apps, schema_editor):
    load_criteria(apps)


class Migration(migrations.Migration):
    dependencies = [("inspections", "0002_issued_documents_immutable"), ("enterprises", "0002_catalogue")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
