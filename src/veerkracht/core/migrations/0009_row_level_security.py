"""Row-level security on PostgreSQL: rows of residents' data only for the organisation set per request.

Two policies per table (docs/adr/0012-row-level-security.md):
- ``tenant``: any role sees and writes only the rows of ``veerkracht.organisation``; with the
  setting unset it sees nothing. The application's role gets only this one.
- ``maintenance``: the role that ran this migration (the tables' owner) sees every row, but only
  while the setting is unset: migrations, backups, the retention job, the demo loader. Once a
  request sets an organisation, the owner is held to it too.
``FORCE ROW LEVEL SECURITY`` binds the owner; superusers are never bound, so the app must not be one.
"""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

# The tables whose every row belongs to one organisation and holds residents' data: reads and
# writes are held to the organisation. The audit log is held for reads only (anyone may append).
# Copied here, not imported: a migration must keep meaning what it meant when it was applied.
ISOLATED_TABLES = (
    "people_household",
    "people_resident",
    "contacts_contact",
    "contacts_concern",
    "help_helprequest",
    "help_helpoffer",
)
READ_ISOLATED_TABLES = ("core_auditevent",)

FUNCTION = """
CREATE OR REPLACE FUNCTION veerkracht_organisation() RETURNS bigint LANGUAGE sql STABLE AS
$$ SELECT NULLIF(current_setting('veerkracht.organisation', true), '')::bigint $$;
"""
ISOLATE = """
ALTER TABLE {table} ENABLE ROW LEVEL SECURITY;
ALTER TABLE {table} FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON {table}
    USING (organisation_id = veerkracht_organisation())
    WITH CHECK (organisation_id = veerkracht_organisation());
CREATE POLICY maintenance ON {table} TO {owner}
    USING (veerkracht_organisation() IS NULL) WITH CHECK (veerkracht_organisation() IS NULL);
"""
ISOLATE_READS = """
ALTER TABLE {table} ENABLE ROW LEVEL SECURITY;
ALTER TABLE {table} FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON {table} FOR SELECT USING (organisation_id = veerkracht_organisation());
CREATE POLICY append ON {table} FOR INSERT WITH CHECK (true);
CREATE POLICY maintenance ON {table} TO {owner} USING (veerkracht_organisation() IS NULL);
"""
RELEASE = """
DROP POLICY IF EXISTS tenant ON {table};
DROP POLICY IF EXISTS append ON {table};
DROP POLICY IF EXISTS maintenance ON {table};
ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY;
ALTER TABLE {table} DISABLE ROW LEVEL SECURITY;
"""


def _owner(schema_editor: BaseDatabaseSchemaEditor) -> str:
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT quote_ident(current_user)")
        return str(cursor.fetchone()[0])


def isolate(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    owner = _owner(schema_editor)
    schema_editor.execute(FUNCTION)
    for table in ISOLATED_TABLES:
        schema_editor.execute(ISOLATE.format(table=table, owner=owner))
    for table in READ_ISOLATED_TABLES:
        schema_editor.execute(ISOLATE_READS.format(table=table, owner=owner))


def release(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in (*ISOLATED_TABLES, *READ_ISOLATED_TABLES):
        schema_editor.execute(RELEASE.format(table=table))
    schema_editor.execute("DROP FUNCTION IF EXISTS veerkracht_organisation()")


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0008_user_session_epoch"),
        ("people", "0003_resident_erasure"),
        ("contacts", "0001_initial"),
        ("help", "0001_initial"),
    ]
    operations = [migrations.RunPython(isolate, release)]
