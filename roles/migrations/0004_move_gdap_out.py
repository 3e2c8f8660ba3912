"""GDAP relationships and access assignments move to the relationships app.

State only: the tables stay as they are and relationships.0001 takes them over.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("roles", "0003_gdap"),
        ("partners", "0005_move_relationships_out"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="AccessAssignment"),
                migrations.DeleteModel(name="DelegatedAdminRelationship"),
            ],
            database_operations=[],
        ),
    ]
