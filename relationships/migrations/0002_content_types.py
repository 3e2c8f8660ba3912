"""The moved models keep their content types (and so their permissions, the support agent
group's among them, and admin log entries): relabel them from partners / roles."""

from django.db import migrations

MOVED = {
    "partners": ["partnerrelationship", "invitation", "endrequest"],
    "roles": ["delegatedadminrelationship", "accessassignment"],
}


def relabel(apps, schema_editor, *, forward=True):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for old_label, models in MOVED.items():
        source, target = (old_label, "relationships") if forward else ("relationships", old_label)
        for model in models:
            if ContentType.objects.filter(app_label=target, model=model).exists():
                continue  # created already (a fresh database): nothing to carry over
            ContentType.objects.filter(app_label=source, model=model).update(app_label=target)


def backward(apps, schema_editor):
    relabel(apps, schema_editor, forward=False)


class Migration(migrations.Migration):
    dependencies = [
        ("relationships", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(relabel, backward)]
