"""State changes of partner relationships after acceptance: ending types (by the partner,
or by support staff on the customer's request), asking to end, resolving that request.

Each service: one transaction, a permission check, its audit event, mail through the outbox.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record
from core.errors import InvalidState, NotFound, ValidationError
from core.scoping import get_in_tenant_or_404
from notifications.services import queue_mail
from partners import relationship_types as types
from relationships.models import DelegatedAdminRelationship, EndRequest, PartnerRelationship
from relationships.rules import GDAP_TYPES
from relationships.selectors.partner_relationships import is_advisor_grant
from relationships.services import _steps
from roles import access
from roles.notify import notify_admins
from roles.permissions import PARTNERS_MANAGE
from tenants.models import Membership


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
            kind = types.ADVISOR if is_advisor_grant(rel) else types.GDAP
            if (
                kind in ended_kinds
                and rel.status_at(now) == DelegatedAdminRelationship.Status.ACTIVE
            ):
                _steps.end_grant(rel)
    if types.PARTNER_USER_ACCOUNT in codes:
        for membership in Membership.objects.filter(
            tenant=relationship.customer, partner_tenant=relationship.partner
        ):
            membership.roles.clear()
    return codes


def _mail_types_ended(relationship, codes, ended_by: str) -> None:
    notify_admins(
        tenant=relationship.customer,
        permission=PARTNERS_MANAGE,
        template="relationship_types_ended",
        context={
            "partner_name": relationship.partner.name,
            "customer_name": relationship.customer.name,
            "types": types.lazy_labels(codes),
            "remaining": types.lazy_labels(relationship.types),
            "ended_by": ended_by,
        },
    )


@transaction.atomic
def end_relationship_types(*, by, partner, customer_id, codes) -> PartnerRelationship:
    """The partner ends one or more of its relationship types with a customer."""
    by_access = access.require_own(by, partner, PARTNERS_MANAGE)
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
    access.require_staff(by, "relationships.change_partnerrelationship")
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
    by_access = access.require_own(by, customer, PARTNERS_MANAGE)
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
    access.require_staff(by, "relationships.change_endrequest")
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
