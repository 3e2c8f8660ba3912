from django.db import migrations


def seed(apps, schema_editor):
    from partners import curated

    curated.load(
        {
            "industry": apps.get_model("partners", "Industry"),
            "product": apps.get_model("partners", "Product"),
            "service": apps.get_model("partners", "Service"),
            "org_size": apps.get_model("partners", "OrganizationSize"),
        }
    )


class Migration(migrations.Migration):
    dependencies = [("partners", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
