from django.db import migrations


def create_group(apps, schema_editor):
    # Permissions are filled in by the post_migrate handler (core.support), which runs
    # after every migrate, once every model's permissions exist.
    apps.get_model("auth", "Group").objects.get_or_create(name="Support agent")


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Support agent").delete()


class Migration(migrations.Migration):
    dependencies = [("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(create_group, remove_group)]
