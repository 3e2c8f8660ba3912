from django.db import migrations


def seed(apps, schema_editor):
    from partners import curated

    lists = [
        ("Industry", curated.INDUSTRIES),
        ("Product", curated.PRODUCTS),
        ("Service", curated.SERVICES),
        ("OrganizationSize", curated.ORGANIZATION_SIZES),
    ]
    for model_name, rows in lists:
        model = apps.get_model("partners", model_name)
        for position, (slug, name) in enumerate(rows, start=1):
            model.objects.get_or_create(
                slug=slug, defaults={"name": name, "position": position * 10}
            )


class Migration(migrations.Migration):
    dependencies = [("partners", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
