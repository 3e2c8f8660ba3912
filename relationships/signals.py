"""Keeps the partner's customers list's sort key (PartnerRelationship.customer_name) equal
to the customer's name when a tenant is renamed."""

from django.db.models.signals import post_save

from relationships.models import PartnerRelationship


def keep_customer_name(sender, instance, created, update_fields=None, **kwargs):
    if created or (update_fields is not None and "name" not in update_fields):
        return
    PartnerRelationship.objects.filter(customer_id=instance.pk).exclude(
        customer_name=instance.name
    ).update(customer_name=instance.name)


def install() -> None:
    from tenants.models import Tenant

    post_save.connect(keep_customer_name, sender=Tenant, dispatch_uid="relationships.customer_name")
