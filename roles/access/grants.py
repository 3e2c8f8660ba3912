"""What the resolver answers with: the grants a user holds in a tenant (RoleGrant), partner
capabilities (Capability), delegated access that has ended (EndedAccess), and the resolved
access of one user in one tenant at one moment (TenantAccess). roles.access resolves them."""

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property

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
    # A membership role given by a partner's staff through delegated access: it lasts only
    # while that access does, and is never the tenant's own consent.
    delegated_by: uuid.UUID | None = None

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
class EndedAccess:
    """Delegated access a user had in a tenant through their own partner, and lost."""

    partner_tenant_id: uuid.UUID
    partner_name: str
    relationship_id: uuid.UUID
    relationship_name: str
    ended_at: datetime
    how: str  # "terminated" or "expired"


@dataclass(frozen=True)
class TenantAccess:
    """The resolved access of one user in one tenant at one moment.

    Role permissions come from `grants`: the user's membership roles (`member_grants`,
    read with `is_member`) and the delegated ones (GDAP), read only when a question needs
    them: a member whose own roles answer a check costs one query, not two. Partner
    capabilities (relationship types in force) are likewise loaded only when asked for.
    Grants only ever add permissions, so answering from the membership roles first gives
    the answer all of them would.
    """

    user_id: uuid.UUID | None
    tenant_id: uuid.UUID
    is_member: bool
    member_grants: tuple[RoleGrant, ...] = field(default_factory=tuple)
    load_delegated: Callable[[], list[RoleGrant]] | None = field(
        default=None, compare=False, repr=False
    )
    load_capabilities: Callable[[], list[Capability]] | None = field(
        default=None, compare=False, repr=False
    )

    @cached_property
    def grants(self) -> tuple[RoleGrant, ...]:
        delegated = self.load_delegated() if self.load_delegated else ()
        return (*self.member_grants, *delegated)

    @cached_property
    def member_permissions(self) -> frozenset[str]:
        return permissions.permissions_for(g.role_id for g in self.member_grants)

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
        """Permissions from roles the tenant's own people gave the user: delegated roles,
        and membership roles a partner's staff gave through delegated access, left out."""
        return permissions.permissions_for(
            g.role_id for g in self.member_grants if g.delegated_by is None
        )

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
            return perm in self.member_permissions or perm in self.permissions
        if perm in permissions.CAPABILITIES:
            return bool(self.capability_partners(perm))
        raise ValueError(f"Unknown permission {perm!r}")

    def roles(self) -> list:
        return catalog.get_roles(self.role_ids)

    def delegation(self) -> RoleGrant | None:
        """The delegated grant the user acts through, when not a member (for audit)."""
        return next((g for g in self.grants if g.source != MEMBER), None)

    def can_reset_password_of(
        self, target_role_ids: Iterable, *, in_privileged_group: bool = False
    ) -> bool:
        """Password resets follow Entra's who-can-reset-whom table (roles/permissions.py)."""
        if not self.has(permissions.USERS_RESET_PASSWORD):
            return False
        return permissions.can_reset_password(
            self.role_ids, target_role_ids, in_privileged_group=in_privileged_group
        )
