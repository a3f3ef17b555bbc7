from django.db import migrations


class Migration(migrations.Migration):
    """Joins four changes to core made side by side (second factor, erasure, input, going live, operations)."""

    dependencies = [
        ("core", "0012_api_token_after_second_factor"),
        ("core", "0012_audit_address"),
        ("core", "0012_going_live"),
        ("core", "0012_idempotency_sealed_per_caller"),
        ("core", "0012_maintenance_run"),
    ]

    operations: list[migrations.operations.base.Operation] = []
