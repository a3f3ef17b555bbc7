"""The outbox becomes a delivery record: status, attempts, an idempotent reference per message."""

import uuid

from django.db import migrations, models

import veerkracht.core.models


def fill_references(apps, schema_editor):
    """Existing rows get their own reference; those already sent are marked sent."""
    OutboundMessage = apps.get_model("core", "OutboundMessage")
    for message in OutboundMessage.objects.all():
        message.reference = uuid.uuid4().hex
        message.status = "sent" if message.sent_at else "queued"
        message.save(update_fields=["reference", "status"])


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0010_audit_seal"),
    ]

    operations = [
        migrations.AddField(
            model_name="outboundmessage",
            name="attempts",
            field=models.PositiveSmallIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="outboundmessage",
            name="delivered_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="outboundmessage",
            name="last_error",
            field=models.CharField(blank=True, max_length=200),
        ),
        migrations.AddField(
            model_name="outboundmessage",
            name="next_attempt_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="outboundmessage",
            name="provider_id",
            field=models.CharField(blank=True, max_length=100),
        ),
        migrations.AddField(
            model_name="outboundmessage",
            name="reference",
            field=models.CharField(max_length=32, null=True),
        ),
        migrations.AddField(
            model_name="outboundmessage",
            name="status",
            field=models.CharField(
                choices=[
                    ("queued", "Queued"),
                    ("sending", "Sending"),
                    ("sent", "Sent"),
                    ("delivered", "Delivered"),
                    ("failed", "Failed"),
                ],
                default="queued",
                max_length=10,
            ),
        ),
        migrations.AddField(
            model_name="outboundmessage",
            name="subject",
            field=models.CharField(blank=True, max_length=200),
        ),
        migrations.RunPython(fill_references, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="outboundmessage",
            name="reference",
            field=models.CharField(default=veerkracht.core.models.new_outbound_reference, max_length=32, unique=True),
        ),
        migrations.AlterField(
            model_name="outboundmessage",
            name="text",
            field=models.TextField(max_length=5000),
        ),
        migrations.AddIndex(
            model_name="outboundmessage",
            index=models.Index(fields=["status", "next_attempt_at"], name="outbox_due"),
        ),
        migrations.AddConstraint(
            model_name="outboundmessage",
            constraint=models.CheckConstraint(
                condition=models.Q(("status__in", ["queued", "sending", "sent", "delivered", "failed"])),
                name="outbox_status_valid",
            ),
        ),
        migrations.AddConstraint(
            model_name="outboundmessage",
            constraint=models.CheckConstraint(
                condition=models.Q(("channel__in", ["sms", "email"])), name="outbox_channel_valid"
            ),
        ),
    ]
