from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("insights", "0003_reach_daily")]

    operations = [migrations.RenameField("pulseresponse", "created_at", "answered_at")]
