"""IP addresses of audit events move to their own table, which may expire and be erased (ADR 18).

On PostgreSQL the table is held to the organisation like the audit log (ADR 12): reads and
deletes only of the organisation set for the request, inserts by anyone (a failed sign-in has
no organisation yet), everything by the owner while no organisation is set (the retention job).
"""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

ISOLATE = """
ALTER TABLE core_auditaddress ENABLE ROW LEVEL SECURITY;
ALTER TABLE core_auditaddress FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant ON core_auditaddress FOR SELECT USING (organisation_id = veerkracht_organisation());
CREATE POLICY tenant_delete ON core_auditaddress FOR DELETE USING (organisation_id = veerkracht_organisation());
CREATE POLICY append ON core_auditaddress FOR INSERT WITH CHECK (true);
CREATE POLICY maintenance ON core_auditaddress TO {owner} USING (veerkracht_organisation() IS NULL);
"""


def isolate(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT quote_ident(current_user)")
        owner = str(cursor.fetchone()[0])
    schema_editor.execute(ISOLATE.format(owner=owner))


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0011_outbox_delivery"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="ip_digest",
            field=models.CharField(blank=True, default="", max_length=64),
        ),
        migrations.CreateModel(
            name="AuditAddress",
            fields=[
                ("digest", models.CharField(max_length=64, primary_key=True, serialize=False)),
                ("ip", models.GenericIPAddressField(verbose_name="IP address")),
                ("salt", models.CharField(max_length=32)),
                ("at", models.DateTimeField(db_index=True, default=django.utils.timezone.now)),
                (
                    "organisation",
                    models.ForeignKey(
                        null=True, on_delete=django.db.models.deletion.CASCADE, related_name="+", to="core.organisation"
                    ),
                ),
            ],
            options={
                "verbose_name": "IP address in the audit log",
            },
        ),
        migrations.RunPython(isolate, migrations.RunPython.noop),
    ]
