"""Reads of tenant data; each is scoped to a tenant (or to the signed-in user)."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Count, Prefetch

from core.errors import NotFound
from core.scoping import get_in_tenant_or_404
from tenants.models import ApiToken, Membership, SecurityGroup, Tenant, User


def memberships_for_user(user):
    """The user's own memberships with their tenants and roles (two queries)."""
    return (
        Membership.objects.filter(user=user)
        .select_related("tenant")
        .prefetch_related("roles")
        .order_by("tenant__name")
    )


def get_tenant(tenant_id) -> Tenant:
    """A tenant by id; whether the caller may see it is the resolver's call."""
    try:
        return Tenant.objects.get(pk=tenant_id)
    except (Tenant.DoesNotExist, DjangoValidationError, ValueError, TypeError):
        raise NotFound() from None


def members_of(tenant):
    return (
        Membership.objects.filter(tenant=tenant)
        .select_related("user", "partner_tenant")
        .prefetch_related("roles")
        .order_by("user__email")
    )


def get_membership_or_404(tenant, user_id) -> Membership:
    return get_in_tenant_or_404(
        Membership.objects.select_related("user").prefetch_related("roles"),
        tenant,
        user_id=user_id,
    )


def security_groups_of(tenant):
    return (
        SecurityGroup.objects.filter(tenant=tenant)
        .annotate(member_count=Count("members"))
        .prefetch_related(Prefetch("members", queryset=User.objects.order_by("email")))
        .order_by("name")
    )


def get_security_group_or_404(tenant, group_id) -> SecurityGroup:
    return get_in_tenant_or_404(
        SecurityGroup.objects.prefetch_related("members"), tenant, pk=group_id
    )


def api_tokens_of(user):
    return ApiToken.objects.filter(user=user).select_related("tenant").order_by("-created_at")


def get_api_token_or_404(user, token_id) -> ApiToken:
    return get_in_tenant_or_404(ApiToken.objects.all(), user, tenant_field="user", pk=token_id)
