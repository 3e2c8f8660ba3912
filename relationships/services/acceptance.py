"""The customer's answer to an invitation: accept & authorise the partner, or decline.

Each service: one transaction, a permission check through the access resolver (the
customer's own administrators only), its audit event(s), mail queued on commit.
"""

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements import selectors as agreements
from agreements.services import record_acceptance
from audit.services import record
from core.errors import PermissionDenied, ValidationError
from core.statemachine import transition
from partners import relationship_types as types
from partners.models import LEAD_TRANSITIONS
from relationships.models import DelegatedAdminRelationship, Invitation, PartnerRelationship
from relationships.selectors import get_invitation_by_token, get_invitation_for_relationship
from relationships.services import _steps
from relationships.states import INVITATION_TRANSITIONS
from roles import access, catalog
from roles.notify import notify_admins
from roles.permissions import AGREEMENTS_ACCEPT, PARTNERS_MANAGE


def _check_tenant(invitation: Invitation, tenant) -> None:
    if invitation.customer_id and invitation.customer_id != tenant.pk:
        raise PermissionDenied(
            _("This invitation was sent to another organisation and can only be used there."),
            code="wrong_tenant",
        )
    if tenant.pk == invitation.partner_id:
        raise ValidationError(
            _("A partner cannot accept its own invitation."),
            errors={"tenant_id": [_("Choose your customer organisation.")]},
        )


def _locked_invitation(token, relationship_id) -> Invitation:
    """The invitation by its link's token, or by its GDAP relationship's id (the address
    Microsoft builds from a relationship id; only the customer's own admins get that far)."""
    if token is not None:
        return get_invitation_by_token(token, lock=True)
    return get_invitation_for_relationship(relationship_id, lock=True)


@transaction.atomic
def accept_invitation(
    *,
    by,
    tenant,
    accept_agreement: bool,
    approved_role_ids=None,
    token: str | None = None,
    relationship_id=None,
) -> PartnerRelationship:
    """Accept & authorise: the agreement (if needed), the relationship, the GDAP grant.

    The invitation is named by its token, or by the id of the relationship it carries.
    """
    by_access = access.require_own(by, tenant, PARTNERS_MANAGE)
    invitation = _locked_invitation(token, relationship_id)
    _check_tenant(invitation, tenant)
    _steps.require_pending(invitation)
    agreement_accepted_now = None
    if not agreements.has_accepted(tenant):
        if accept_agreement is not True:
            raise ValidationError(
                _("Accept the customer agreement to authorise the partner."),
                code="agreement_required",
                errors={"accept_agreement": [_("Required.")]},
            )
        access.require_own(by, tenant, AGREEMENTS_ACCEPT)
        version = agreements.current_version()
        acceptance, created = (
            record_acceptance(by=by, tenant=tenant, version=version) if version else (None, False)
        )
        if created:  # else a parallel acceptance wrote the row and its event
            agreement_accepted_now = version
            record(
                "agreement.accepted",
                actor=by,
                target_tenant=tenant,
                obj=acceptance,
                after={"version": version.version, "via": "invitation"},
                access=by_access,
            )
    partner = invitation.partner
    relationship, added = _steps.add_types(
        customer=tenant, partner=partner, codes=invitation.relationship_types
    )
    approved = []
    rel = invitation.gdap_relationship
    if rel is not None:
        rel = DelegatedAdminRelationship.objects.select_for_update(of=("self",)).get(pk=rel.pk)
        approved = _steps.activate(
            by=by, customer=tenant, rel=rel, approved_role_ids=approved_role_ids
        )
        record(
            "gdap.approved",
            actor=by,
            target_tenant=tenant,
            acting_tenant=tenant,
            obj=rel,
            after={
                "relationship": rel.display_name,
                "roles": [r.name for r in approved],
                "end_at": rel.end_at,
                "partner": partner.name,
            },
            access=by_access,
        )
    elif approved_role_ids:
        raise ValidationError(
            _("This invitation asks for no admin roles."),
            errors={"approved_role_definition_ids": [_("Nothing to approve.")]},
        )
    transition(invitation, "accept", INVITATION_TRANSITIONS)
    invitation.responded_at = timezone.now()
    invitation.responded_by = by
    invitation.accepted_tenant = tenant
    if invitation.customer_id is None:
        invitation.customer = tenant
    invitation.save(
        update_fields=["status", "responded_at", "responded_by", "accepted_tenant", "customer"]
    )
    lead = invitation.lead
    if lead is not None and (lead.status, "convert") in LEAD_TRANSITIONS:
        transition(lead, "convert", LEAD_TRANSITIONS)
        lead.status_changed_at = timezone.now()
        lead.save(update_fields=["status", "status_changed_at"])
    record(
        "invitation.accepted",
        actor=by,
        target_tenant=tenant,
        acting_tenant=tenant,
        obj=invitation,
        after={
            "partner": partner.name,
            "relationship_types": invitation.relationship_types,
            "added_types": added,
            "approved_roles": [r.name for r in approved],
        },
        access=by_access,
    )
    notify_admins(
        tenant=partner,
        permission=PARTNERS_MANAGE,
        template="invitation_accepted",
        context={
            "customer_name": tenant.name,
            "partner_name": partner.name,
            "types": types.lazy_labels(invitation.relationship_types),
            "roles": catalog.lazy_names(approved),
            "end_at": rel.end_at if rel else None,
        },
    )
    _confirm_to_customer(
        by=by,
        tenant=tenant,
        partner=partner,
        codes=invitation.relationship_types,
        roles=approved,
        end_at=rel.end_at if rel else None,
        agreement=agreement_accepted_now,
    )
    return relationship


def _confirm_to_customer(*, by, tenant, partner, codes, roles, end_at, agreement) -> None:
    """The customer's own confirmation: mailed to its admins (the one who accepted too)."""
    # Labels stay lazy: each mail is rendered in its recipient's language.
    rows = [{"label": types.get(c).label, "unlocks": types.get(c).unlocks} for c in codes]
    current = agreement or agreements.current_version()
    notify_admins(
        tenant=tenant,
        permission=PARTNERS_MANAGE,
        template="partner_authorised",
        context={
            "customer_name": tenant.name,
            "partner_name": partner.name,
            "accepted_by": by.name or by.email,
            "accepted_by_email": by.email,
            "types": rows,
            "roles": [r.name for r in roles],
            "end_at": end_at,
            "agreement_version": current.version if current else "",
            "agreement_title": current.title if current else "",
            "agreement_accepted_now": agreement is not None,
            "relationship_url": settings.SITE_URL
            + reverse("partner_relationship", args=[tenant.pk, partner.pk]),
        },
    )


@transaction.atomic
def decline_invitation(*, by, tenant, token: str | None = None, relationship_id=None) -> Invitation:
    """Decline an invitation (by token or relationship id); the partner is told."""
    by_access = access.require_own(by, tenant, PARTNERS_MANAGE)
    invitation = _locked_invitation(token, relationship_id)
    _check_tenant(invitation, tenant)
    _steps.require_pending(invitation)
    _steps.close_invitation(invitation, "decline", by=by)
    if invitation.customer_id is None:
        # Answered for this tenant: it stays in its list (and leaves the addressee's others).
        invitation.customer = tenant
        invitation.save(update_fields=["customer"])
    record(
        "invitation.declined",
        actor=by,
        target_tenant=tenant,
        acting_tenant=tenant,
        obj=invitation,
        before={"status": Invitation.Status.PENDING},
        after={"status": invitation.status, "partner": invitation.partner.name},
        access=by_access,
    )
    notify_admins(
        tenant=invitation.partner,
        permission=PARTNERS_MANAGE,
        template="invitation_declined",
        context={"customer_name": tenant.name, "email": invitation.email},
    )
    return invitation
