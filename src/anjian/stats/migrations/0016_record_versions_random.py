from django.db import migrations

# Each commit moves the version to a new random number instead of the next one: a database set back to an earlier
# state (a restored dump, a replica promoted after losing its last commits) would otherwise count up through the
# numbers the processes' memories hold for the lost state. Only equality is ever compared. The function keeps the
# search path it was created with, so a deployment's own schema is found whatever the writer's path.
FUNCTION = """
CREATE OR REPLACE FUNCTION anjian_record_version() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
DECLARE
    flag text := 'anjian.version_' || TG_ARGV[0];
BEGIN
    IF current_setting(flag, true) IS DISTINCT FROM 'on' THEN
        INSERT INTO stats_recordversion (name, n) VALUES (TG_ARGV[0], floor(random() * 4611686018427387904)::bigint + 1)
            ON CONFLICT (name) DO UPDATE SET n = floor(random() * 4611686018427387904)::bigint + 1;
        PERFORM set_config(flag, 'on', true);
    END IF;
    RETURN NULL;
END
$$;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FUNCTION)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        from importlib import import_module

        schema_editor.execute(import_module("anjian.stats.migrations.0015_record_versions").FUNCTION)


class Migration(migrations.Migration):
    dependencies = [("stats", "0015_record_versions")]

    operations = [migrations.RunPython(forwards, backwards)]
