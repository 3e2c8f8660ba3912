"""Tenant scoping: the only way to fetch a tenant's object by id."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _

from core.errors import NotFound


def get_in_tenant_or_404(queryset, tenant, *, tenant_field: str = "tenant", **lookup):
    """The object matching lookup inside tenant; NotFound if missing, foreign or malformed."""
    try:
        return queryset.get(**{tenant_field: tenant}, **lookup)
    except (queryset.model.DoesNotExist, DjangoValidationError, ValueError, TypeError):
        raise NotFound(_("Not found.")) from None
