from django.db import migrations


class Migration(migrations.Migration):
    """Joins four changes to core made side by side (second factor, erasure, input, going live, operations, row-level security)."""

    dependencies = [
        ("core", "0012_api_token_after_second_factor"),
        ("core", "0012_audit_address"),
        ("core", "0012_going_live"),
        ("core", "0012_idempotency_sealed_per_caller"),
        ("core", "0012_maintenance_run"),
        ("core", "0012_row_level_security_everywhere"),
    ]

    operations: list[migrations.operations.base.Operation] = []
