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


def _roles() -> Prefetch:
    """Memberships' roles, read for a page of members at once into `role_list` (a list on
    each membership: no related manager is built per row, which cost more than the query).
    The role model is the roles app's, a layer above: reached through the field."""
    role_model = Membership._meta.get_field("roles").related_model
    return Prefetch(
        "roles",
        queryset=role_model.objects.only("id", "name", "name_de", "is_privileged").order_by("name"),
        to_attr="role_list",
    )


def members_of(tenant):
    """The tenant's members, by email, with the user's name and their roles (`role_list`)."""
    return (
        Membership.objects.filter(tenant=tenant)
        .select_related("user")
        .only(
            "tenant_id",
            "user_id",
            "partner_tenant_id",
            "delegated_partner_id",
            "created_at",
            "user__email",
            "user__display_name",
        )
        .prefetch_related(_roles())
        .order_by("user__email")
    )


def get_membership_or_404(tenant, user_id) -> Membership:
    """One member of the tenant with the user and their roles (`role_list`); 404 otherwise."""
    return get_in_tenant_or_404(
        Membership.objects.select_related("user").prefetch_related(_roles()),
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
