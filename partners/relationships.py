"""Partner relationships after acceptance: ending types, asking to end, reading them."""

from django.db import transaction
from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements import selectors as agreements
from audit.models import AuditEvent
from audit.services import record
from core.errors import InvalidState, NotFound, PermissionDenied, ValidationError
from core.notify import notify_admins
from core.scoping import get_in_tenant_or_404
from notifications.services import queue_mail
from partners import relationship_types as types
from partners.relationship_models import EndRequest, Invitation, PartnerRelationship
from roles import access
from roles import services as gdap
from roles.models import DelegatedAdminRelationship
from roles.permissions import PARTNERS_MANAGE
from tenants.models import Membership

GDAP_TYPES = {types.GDAP, types.ADVISOR}


def _lock_pair(*, customer=None, partner=None, customer_id=None, partner_id=None):
    tenant, field = (partner, "partner") if partner is not None else (customer, "customer")
    other = {"customer_id": customer_id} if partner is not None else {"partner_id": partner_id}
    return get_in_tenant_or_404(
        PartnerRelationship.objects.select_for_update(of=("self",)).select_related(
            "customer", "partner"
        ),
        tenant,
        tenant_field=field,
        **other,
    )


def _end_types(relationship: PartnerRelationship, codes) -> list[str]:
    """Remove codes from the relationship; ends its GDAP grants when no GDAP type is left."""
    codes = list(dict.fromkeys(codes or []))
    unknown = [c for c in codes if c not in relationship.types]
    if not codes or unknown:
        raise ValidationError(
            _("Choose types that are in force in this relationship."),
            errors={"relationship_types": [_("Not in force.")]},
        )
    relationship.types = [c for c in relationship.types if c not in codes]
    if not relationship.types:
        relationship.ended_at = timezone.now()
    relationship.save(update_fields=["types", "ended_at", "updated_at"])
    # Each grant ends with the type it came from: an advisor grant with advisor, any other
    # (broader) grant with gdap, even when the other type stays in force.
    ended_kinds = GDAP_TYPES - set(relationship.types)
    if ended_kinds:
        now = timezone.now()
        grants = (
            DelegatedAdminRelationship.objects.select_for_update(of=("self",))
            .select_related("invitation")
            .filter(
                customer=relationship.customer,
                partner=relationship.partner,
                status=DelegatedAdminRelationship.Status.ACTIVE,
            )
        )
        for rel in grants:
            kind = types.ADVISOR if _is_advisor(rel) else types.GDAP
            if (
                kind in ended_kinds
                and rel.status_at(now) == DelegatedAdminRelationship.Status.ACTIVE
            ):
                gdap.end_grant(rel)
    if types.PARTNER_USER_ACCOUNT in codes:
        for membership in Membership.objects.filter(
            tenant=relationship.customer, partner_tenant=relationship.partner
        ):
            membership.roles.clear()
    access.forget()
    return codes


def _mail_types_ended(relationship, codes, ended_by: str) -> None:
    notify_admins(
        tenant=relationship.customer,
        permission=PARTNERS_MANAGE,
        template="relationship_types_ended",
        context={
            "partner_name": relationship.partner.name,
            "customer_name": relationship.customer.name,
            "types": [str(types.label(c)) for c in codes],
            "remaining": [str(types.label(c)) for c in relationship.types],
            "ended_by": ended_by,
        },
    )


@transaction.atomic
def end_relationship_types(*, by, partner, customer_id, codes) -> PartnerRelationship:
    """The partner ends one or more of its relationship types with a customer."""
    by_access = access.require(by, partner, PARTNERS_MANAGE)
    relationship = _lock_pair(partner=partner, customer_id=customer_id)
    before = list(relationship.types)
    ended = _end_types(relationship, codes)
    record(
        "relationship.types_ended",
        actor=by,
        target_tenant=relationship.customer,
        acting_tenant=partner,
        obj=relationship,
        before={"types": before},
        after={"types": relationship.types, "ended": ended, "by": "partner"},
        access=by_access,
    )
    _mail_types_ended(relationship, ended, partner.name)
    return relationship


@transaction.atomic
def end_relationship_types_for_customer(*, by, relationship_id, codes) -> PartnerRelationship:
    """Support staff end types on the customer's request (Django admin)."""
    if not (by.is_staff and by.has_perm("partners.change_partnerrelationship")):
        raise PermissionDenied()
    relationship = (
        PartnerRelationship.objects.select_for_update(of=("self",))
        .select_related("customer", "partner")
        .get(pk=relationship_id)
    )
    before = list(relationship.types)
    ended = _end_types(relationship, codes)
    EndRequest.objects.filter(relationship=relationship, status=EndRequest.Status.OPEN).update(
        status=EndRequest.Status.RESOLVED, resolved_at=timezone.now(), resolved_by=by
    )
    record(
        "relationship.types_ended",
        actor=by,
        target_tenant=relationship.customer,
        acting_tenant=relationship.partner,
        obj=relationship,
        before={"types": before},
        after={"types": relationship.types, "ended": ended, "by": "support"},
    )
    _mail_types_ended(relationship, ended, _("Liaison support"))
    return relationship


@transaction.atomic
def request_end(*, by, customer, partner_id, message: str = "") -> EndRequest:
    """Customer's "Ask to end": the partner is mailed and support staff get a request."""
    by_access = access.require(by, customer, PARTNERS_MANAGE)
    relationship = _lock_pair(customer=customer, partner_id=partner_id)
    if not relationship.types:
        raise InvalidState(_("This relationship has already ended."))
    if relationship.end_requests.filter(status=EndRequest.Status.OPEN).exists():
        raise InvalidState(_("You have already asked to end this relationship."))
    end_request = EndRequest.objects.create(
        relationship=relationship, requested_by=by, message=(message or "").strip()[:2000]
    )
    record(
        "relationship.end_requested",
        actor=by,
        target_tenant=customer,
        obj=end_request,
        after={"partner": relationship.partner.name, "message": end_request.message},
        access=by_access,
    )
    context = {
        "partner_name": relationship.partner.name,
        "customer_name": customer.name,
        "requested_by": by.email,
        "message": end_request.message,
    }
    notify_admins(
        tenant=relationship.partner,
        permission=PARTNERS_MANAGE,
        template="relationship_end_requested",
        context=context,
    )
    profile = getattr(relationship.partner, "partner_profile", None)
    if profile is not None and profile.lead_email:
        queue_mail(to=profile.lead_email, template="relationship_end_requested", context=context)
    return end_request


@transaction.atomic
def resolve_end_request(*, by, end_request_id) -> EndRequest:
    """Support staff close a customer's request to end (Django admin); idempotent."""
    if not (by.is_staff and by.has_perm("partners.change_endrequest")):
        raise PermissionDenied()
    end_request = (
        EndRequest.objects.select_for_update(of=("self",))
        .select_related("relationship__customer", "relationship__partner")
        .filter(pk=end_request_id)
        .first()
    )
    if end_request is None:
        raise NotFound()
    if end_request.status == EndRequest.Status.RESOLVED:
        return end_request
    end_request.status = EndRequest.Status.RESOLVED
    end_request.resolved_at = timezone.now()
    end_request.resolved_by = by
    end_request.save(update_fields=["status", "resolved_at", "resolved_by"])
    record(
        "relationship.end_request_resolved",
        actor=by,
        target_tenant=end_request.relationship.customer,
        acting_tenant=end_request.relationship.partner,
        obj=end_request,
        before={"status": EndRequest.Status.OPEN},
        after={"status": end_request.status},
    )
    return end_request


# Reads ----------------------------------------------------------------------------------


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


def customers_of(partner) -> list[PartnerRelationship]:
    """The partner's customers with types, agreement status and GDAP (constant queries)."""
    relationships = list(
        PartnerRelationship.objects.filter(partner=partner)
        .exclude(types=[])
        .select_related("customer")
        .order_by("customer__name")
    )
    ids = [r.customer_id for r in relationships]
    accepted = agreements.accepted_tenant_ids(ids)
    grants = _gdap_by_pair(customer_ids=ids, partner=partner)
    for r in relationships:
        r.agreement_accepted = r.customer_id in accepted
        r.gdap_relationships = grants.get((r.customer_id, r.partner_id), [])
    return relationships


def admin_roles_by_partner(customer, partner_ids, *, at=None) -> dict:
    """Per partner id: the admin roles it holds in customer now, with source and end."""
    at = at or timezone.now()
    roles: dict = {pid: [] for pid in partner_ids}
    grants = _gdap_by_pair(partner_ids=partner_ids, customer=customer)
    for (_cid, pid), rels in grants.items():
        for rel in rels:
            if rel.status_at(at) != DelegatedAdminRelationship.Status.ACTIVE:
                continue
            source = "advisor" if _is_advisor(rel) else "gdap"
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


def _is_advisor(rel) -> bool:
    """A grant that came from an advisor invitation (without the GDAP type)."""
    invitation = getattr(rel, "invitation", None)  # select_related; None when created alone
    codes = invitation.relationship_types if invitation else []
    return types.ADVISOR in codes and types.GDAP not in codes


def partners_of(customer, *, include_ended: bool = False) -> list[PartnerRelationship]:
    """The customer's partners with types, admin roles and agreement status."""
    qs = PartnerRelationship.objects.filter(customer=customer).select_related(
        "partner", "partner__partner_profile"
    )
    if not include_ended:
        qs = qs.exclude(types=[])
    relationships = list(qs.order_by("partner__name"))
    admin_roles = admin_roles_by_partner(customer, [r.partner_id for r in relationships])
    accepted = agreements.has_accepted(customer)
    for r in relationships:
        r.admin_roles = admin_roles.get(r.partner_id, [])
        r.agreement_accepted = accepted
    return relationships


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


def history(relationship: PartnerRelationship):
    """Audit events of this customer-partner pair, newest first."""
    invitation_ids = Invitation.objects.filter(partner=relationship.partner_id).filter(
        Q(customer=relationship.customer_id) | Q(accepted_tenant=relationship.customer_id)
    )
    gdap_ids = DelegatedAdminRelationship.objects.filter(
        partner=relationship.partner_id, customer=relationship.customer_id
    )
    object_ids = [str(relationship.pk)]
    object_ids += [str(pk) for pk in invitation_ids.values_list("pk", flat=True)]
    object_ids += [str(pk) for pk in gdap_ids.values_list("pk", flat=True)]
    object_ids += [str(pk) for pk in relationship.end_requests.values_list("pk", flat=True)]
    acceptances = relationship.customer.agreement_acceptances.values_list("pk", flat=True)
    return AuditEvent.objects.filter(
        Q(object_id__in=object_ids)
        | Q(target_tenant=relationship.customer_id, object_id=str(relationship.partner_id))
        | Q(target_tenant=relationship.customer_id, object_id__in=[str(a) for a in acceptances])
    ).order_by("-occurred_at")


def invitations_sent(partner):
    return (
        Invitation.objects.filter(partner=partner)
        .select_related("partner", "customer", "gdap_relationship")
        .prefetch_related(
            Prefetch("gdap_relationship__requested_roles"),
        )
        .order_by("-created_at")
    )


def invitations_received(customer):
    return (
        Invitation.objects.filter(Q(customer=customer) | Q(accepted_tenant=customer))
        .select_related("partner", "partner__partner_profile", "gdap_relationship")
        .prefetch_related("gdap_relationship__requested_roles")
        .order_by("-created_at")
    )


def with_status(invitations, status: str, *, at=None):
    """Filter by the status a reader sees: a pending invitation past its expiry is expired."""
    at = at or timezone.now()
    Status = Invitation.Status
    if status == Status.PENDING:
        return invitations.filter(status=Status.PENDING, expires_at__gt=at)
    if status == Status.EXPIRED:
        return invitations.filter(
            Q(status=Status.EXPIRED) | Q(status=Status.PENDING, expires_at__lte=at)
        )
    return invitations.filter(status=status)


def type_capabilities(user, tenant_id, at) -> list:
    """The resolver's capability source: relationship types in force between the customer
    and the partners whose partners.manage the user holds (one query)."""
    from roles.access import Capability
    from roles.permissions import PARTNERS_MANAGE, TYPE_CAPABILITIES, role_id, roles_granting

    managing = [role_id(name) for name in roles_granting(PARTNERS_MANAGE)]
    rows = (
        PartnerRelationship.objects.filter(
            customer_id=tenant_id,
            partner__memberships__user=user,
            partner__memberships__roles__id__in=managing,
        )
        .exclude(types=[])
        .values_list("partner_id", "types")
        .distinct()
    )
    return [
        Capability(permission=perm, partner_tenant_id=partner_id, relationship_type=code)
        for partner_id, codes in rows
        for code in codes
        for perm in TYPE_CAPABILITIES.get(code, ())
    ]
