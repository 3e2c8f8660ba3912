from django.db import migrations


def publish(apps, schema_editor):
    from agreements.defaults import publish_default

    publish_default(apps.get_model("agreements", "AgreementVersion"))


class Migration(migrations.Migration):
    dependencies = [("agreements", "0001_initial")]

    operations = [migrations.RunPython(publish, migrations.RunPython.noop)]
