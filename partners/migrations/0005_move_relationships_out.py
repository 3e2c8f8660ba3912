"""Partner relationships, invitations and requests to end move to the relationships app.

State only: the tables stay as they are and relationships.0001 takes them over.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("partners", "0004_relationships_and_invitations"),
        ("roles", "0003_gdap"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="EndRequest"),
                migrations.DeleteModel(name="Invitation"),
                migrations.DeleteModel(name="PartnerRelationship"),
            ],
            database_operations=[],
        ),
    ]
