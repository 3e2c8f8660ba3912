from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True
    dependencies = []

    operations = [
        migrations.CreateModel(
            name="RoleDefinition",
            fields=[
                ("id", models.UUIDField(primary_key=True, serialize=False, verbose_name="template id")),
                ("name", models.CharField(max_length=120, unique=True, verbose_name="name")),
                ("summary", models.TextField(blank=True, verbose_name="summary")),
                ("is_privileged", models.BooleanField(default=False, verbose_name="privileged")),
                ("gdap_assignable", models.BooleanField(default=True, verbose_name="assignable through GDAP")),
                ("blocks_auto_extend", models.BooleanField(default=False, verbose_name="blocks auto-extend")),
            ],
            options={
                "verbose_name": "role definition",
                "verbose_name_plural": "role definitions",
                "ordering": ["name"],
            },
        ),
    ]
