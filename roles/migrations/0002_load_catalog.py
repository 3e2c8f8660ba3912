from django.db import migrations


def load_catalog(apps, schema_editor):
    from roles import catalog

    catalog.load(apps.get_model("roles", "RoleDefinition"))


class Migration(migrations.Migration):
    dependencies = [("roles", "0001_initial")]

    operations = [migrations.RunPython(load_catalog, migrations.RunPython.noop)]
