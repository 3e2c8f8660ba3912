"""The access resolver: what a user may do in a tenant, right now (or at a given time).

Effective roles are the user's own membership roles in the tenant plus, from delegated
sources (GDAP, registered by relationships/access.py), roles that are in force at `at`:
past a grant's end it gives nothing, whether or not the sweep has run. Partner
capabilities (what a relationship type in force lets a partner's managers do here) are a
second kind of permission, loaded only when a check asks for one. Every view, API endpoint
and service asks here; nothing checks roles by hand: the questions services ask beyond
"may this user do that here" have their helper below (require_own, require_staff,
holders, acting_partner). Results are memoised for the length of a request
(portal's RequestContextMiddleware opens the memo) and forgotten whenever a membership,
grant or relationship changes (roles/signals.py); outside a request nothing is cached.
"""

import contextlib
import uuid
from collections.abc import Callable
from contextvars import ContextVar
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from core.context import current_request
from core.errors import NotFound, PermissionDenied, ValidationError
from roles import catalog, permissions
from roles.access.grants import MEMBER, Capability, EndedAccess, RoleGrant, TenantAccess
from tenants.models import Membership
from tenants.selectors import get_tenant, memberships_for_user

__all__ = [
    "Capability",
    "EndedAccess",
    "RoleGrant",
    "TenantAccess",
    "actable_tenants",
    "acting_partner",
    "capability_partner",
    "capability_scope",
    "effective_roles",
    "ended_access",
    "forget",
    "get_tenant",
    "has_permission",
    "holders",
    "holders_by_tenant",
    "request_memo",
    "require",
    "require_own",
    "require_staff",
    "resolve",
]

# A delegated grant source answers the roles one user holds in a tenant at a moment beyond
# their membership (relationships/ registers GDAP's). One query per source, run only when
# a question needs more than the membership roles.
GrantSource = Callable[[object, uuid.UUID, datetime], list[RoleGrant]]


def member_grants(user, tenant_id, at) -> tuple[bool, list[RoleGrant]]:
    rows = list(
        Membership.objects.filter(user=user, tenant_id=tenant_id).values_list(
            "id", "membershiprole__roledefinition_id", "membershiprole__delegated_partner_id"
        )
    )
    grants = [
        RoleGrant(role_id=rid, delegated_by=partner_id)
        for _mid, rid, partner_id in rows
        if rid is not None
    ]
    given = {g.delegated_by for g in grants if g.delegated_by is not None}
    if given:
        in_force = _delegations_in_force(tenant_id, given, at)
        grants = [g for g in grants if g.delegated_by is None or g.delegated_by in in_force]
    return bool(rows), grants


def _delegations_in_force(tenant_id, partner_ids: set, at) -> set:
    """Of partner_ids, those whose delegated access in tenant is in force at `at`; none when
    no source can tell (fail closed)."""
    found: set = set()
    for check in DELEGATION_CHECKS:
        found |= set(check(tenant_id, partner_ids, at))
    return found


SOURCES: list[GrantSource] = []

# A delegation check answers which partners' delegated access in a tenant is in force
# (relationships/ registers GDAP's): membership roles those partners gave last that long.
DelegationCheck = Callable[[uuid.UUID, set, datetime], set]
DELEGATION_CHECKS: list[DelegationCheck] = []

# A reach source answers, for one user and moment, every (tenant, RoleGrant) the user holds
# outside their own memberships (the switcher and GET /me). relationships/ registers GDAP's.
ReachSource = Callable[[object, datetime], list]
REACH_SOURCES: list[ReachSource] = []

# A capability source answers the partner capabilities of one user in a customer tenant
# (the relationship types in force; partners/ registers it). Loaded lazily, one query.
CapabilitySource = Callable[[object, uuid.UUID, datetime], list[Capability]]
CAPABILITY_SOURCES: list[CapabilitySource] = []

# An ended source answers, for a user who cannot act in a tenant, the delegated accesses
# they held there through their own partner and that ended (relationships/ registers it).
EndedSource = Callable[[object, uuid.UUID, datetime], list[EndedAccess]]
ENDED_SOURCES: list[EndedSource] = []

_memo: ContextVar[dict | None] = ContextVar("access_memo", default=None)


@contextlib.contextmanager
def request_memo():
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def forget() -> None:
    """Drop memoised answers (roles/signals.py calls it on every change behind them)."""
    memo = _memo.get()
    if memo is not None:
        memo.clear()


def _token_tenant():
    ctx = current_request.get()
    return ctx.token_tenant_id if ctx is not None else None


def resolve(user, tenant, at: datetime | None = None) -> TenantAccess:
    """The user's access in tenant (a Tenant or its id) at `at` (default: now)."""
    tenant_id = getattr(tenant, "pk", tenant)
    if user is None or not getattr(user, "is_authenticated", False):
        return TenantAccess(user_id=None, tenant_id=tenant_id, is_member=False)
    bound = _token_tenant()
    if bound is not None and str(bound) != str(tenant_id):
        # A personal access token bound to another tenant opens nothing here.
        return TenantAccess(user_id=user.pk, tenant_id=tenant_id, is_member=False)
    memo = _memo.get()
    key = (user.pk, tenant_id, at)
    if memo is not None and key in memo:
        return memo[key]
    moment = at or timezone.now()
    is_member, grants = member_grants(user, tenant_id, moment)
    result = TenantAccess(
        user_id=user.pk,
        tenant_id=tenant_id,
        is_member=is_member,
        member_grants=tuple(grants),
        load_delegated=lambda: [
            grant for source in SOURCES for grant in source(user, tenant_id, moment)
        ],
        load_capabilities=lambda: [
            capability
            for source in CAPABILITY_SOURCES
            for capability in source(user, tenant_id, moment)
        ],
    )
    if memo is not None:
        memo[key] = result
    return result


def ended_access(user, tenant, at: datetime | None = None) -> EndedAccess | None:
    """Why a user who cannot act in tenant once could: the latest delegated access they held
    there as a member of their own partner, now ended; None for anyone else (who gets the
    same 404 as for any tenant not theirs) and for anyone who can act there."""
    result = resolve(user, tenant, at)
    if result.user_id is None or result.can_act:
        return None
    bound = _token_tenant()
    if bound is not None and str(bound) != str(result.tenant_id):
        return None
    moment = at or timezone.now()
    found = [e for source in ENDED_SOURCES for e in source(user, result.tenant_id, moment)]
    return max(found, key=lambda e: e.ended_at) if found else None


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
        raise NotFound()
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


def require_own(user, tenant, perm: str, at: datetime | None = None) -> TenantAccess:
    """require(), and perm must come from the user's own membership in tenant.

    For the customer's consent (authorising a partner, accepting the agreement, approving
    roles): roles delegated to a partner never count, or a partner could consent to its
    own request.
    """
    result = require(user, tenant, perm, at)
    if not result.has_own(perm):
        names = ", ".join(permissions.roles_granting(perm)[:3])
        raise PermissionDenied(
            _("Only your organisation's own administrators (for example %(roles)s) can do this.")
            % {"roles": names}
        )
    return result


def require_staff(user, perm: str, detail: str | None = None) -> None:
    """Support staff acting in Django admin: an active staff account holding the Django
    permission perm ("app_label.codename"); PermissionDenied otherwise."""
    if not (
        user is not None
        and getattr(user, "is_active", False)
        and getattr(user, "is_staff", False)
        and user.has_perm(perm)
    ):
        raise PermissionDenied(detail)


def acting_partner(tenant_access: TenantAccess, perm: str | None = None):
    """The partner tenant a user acts for in this tenant through delegated access; None for
    the tenant's own people. With perm: None when the user holds perm through their own
    roles, else the partner through whose delegated roles they hold it."""
    if perm is not None:
        if tenant_access.has_own(perm):
            return None
        for grant in tenant_access.grants:
            if grant.source != MEMBER and perm in permissions.permissions_for([grant.role_id]):
                return grant.partner_tenant_id
            if grant.delegated_by and perm in permissions.permissions_for([grant.role_id]):
                return grant.delegated_by
        return None
    delegation = tenant_access.delegation() if tenant_access.is_delegated else None
    return delegation.partner_tenant_id if delegation else None


def holders_by_tenant(tenant_ids, perm: str) -> dict:
    """{tenant id: [(email, language)]} of the active members whose own roles grant perm in
    each tenant (one query). Delegated holders are left out: mail for a tenant's
    administrators goes to its own people."""
    role_ids = permissions.role_ids_granting(perm)
    rows = (
        Membership.objects.filter(
            tenant_id__in=list(tenant_ids), roles__id__in=role_ids, user__is_active=True
        )
        .values_list("tenant_id", "user__email", "user__language")
        .distinct()
    )
    result: dict = {}
    for tenant_id, email, language in rows:
        result.setdefault(tenant_id, []).append((email, language))
    return result


def holders(tenant, perm: str) -> list[tuple[str, str]]:
    """(email, language) of tenant's own members who hold perm, sorted (one query)."""
    tenant_id = getattr(tenant, "pk", tenant)
    return sorted(holders_by_tenant([tenant_id], perm).get(tenant_id, []))


def actable_tenants(user, at: datetime | None = None) -> list[dict]:
    """Tenants the user can act in, for the switcher and GET /me (three queries).

    Member tenants carry the user's own roles; customer tenants reached through a partner's
    delegated grants (GDAP) carry those roles, the partner and when the grant ends.
    """
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
    moment = at or timezone.now()
    for tenant, grant in (row for source in REACH_SOURCES for row in source(user, moment)):
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
    bound = _token_tenant()
    if bound is not None:  # a token bound to one tenant sees that one only
        rows = {tid: row for tid, row in rows.items() if str(tid) == str(bound)}
    result = sorted(rows.values(), key=lambda row: (row["via"] != "member", row["tenant"].name))
    for row in result:
        row["permissions"] = sorted(permissions.permissions_for(r.id for r in row["roles"]))
    return result


def _as_uuid(value):
    try:
        return uuid.UUID(str(value))
    except (ValueError, TypeError, AttributeError):
        return None


def capability_partner(tenant_access: TenantAccess, capability: str, partner_tenant_id=None):
    """The partner tenant for which the user uses capability here.

    The one named by partner_tenant_id, which the user must hold the capability through
    (PermissionDenied otherwise, the same answer for "not a partner here" and "not yours");
    without one, the only such partner, or a ValidationError asking which.
    """
    partners = tenant_access.capability_partners(capability)
    if partner_tenant_id not in (None, ""):
        partner_id = _as_uuid(partner_tenant_id)
        if partner_id is None or partner_id not in partners:
            raise PermissionDenied(
                _("That organisation is not a partner of this tenant that you act for here.")
            )
        return partner_id
    if len(partners) == 1:
        return next(iter(partners))
    raise ValidationError(
        _("You act for more than one partner of this tenant here: say which one."),
        errors={"partner_tenant_id": [_("Required.")]},
    )


def capability_scope(
    tenant_access: TenantAccess, queryset, *, unless: str, capability: str, field: str
):
    """queryset whole for holders of permission `unless`; else only the rows whose `field`
    (a partner tenant id) is a partner through which the user holds capability."""
    if tenant_access.has(unless):
        return queryset
    partners = tenant_access.capability_partners(capability)
    return queryset.filter(**{f"{field}__in": list(partners)})
