"""Reads of tenant data; each is scoped to a tenant (or to the signed-in user)."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Count, Prefetch
from django.utils import timezone

from core.errors import NotFound
from core.scoping import get_in_tenant_or_404
from roles import access
from tenants.models import ApiToken, Membership, SecurityGroup, Tenant, User


def memberships_for_user(user):
    """The user's own memberships with their tenants and roles (two queries)."""
    return (
        Membership.objects.filter(user=user)
        .select_related("tenant")
        .prefetch_related("roles")
        .order_by("tenant__name")
    )


def actable_tenants(user, at=None) -> list[dict]:
    """Tenants the user can act in, for the switcher and GET /me (three queries).

    Member tenants carry the user's own roles; customer tenants reached through a partner's
    delegated grants (GDAP) carry those roles, the partner and when the grant ends.
    """
    from roles import catalog
    from roles.delegated import delegated_grants_everywhere

    rows = {}
    for membership in memberships_for_user(user):
        roles = sorted(membership.roles.all(), key=lambda r: r.name)
        rows[membership.tenant_id] = {
            "tenant": membership.tenant,
            "roles": roles,
            "via": "member",
            "partner": None,
            "end_at": None,
        }
    delegated: dict = {}
    for tenant, grant in delegated_grants_everywhere(user, at or timezone.now()):
        entry = delegated.setdefault(
            tenant.pk,
            {"tenant": tenant, "role_ids": set(), "end_at": grant.end_at, "partner": None},
        )
        entry["role_ids"].add(grant.role_id)
        entry["partner"] = grant.partner_tenant_id
        entry["end_at"] = min(entry["end_at"], grant.end_at)
    for tenant_id, entry in delegated.items():
        roles = catalog.get_roles(entry["role_ids"])
        if tenant_id in rows:  # a member who also holds delegated roles: one row, both roles
            merged = {r.id: r for r in [*rows[tenant_id]["roles"], *roles]}
            rows[tenant_id]["roles"] = sorted(merged.values(), key=lambda r: r.name)
            continue
        rows[tenant_id] = {
            "tenant": entry["tenant"],
            "roles": roles,
            "via": "delegated",
            "partner": entry["partner"],
            "end_at": entry["end_at"],
        }
    result = sorted(rows.values(), key=lambda row: (row["via"] != "member", row["tenant"].name))
    for row in result:
        row["permissions"] = sorted(access.permissions.permissions_for(r.id for r in row["roles"]))
    return result


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
    return ApiToken.objects.filter(user=user).order_by("-created_at")


def get_api_token_or_404(user, token_id) -> ApiToken:
    return get_in_tenant_or_404(ApiToken.objects.all(), user, tenant_field="user", pk=token_id)
