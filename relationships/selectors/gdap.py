"""Reads of GDAP relationships, scoped to the partner's or the customer's tenant."""

from datetime import timedelta

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Case, CharField, Count, Exists, F, OuterRef, Prefetch, Q, Value, When
from django.utils import timezone

from core.errors import NotFound
from core.paging import rows_for
from relationships.models import (
    AccessAssignment,
    DelegatedAdminRelationship,
    RelationshipOperation,
    RelationshipRequest,
)
from roles import catalog, permissions
from tenants.models import SecurityGroup, Tenant


# A customer sees a relationship once the partner sent it for approval, never a draft.
def _visible_to(tenant) -> Q:
    return Q(partner=tenant) | (
        Q(customer=tenant) & ~Q(status=DelegatedAdminRelationship.Status.CREATED)
    )


_ASSIGNMENTS = Prefetch(
    "access_assignments",
    queryset=AccessAssignment.objects.select_related("security_group").prefetch_related("roles"),
)


def _with_details(qs):
    return qs.select_related("partner", "customer", "created_by").prefetch_related(
        "requested_roles", "approved_roles"
    )


def with_roles(rels) -> list:
    """rels (a page of relationships) with their requested and approved roles attached as
    `requested_role_list` and `approved_role_list`, by name: one query over both role
    tables for the page, the roles themselves the catalog's (read once per process), so no
    role row is read or built per relationship, as a prefetch of each would."""
    rels = list(rels)
    ids = [rel.pk for rel in rels]
    lists = {(kind, pk): [] for pk in ids for kind in ("requested", "approved")}
    if ids:
        pairs = [
            field.remote_field.through.objects.filter(delegatedadminrelationship_id__in=ids)
            .annotate(kind=Value(kind, output_field=CharField()))
            .values_list("kind", "delegatedadminrelationship_id", "roledefinition_id")
            for kind, field in (
                ("requested", DelegatedAdminRelationship._meta.get_field("requested_roles")),
                ("approved", DelegatedAdminRelationship._meta.get_field("approved_roles")),
            )
        ]
        rows = list(pairs[0].union(pairs[1], all=True))
        roles = catalog.roles_for(role_id for _kind, _pk, role_id in rows)
        for kind, pk, role_id in rows:
            if role_id in roles:
                lists[kind, pk].append(roles[role_id])
    for rel in rels:
        rel.requested_role_list = sorted(lists["requested", rel.pk], key=lambda r: r.name)
        rel.approved_role_list = sorted(lists["approved", rel.pk], key=lambda r: r.name)
    return rels


def page_loader(queryset):
    """core.paging.rows_for for relationship lists: the page's rows with their roles
    attached by with_roles, in place of a prefetch per role table."""
    load = rows_for(queryset.prefetch_related(None))
    return lambda keys: with_roles(load(keys))


def relationships_of(tenant, *, side: str = ""):
    """Relationships in which tenant is the partner, the customer, or either ("")."""
    if side == "partner":
        return relationships_of_partner(tenant)
    if side == "customer":
        return relationships_of_customer(tenant)
    return _with_details(DelegatedAdminRelationship.objects.filter(_visible_to(tenant)))


def relationships_of_parts(tenant, *, side: str = "") -> tuple:
    """relationships_of's rows as disjoint querysets, each one index range in created_at
    order (core.paging.MergedKeys pages them): as partner; as customer, once sent."""
    Status = DelegatedAdminRelationship.Status
    as_partner = DelegatedAdminRelationship.objects.filter(partner=tenant)
    as_customer = DelegatedAdminRelationship.objects.filter(customer=tenant).exclude(
        status=Status.CREATED
    )
    if side == "partner":
        return (as_partner,)
    if side == "customer":
        return (as_customer,)
    return as_partner, as_customer.exclude(partner=tenant)  # disjoint


def relationships_of_partner(partner):
    return _with_details(DelegatedAdminRelationship.objects.filter(partner=partner))


def relationships_of_customer(customer):
    """Incoming GDAP relationships: those the customer approved, or was asked to."""
    return _with_details(
        DelegatedAdminRelationship.objects.filter(customer=customer).exclude(
            status=DelegatedAdminRelationship.Status.CREATED
        )
    )


def get_relationship_or_404(tenant, relationship_id, *, lock: bool = False):
    """A relationship of which tenant is the partner or the customer; else NotFound."""
    qs = DelegatedAdminRelationship.objects.filter(_visible_to(tenant))
    if lock:
        qs = qs.select_for_update(of=("self",))
    qs = qs.select_related("partner", "customer", "created_by")
    if not lock:
        qs = qs.prefetch_related("requested_roles", "approved_roles", _ASSIGNMENTS)
    try:
        return qs.get(pk=relationship_id)
    except (DelegatedAdminRelationship.DoesNotExist, DjangoValidationError, ValueError, TypeError):
        raise NotFound() from None


def assignments_of(relationship):
    return (
        AccessAssignment.objects.filter(relationship=relationship)
        .select_related("security_group")
        .prefetch_related("roles")
    )


def _still_on(at) -> Q:
    """An active relationship still gives access at `at`: its end is ahead, or auto-extends."""
    return Q(end_at__gt=at) | Q(auto_extend_duration__gt=timedelta(0))


def with_status_now(qs, at=None):
    """Annotate `status_now`: the status clients read at `at` (DelegatedAdminRelationship
    .status_at in SQL), so lists can filter and sort by it."""
    Status = DelegatedAdminRelationship.Status
    at = at or timezone.now()
    return qs.annotate(
        status_now=Case(
            When(Q(status=Status.ACTIVE) & ~_still_on(at), then=Value(Status.EXPIRED)),
            default=F("status"),
            output_field=CharField(),
        )
    )


def with_status_at(qs, status: str, at):
    """Filter by the status clients read at `at`: an active row past its end reads expired."""
    Status = DelegatedAdminRelationship.Status
    still_on = _still_on(at)
    if status == Status.ACTIVE:
        return qs.filter(Q(status=Status.ACTIVE) & still_on)
    if status == Status.EXPIRED:
        return qs.filter(Q(status=Status.EXPIRED) | (Q(status=Status.ACTIVE) & ~still_on))
    return qs.filter(status=status)


def ending_soon(customer, *, within: timedelta = timedelta(days=60), at=None) -> list[dict]:
    """Active grants of the customer's partners ending within `within`, soonest first."""
    at = at or timezone.now()
    rows = []
    qs = (
        DelegatedAdminRelationship.objects.filter(
            customer=customer,
            status=DelegatedAdminRelationship.Status.ACTIVE,
            end_at__lte=at + within,  # an auto-extended end only moves later
        )
        .select_related("partner")
        .prefetch_related("approved_roles")
    )
    for rel in qs:
        end = rel.effective_end(at)
        if rel.status_at(at) != DelegatedAdminRelationship.Status.ACTIVE or end - at > within:
            continue
        rows.append(
            {
                "relationship": rel,
                "end_at": end,
                "days_left": max((end - at).days, 0),
                "auto_extends": bool(rel.auto_extend_duration),
                "roles": list(rel.approved_roles.all()),
            }
        )
    return sorted(rows, key=lambda row: row["end_at"])


# Expiring relationships: windows by the end clients read -------------------------------------

EXPIRING_WINDOWS = {"1d": timedelta(days=1), "7d": timedelta(days=7), "30d": timedelta(days=30)}
EXPIRED_LOOKBACK = timedelta(days=365)


def _running(at) -> Q:
    """Active now: ends ahead, or auto-extends (an end the sweep has yet to move)."""
    Status = DelegatedAdminRelationship.Status
    return Q(status=Status.ACTIVE) & (Q(end_at__gt=at) | Q(auto_extend_duration__gt=timedelta(0)))


def _expired_since(at, since) -> Q:
    """Expired (recorded, or past its end before the sweep ran) with its end after `since`."""
    Status = DelegatedAdminRelationship.Status
    over = Q(status=Status.EXPIRED) | (
        Q(status=Status.ACTIVE, end_at__lte=at) & Q(auto_extend_duration=timedelta(0))
    )
    return over & Q(end_at__gt=since, end_at__lte=at)


def expiring_window(window: str, at) -> Q:
    """Rows of one window: "1d", "7d", "30d" (ending within), "later", "expired" (last year)."""
    if window in EXPIRING_WINDOWS:
        return _running(at) & Q(end_at__gt=at, end_at__lte=at + EXPIRING_WINDOWS[window])
    if window == "later":
        # An auto-extending end the sweep has yet to move lies at least a day ahead.
        return _running(at) & (Q(end_at__gt=at + timedelta(days=30)) | Q(end_at__lte=at))
    if window == "expired":
        return _expired_since(at, at - EXPIRED_LOOKBACK)
    raise ValueError(window)


def expiring_of(tenant, *, at=None):
    """The tenant's relationships (either side) that run now or expired in the last year,
    soonest end first, then the expired ones, newest first."""
    at = at or timezone.now()
    qs = relationships_of(tenant).filter(_running(at) | _expired_since(at, at - EXPIRED_LOOKBACK))
    return qs.annotate(is_over=Case(When(_running(at), then=Value(0)), default=Value(1))).order_by(
        "is_over", "end_at", "display_name"
    )


def expiring_summary(tenant, *, at=None) -> dict:
    """The tiles: how many of the tenant's relationships fall in each window (one query)."""
    at = at or timezone.now()
    base = DelegatedAdminRelationship.objects.filter(_visible_to(tenant))
    counts = base.aggregate(
        within_1_day=Count("pk", filter=expiring_window("1d", at)),
        within_7_days=Count("pk", filter=expiring_window("7d", at)),
        within_30_days=Count("pk", filter=expiring_window("30d", at)),
        after_30_days=Count("pk", filter=expiring_window("later", at)),
        expired_last_year=Count("pk", filter=expiring_window("expired", at)),
    )
    return {key: value or 0 for key, value in counts.items()}


def _privileged_role_ids() -> list:
    return [r.id for r in catalog.roles_by_id().values() if permissions.is_privileged(r)]


def privileged_groups(tenant):
    """Security groups of tenant (as a partner) whose access assignments hold a privileged
    role in a relationship not ended: Liaison's role-assignable groups."""
    return SecurityGroup.objects.filter(
        tenant=tenant,
        access_assignments__roles__id__in=_privileged_role_ids(),
        access_assignments__relationship__status__in=[
            DelegatedAdminRelationship.Status.ACTIVE,
            DelegatedAdminRelationship.Status.APPROVAL_PENDING,
            DelegatedAdminRelationship.Status.CREATED,
        ],
    ).distinct()


def holds_privileged_assignment(user, tenant) -> bool:
    """Whether user sits in one of tenant's role-assignable groups (privileged_groups)."""
    return privileged_groups(tenant).filter(members=user).exists()


def requests_of(relationship):
    """The requests made on a relationship (lockForApproval, terminate), oldest first."""
    return RelationshipRequest.objects.filter(relationship=relationship)


def operations_of(relationship):
    """The long-running operations of a relationship, oldest first."""
    return RelationshipOperation.objects.filter(relationship=relationship)


def gdap_customers_of(partner, *, at=None):
    """Tenants in which the partner has a relationship that is active at `at`."""
    at = at or timezone.now()
    active = DelegatedAdminRelationship.objects.filter(
        Q(partner=partner, customer=OuterRef("pk"), status=DelegatedAdminRelationship.Status.ACTIVE)
        & _still_on(at)
    )
    return Tenant.objects.filter(Exists(active))
