"""Row-level security on every table with an organisation's data, and signed audit seals.

The policies come from the registry in ``core.dbroles`` (docs/adr/0017-row-level-security-everywhere.md)
and are applied again after every ``migrate`` (``core.apps``), so tables added later get theirs
from their line in the registry. Nothing on SQLite.
"""

from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

from veerkracht.core.dbroles import policies_apply


def isolate(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    policies_apply(schema_editor.connection)


class Migration(migrations.Migration):
    # After the other changes to core made beside it, so that every column a policy names exists.
    dependencies = [
        ("core", "0012_api_token_after_second_factor"),
        ("core", "0012_audit_address"),
        ("core", "0012_going_live"),
        ("core", "0012_idempotency_sealed_per_caller"),
        ("core", "0012_maintenance_run"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditseal",
            name="signature",
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.RunPython(isolate, migrations.RunPython.noop),
    ]
