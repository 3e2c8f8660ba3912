"""The access resolver: what a user may do in a tenant, right now (or at a given time).

Effective roles are the user's own membership roles in the tenant plus, from delegated
sources (GDAP, roles/delegated.py), roles that are in force at `at`: past a grant's end it
gives nothing, whether or not the sweep has run. Partner capabilities (what a relationship
type in force lets a partner's managers do here, partners/access.py) are a second kind of
permission, loaded only when a check asks for one. Every view, API endpoint and service
asks here; nothing checks roles by hand. Results are memoised for the length of a request
(RequestContextMiddleware opens the memo); outside a request nothing is cached.
"""

import contextlib
import uuid
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property

from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import NotFound, PermissionDenied
from roles import catalog, permissions

MEMBER = "member"


@dataclass(frozen=True)
class RoleGrant:
    """One role a user holds in a tenant, and where it comes from."""

    role_id: uuid.UUID
    source: str = MEMBER
    relationship_id: uuid.UUID | None = None
    partner_tenant_id: uuid.UUID | None = None
    end_at: datetime | None = None

    @property
    def role(self):
        return catalog.roles_by_id().get(self.role_id) or catalog.get_roles([self.role_id])[0]


@dataclass(frozen=True)
class Capability:
    """What a relationship type in force lets a partner's managers do in a customer tenant."""

    permission: str
    partner_tenant_id: uuid.UUID
    relationship_type: str


@dataclass(frozen=True)
class TenantAccess:
    """The resolved access of one user in one tenant at one moment.

    Role permissions come from `grants`. Partner capabilities (relationship types in
    force) are loaded only when asked for, so an ordinary check costs no extra query.
    """

    user_id: uuid.UUID | None
    tenant_id: uuid.UUID
    is_member: bool
    grants: tuple[RoleGrant, ...] = field(default_factory=tuple)
    load_capabilities: Callable[[], list[Capability]] | None = field(
        default=None, compare=False, repr=False
    )

    @cached_property
    def capabilities(self) -> tuple[Capability, ...]:
        return tuple(self.load_capabilities()) if self.load_capabilities else ()

    def capability_partners(self, perm: str) -> set:
        """Partner tenants through which the user holds capability perm here."""
        return {c.partner_tenant_id for c in self.capabilities if c.permission == perm}

    @cached_property
    def role_ids(self) -> frozenset:
        return frozenset(g.role_id for g in self.grants)

    @cached_property
    def permissions(self) -> frozenset[str]:
        return permissions.permissions_for(self.role_ids)

    @cached_property
    def own_permissions(self) -> frozenset[str]:
        """Permissions from the user's own membership roles, delegated roles left out."""
        return permissions.permissions_for(g.role_id for g in self.grants if g.source == MEMBER)

    def has_own(self, perm: str) -> bool:
        """For acts that only the tenant's own people may do (authorising a partner)."""
        return perm in self.own_permissions

    @property
    def can_act(self) -> bool:
        """Whether the tenant is visible to the user at all (else: 404)."""
        return self.is_member or bool(self.grants) or bool(self.capabilities)

    @property
    def is_delegated(self) -> bool:
        return not self.is_member and bool(self.grants)

    def has(self, perm: str) -> bool:
        if perm in permissions.PERMISSIONS:
            return perm in self.permissions
        if perm in permissions.CAPABILITIES:
            return bool(self.capability_partners(perm))
        raise ValueError(f"Unknown permission {perm!r}")

    def roles(self) -> list:
        return catalog.get_roles(self.role_ids)

    def delegation(self) -> RoleGrant | None:
        """The delegated grant the user acts through, when not a member (for audit)."""
        return next((g for g in self.grants if g.source != MEMBER), None)

    def can_reset_password_of(self, target_role_ids: Iterable) -> bool:
        """Password resets: restricted roles reach only users who hold no admin role."""
        if not self.has(permissions.USERS_RESET_PASSWORD):
            return False
        unrestricted = {
            rid
            for rid in self.role_ids
            if permissions.USERS_RESET_PASSWORD in permissions.permissions_for([rid])
            and rid not in permissions.RESET_NON_ADMINS_ONLY_IDS
        }
        if unrestricted:
            return True
        return set(target_role_ids) <= permissions.NON_ADMIN_ROLE_IDS


# A grant source answers (is_member, grants) for one user, tenant and moment. The member
# source is here; the GDAP issue appends the delegated source. One query per source.
GrantSource = Callable[[object, uuid.UUID, datetime], tuple[bool, list[RoleGrant]]]


def member_grants(user, tenant_id, at) -> tuple[bool, list[RoleGrant]]:
    from tenants.models import Membership

    rows = list(
        Membership.objects.filter(user=user, tenant_id=tenant_id).values_list("id", "roles__id")
    )
    return bool(rows), [RoleGrant(role_id=rid) for _mid, rid in rows if rid is not None]


SOURCES: list[GrantSource] = [member_grants]

# A capability source answers the partner capabilities of one user in a customer tenant
# (the relationship types in force; partners/ registers it). Loaded lazily, one query.
CapabilitySource = Callable[[object, uuid.UUID, datetime], list[Capability]]
CAPABILITY_SOURCES: list[CapabilitySource] = []

_memo: ContextVar[dict | None] = ContextVar("access_memo", default=None)


@contextlib.contextmanager
def request_memo():
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def forget() -> None:
    """Drop memoised answers; services call it after changing roles or memberships."""
    memo = _memo.get()
    if memo is not None:
        memo.clear()


def resolve(user, tenant, at: datetime | None = None) -> TenantAccess:
    """The user's access in tenant (a Tenant or its id) at `at` (default: now)."""
    tenant_id = getattr(tenant, "pk", tenant)
    if user is None or not getattr(user, "is_authenticated", False):
        return TenantAccess(user_id=None, tenant_id=tenant_id, is_member=False)
    memo = _memo.get()
    key = (user.pk, tenant_id, at)
    if memo is not None and key in memo:
        return memo[key]
    moment = at or timezone.now()
    is_member, grants = False, []
    for source in SOURCES:
        member, found = source(user, tenant_id, moment)
        is_member = is_member or member
        grants.extend(found)
    result = TenantAccess(
        user_id=user.pk,
        tenant_id=tenant_id,
        is_member=is_member,
        grants=tuple(grants),
        load_capabilities=lambda: [
            capability
            for source in CAPABILITY_SOURCES
            for capability in source(user, tenant_id, moment)
        ],
    )
    if memo is not None:
        memo[key] = result
    return result


def effective_roles(user, tenant, at: datetime | None = None) -> list:
    """The RoleDefinitions the user holds in tenant at `at`, from every source."""
    return resolve(user, tenant, at).roles()


def has_permission(user, tenant, perm: str, at: datetime | None = None) -> bool:
    return resolve(user, tenant, at).has(perm)


def require(
    user, tenant, perm: str | tuple[str, ...] | None = None, at: datetime | None = None
) -> TenantAccess:
    """The user's access; NotFound if the tenant is not theirs, PermissionDenied without perm.

    Without perm the user must be one of the tenant's people: a member, or partner staff
    holding delegated roles.

    perm may be a tuple: any one of them will do (a customer's billing admin or a
    reseller's manager may both buy, for example).
    """
    result = resolve(user, tenant, at)
    if not result.can_act:
        raise NotFound(_("Tenant not found."))
    wanted = (perm,) if isinstance(perm, str) else tuple(perm or ())
    if not wanted and not (result.is_member or result.grants):
        # Pages that need no permission (the tenant's home, "my roles here") are for the
        # tenant's people: a partner acting only through a relationship type is not one.
        raise PermissionDenied(
            _("Your organisation's relationship with this tenant does not open its pages.")
        )
    if wanted and not any(result.has(p) for p in wanted):
        names = ", ".join(
            sorted({name for p in wanted for name in permissions.roles_granting(p)})[:3]
        )
        if names:
            detail = _("You need a role that allows this (for example %(roles)s).") % {
                "roles": names
            }
        else:
            detail = _("Your organisation's relationship with this tenant does not allow this.")
        raise PermissionDenied(detail, code="permission_denied")
    return result
