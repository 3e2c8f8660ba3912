"""Creating a tenant: its creator becomes its first Global Administrator."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from audit.services import record
from core.errors import PermissionDenied, ValidationError
from roles import access
from roles.permissions import GLOBAL_ADMIN_ID
from tenants.models import Membership, Tenant, User


def _unique_slug(name: str) -> str:
    base = slugify(name)[:60] or "tenant"
    slug, n = base, 1
    while Tenant.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def create_tenant(*, by: User, name: str, country: str, domain: str = "") -> Tenant:
    """Create a tenant; its creator becomes its Global Administrator."""
    if by.is_staff or by.is_superuser:
        raise PermissionDenied(_("Support staff accounts do not join tenants."))
    name = (name or "").strip()
    if not name:
        raise ValidationError(_("A name is required."), errors={"name": [_("Required.")]})
    tenant = Tenant(name=name, country=country, primary_domain=(domain or "").strip().lower())
    tenant.slug = _unique_slug(name)
    try:
        tenant.full_clean(exclude=["slug"])
    except DjangoValidationError as exc:
        raise ValidationError(_("Check the highlighted fields."), errors=exc.message_dict) from None
    tenant.save()
    membership = Membership.objects.create(user=by, tenant=tenant)
    membership.roles.add(GLOBAL_ADMIN_ID)
    record(
        "tenant.created",
        actor=by,
        target_tenant=tenant,
        obj=tenant,
        after={"name": tenant.name, "country": str(tenant.country)},
        access=access.resolve(by, tenant),  # the creator acts as the new tenant's admin
    )
    return tenant
