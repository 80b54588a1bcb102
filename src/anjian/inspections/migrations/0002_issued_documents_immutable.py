"""The database refuses to change an issued enforcement document's content or number, or to delete it. Its DOCX and
PDF, renderings of the frozen content, may be written once (when first needed) and never replaced."""

from django.db import migrations

FROZEN = [
    "kind",
    "department_id",
    "enterprise_id",
    "content",
    "year",
    "serial",
    "number",
    "content_hash",
    "issued_at",
    "issued_by_id",
    "deadline",
    "inspection_id",
    "penalty_id",
]
WRITE_ONCE = ["docx", "pdf"]

POSTGRES_UP = f"""
CREATE OR REPLACE FUNCTION inspections_document_immutable() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF OLD.status <> 'draft' THEN
            RAISE EXCEPTION 'an issued enforcement document cannot be deleted (%)', OLD.number;
        END IF;
        RETURN OLD;
    END IF;
    IF OLD.status <> 'draft' AND ({" OR ".join(f"NEW.{c} IS DISTINCT FROM OLD.{c}" for c in FROZEN)}
                                  OR {" OR ".join(f"(OLD.{c} <> '' AND NEW.{c} IS DISTINCT FROM OLD.{c})" for c in WRITE_ONCE)}
                                  OR NEW.status = 'draft') THEN
        RAISE EXCEPTION 'an issued enforcement document cannot be changed (%)', OLD.number;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER inspections_document_immutable
    BEFORE UPDATE OR DELETE ON inspections_enforcementdocument
    FOR EACH ROW EXECUTE FUNCTION inspections_document_immutable();
"""
POSTGRES_DOWN = """
DROP TRIGGER IF EXISTS inspections_document_immutable ON inspections_enforcementdocument;
DROP FUNCTION IF EXISTS inspections_document_immutable();
"""
SQLITE_UP = [
    f"""CREATE TRIGGER inspections_document_no_update BEFORE UPDATE ON inspections_enforcementdocument
       WHEN OLD.status <> 'draft' AND ({" OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in FROZEN)}
            OR {" OR ".join(f"(OLD.{c} <> '' AND NEW.{c} IS NOT OLD.{c})" for c in WRITE_ONCE)} OR NEW.status = 'draft')
       BEGIN SELECT RAISE(ABORT, 'an issued enforcement document cannot be changed'); END;""",
    """CREATE TRIGGER inspections_document_no_delete BEFORE DELETE ON inspections_enforcementdocument
       WHEN OLD.status <> 'draft'
       BEGIN SELECT RAISE(ABORT, 'an issued enforcement document cannot be deleted'); END;""",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS inspections_document_no_update;",
    "DROP TRIGGER IF EXISTS inspections_document_no_delete;",
]


def up(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_UP, params=None)
    elif schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_UP:
            schema_editor.execute(statement, params=None)


def down(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_DOWN, params=None)
    elif schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_DOWN:
            schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("inspections", "0001_initial")]
    operations = [migrations.RunPython(up, down)]
