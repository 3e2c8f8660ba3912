from django.db import migrations


def seed(apps, schema_editor):
    from billing import catalog

    catalog.load(apps.get_model("billing", "Product"))


class Migration(migrations.Migration):
    dependencies = [("billing", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
