"""Reads of partner relationships: a partner's customers, a customer's partners with the
admin roles they hold, one relationship with its GDAP grants and history."""

import uuid

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements import selectors as agreements
from audit.models import AuditEvent
from core.errors import NotFound
from core.scoping import get_in_tenant_or_404
from partners import relationship_types as types
from relationships.models import (
    DelegatedAdminRelationship,
    EndRequest,
    Invitation,
    PartnerRelationship,
)
from tenants.models import Membership


def needs_agreement(customer) -> bool:
    """The tenant works with a partner but has not accepted the newest agreement."""
    has_partner = PartnerRelationship.objects.filter(customer=customer).exclude(types=[]).exists()
    return has_partner and not agreements.has_accepted(customer)


def _gdap_by_pair(customer_ids=None, partner_ids=None, *, customer=None, partner=None):
    qs = (
        DelegatedAdminRelationship.objects.exclude(status=DelegatedAdminRelationship.Status.CREATED)
        .select_related("invitation")
        .prefetch_related("approved_roles", "requested_roles")
    )
    if customer is not None:
        qs = qs.filter(customer=customer, partner_id__in=list(partner_ids))
    else:
        qs = qs.filter(partner=partner, customer_id__in=list(customer_ids))
    grouped: dict = {}
    for rel in qs.order_by("-created_at"):
        grouped.setdefault((rel.customer_id, rel.partner_id), []).append(rel)
    return grouped


def customer_choices(partner) -> list[tuple[str, str]]:
    """The partner's customers as (tenant id, name), for a form's choices."""
    rows = (
        PartnerRelationship.objects.filter(partner=partner)
        .select_related("customer")
        .order_by("customer__name")
    )
    return [(str(row.customer_id), row.customer.name) for row in rows]


GDAP_SUMMARY_FIELDS = (
    "id",
    "partner_id",
    "customer_id",
    "display_name",
    "status",
    "end_at",
    "ended_at",
    "auto_extend_duration",
)


def customer_rows(partner):
    """The partner's customers in list order, unenriched: a queryset to page in SQL (the
    index on (partner, customer_name, customer) gives the order), then pass the page to
    with_customer_details()."""
    return (
        PartnerRelationship.objects.filter(partner=partner)
        .exclude(types=[])
        .order_by("customer_name", "customer_id")
    )


def with_customer_details(rows) -> list[PartnerRelationship]:
    """rows (one page of customer_rows()) with agreement status and what the list shows of
    their GDAP relationships: two queries, whatever the page's size."""
    rows = list(rows)
    if not rows:
        return rows
    ids = [r.customer_id for r in rows]
    accepted = agreements.accepted_tenant_ids(ids)
    grants: dict = {}
    # What the list shows of each grant (name, status and end as read now), nothing more.
    gdap = (
        DelegatedAdminRelationship.objects.filter(partner=rows[0].partner_id, customer_id__in=ids)
        .exclude(status=DelegatedAdminRelationship.Status.CREATED)
        .only(*GDAP_SUMMARY_FIELDS)
        .order_by("-created_at")
    )
    for rel in gdap:
        grants.setdefault(rel.customer_id, []).append(rel)
    for r in rows:
        r.agreement_accepted = r.customer_id in accepted
        r.gdap_relationships = grants.get(r.customer_id, [])
    return rows


def customers_of(partner) -> list[PartnerRelationship]:
    """Every customer of the partner with types, agreement status and GDAP (constant
    queries; lists page customer_rows() instead)."""
    return with_customer_details(customer_rows(partner))


def customer_of(partner, customer_id) -> PartnerRelationship | None:
    """One row of the partner's customers list, or None (not a customer of partner)."""
    try:
        pk = uuid.UUID(str(customer_id))
    except (ValueError, TypeError, AttributeError):
        return None
    rows = customer_rows(partner).filter(customer_id=pk).select_related("customer")
    return next(iter(with_customer_details(rows)), None)


def admin_roles_by_partner(customer, partner_ids, *, at=None) -> dict:
    """Per partner id: the admin roles it holds in customer now, with source and end."""
    at = at or timezone.now()
    roles: dict = {pid: [] for pid in partner_ids}
    grants = _gdap_by_pair(partner_ids=partner_ids, customer=customer)
    for (_cid, pid), rels in grants.items():
        for rel in rels:
            if rel.status_at(at) != DelegatedAdminRelationship.Status.ACTIVE:
                continue
            source = "advisor" if is_advisor_grant(rel) else "gdap"
            for role in rel.approved_roles.all():
                roles[pid].append(
                    {
                        "role": role,
                        "source": source,
                        "relationship": rel,
                        "end_at": rel.effective_end(at),
                    }
                )
    accounts = (
        Membership.objects.filter(tenant=customer, partner_tenant_id__in=list(partner_ids))
        .select_related("user")
        .prefetch_related("roles")
    )
    for membership in accounts:
        for role in membership.roles.all():
            roles[membership.partner_tenant_id].append(
                {
                    "role": role,
                    "source": "user_account",
                    "relationship": None,
                    "end_at": None,
                    "user": membership.user,
                }
            )
    return roles


def is_advisor_grant(rel) -> bool:
    """A grant that came from an advisor invitation (without the GDAP type)."""
    invitation = getattr(rel, "invitation", None)  # select_related; None when created alone
    codes = invitation.relationship_types if invitation else []
    return types.ADVISOR in codes and types.GDAP not in codes


def partner_rows(customer, *, include_ended: bool = False):
    """The customer's partners in list order, unenriched: a queryset to page in SQL, then
    pass the page to with_partner_details(). A customer works with a few partners: the
    joined name orders them."""
    qs = PartnerRelationship.objects.filter(customer=customer).select_related(
        "partner", "partner__partner_profile"
    )
    if not include_ended:
        qs = qs.exclude(types=[])
    return qs.order_by("partner__name", "partner_id")


def with_partner_details(rows, customer) -> list[PartnerRelationship]:
    """rows (one page of partner_rows(customer)) with the admin roles each partner holds
    and the customer's agreement status."""
    rows = list(rows)
    if not rows:
        return rows
    admin_roles = admin_roles_by_partner(customer, [r.partner_id for r in rows])
    accepted = agreements.has_accepted(customer)
    for r in rows:
        r.admin_roles = admin_roles.get(r.partner_id, [])
        r.agreement_accepted = accepted
    return rows


def partners_of(customer, *, include_ended: bool = False) -> list[PartnerRelationship]:
    """Every partner of the customer with types, admin roles and agreement status (lists
    page partner_rows() instead)."""
    return with_partner_details(partner_rows(customer, include_ended=include_ended), customer)


def get_partner_relationship_or_404(customer, partner_id) -> PartnerRelationship:
    relationship = get_in_tenant_or_404(
        PartnerRelationship.objects.select_related("partner", "partner__partner_profile"),
        customer,
        tenant_field="customer",
        partner_id=partner_id,
    )
    relationship.admin_roles = admin_roles_by_partner(customer, [relationship.partner_id])[
        relationship.partner_id
    ]
    relationship.agreement_accepted = agreements.has_accepted(customer)
    relationship.gdap_relationships = _gdap_by_pair(
        partner_ids=[relationship.partner_id], customer=customer
    ).get((customer.pk, relationship.partner_id), [])
    relationship.open_end_request = relationship.end_requests.filter(
        status=EndRequest.Status.OPEN
    ).first()
    return relationship


def _history_q(relationship: PartnerRelationship, *, delegated_work: bool = False) -> Q:
    """Audit events of this customer-partner pair; with delegated_work, also what the
    partner's technicians did in the customer through the pair's GDAP relationships."""
    invitation_ids = Invitation.objects.filter(partner=relationship.partner_id).filter(
        Q(customer=relationship.customer_id) | Q(accepted_tenant=relationship.customer_id)
    )
    gdap_ids = list(
        DelegatedAdminRelationship.objects.filter(
            partner=relationship.partner_id, customer=relationship.customer_id
        ).values_list("pk", flat=True)
    )
    object_ids = [str(relationship.pk)]
    object_ids += [str(pk) for pk in invitation_ids.values_list("pk", flat=True)]
    object_ids += [str(pk) for pk in gdap_ids]
    object_ids += [str(pk) for pk in relationship.end_requests.values_list("pk", flat=True)]
    acceptances = relationship.customer.agreement_acceptances.values_list("pk", flat=True)
    match = (
        Q(object_id__in=object_ids)
        | Q(target_tenant=relationship.customer_id, object_id=str(relationship.partner_id))
        | Q(target_tenant=relationship.customer_id, object_id__in=[str(a) for a in acceptances])
    )
    if delegated_work:
        match |= Q(relationship_id__in=gdap_ids)
    return match


def history(relationship: PartnerRelationship):
    """Audit events of this customer-partner pair, newest first."""
    return (
        AuditEvent.objects.filter(_history_q(relationship))
        .select_related("acting_tenant", "target_tenant")
        .order_by("-occurred_at")
    )


def history_scope(tenant, relationship_id):
    """The audit log's "relationship" filter (registered in apps.py): for a partner or GDAP
    relationship of tenant, (what it is called, the Q of its events); None otherwise."""
    try:
        pk = uuid.UUID(str(relationship_id))
    except (ValueError, TypeError, AttributeError):
        return None
    pair = (
        PartnerRelationship.objects.filter(Q(customer=tenant) | Q(partner=tenant), pk=pk)
        .select_related("customer", "partner")
        .first()
    )
    if pair is not None:
        other = pair.partner if pair.customer_id == tenant.pk else pair.customer
        label = _("the relationship with %(name)s") % {"name": other.name}
        return label, _history_q(pair, delegated_work=True)
    rel = (
        DelegatedAdminRelationship.objects.filter(Q(partner=tenant) | Q(customer=tenant), pk=pk)
        .exclude(~Q(partner=tenant), status=DelegatedAdminRelationship.Status.CREATED)
        .first()
    )
    if rel is None:
        return None
    label = _("the GDAP relationship “%(name)s”") % {"name": rel.display_name}
    match = Q(object_id=str(pk)) | Q(relationship_id=pk) | Q(after__relationship=str(pk))
    return label, match


def partner_customer_or_404(partner, customer_id, type_code: str):
    """The customer tenant with which partner has relationship type type_code in force;
    NotFound otherwise (partner-side pages of OEMs and industry partners)."""
    relationship = get_in_tenant_or_404(
        PartnerRelationship.objects.select_related("customer"),
        partner,
        tenant_field="partner",
        customer_id=customer_id,
    )
    if type_code not in (relationship.types or []):
        raise NotFound()
    return relationship.customer
