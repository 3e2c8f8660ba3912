"""Memberships and role assignments record whether a partner's staff made them through
delegated access (consent never comes from those, and they last only while that access
does). The role table is the one the plain many-to-many made: it becomes an explicit
through model in Django's state only, then gains its column."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("roles", "0004_move_gdap_out"),
        ("tenants", "0002_token_tenant_and_scopes"),
    ]

    operations = [
        migrations.AddField(
            model_name="membership",
            name="delegated_partner",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="tenants.tenant",
                verbose_name="made through the delegated access of",
            ),
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="MembershipRole",
                    fields=[
                        ("id", models.BigAutoField(primary_key=True, serialize=False)),
                        (
                            "membership",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                to="tenants.membership",
                            ),
                        ),
                        (
                            "roledefinition",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                to="roles.roledefinition",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "role assignment",
                        "verbose_name_plural": "role assignments",
                        "db_table": "tenants_membership_roles",
                        "unique_together": {("membership", "roledefinition")},
                    },
                ),
                migrations.AlterField(
                    model_name="membership",
                    name="roles",
                    field=models.ManyToManyField(
                        blank=True,
                        related_name="memberships",
                        through="tenants.MembershipRole",
                        to="roles.roledefinition",
                        verbose_name="roles",
                    ),
                ),
            ],
            database_operations=[],
        ),
        migrations.AddField(
            model_name="membershiprole",
            name="delegated_partner",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="tenants.tenant",
                verbose_name="given through the delegated access of",
            ),
        ),
    ]
