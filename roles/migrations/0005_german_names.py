"""Microsoft's German role names (and our German summaries) from the German catalog."""

from django.db import migrations, models


def load_german(apps, schema_editor):
    from roles import catalog

    catalog.load_german(apps.get_model("roles", "RoleDefinition"))


class Migration(migrations.Migration):
    dependencies = [("roles", "0004_move_gdap_out")]

    operations = [
        migrations.AddField(
            model_name="roledefinition",
            name="name_de",
            field=models.CharField(blank=True, max_length=160, verbose_name="German name"),
        ),
        migrations.AddField(
            model_name="roledefinition",
            name="summary_de",
            field=models.TextField(blank=True, verbose_name="German summary"),
        ),
        migrations.RunPython(load_german, migrations.RunPython.noop),
    ]
