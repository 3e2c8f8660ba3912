"""The partner's customers list's sort key (issue 16): PartnerRelationship.customer_name,
filled from the customer's name, indexed with the partner so a page reads in index order."""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill(apps, schema_editor):
    PartnerRelationship = apps.get_model("relationships", "PartnerRelationship")
    Tenant = apps.get_model("tenants", "Tenant")
    PartnerRelationship.objects.update(
        customer_name=Subquery(Tenant.objects.filter(pk=OuterRef("customer_id")).values("name")[:1])
    )


class Migration(migrations.Migration):
    dependencies = [
        ("relationships", "0004_internal_reference"),
        ("tenants", "0004_session_generation"),
    ]

    operations = [
        migrations.AddField(
            model_name="partnerrelationship",
            name="customer_name",
            field=models.CharField(
                default="", editable=False, max_length=200, verbose_name="customer name"
            ),
            preserve_default=False,
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name="partnerrelationship",
            index=models.Index(
                condition=models.Q(("types", []), _negated=True),
                fields=["partner", "customer_name", "customer"],
                name="partner_customers_order",
            ),
        ),
    ]
