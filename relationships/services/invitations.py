"""Invitations from the partner's side: send, resend, cancel (also by support staff),
expire, and the invitation behind a GDAP relationship sent for approval.

Each service: one transaction, a permission check through the access resolver, its audit
event(s), mail queued on commit through the outbox.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record
from core.errors import NotFound, RateLimited, ValidationError
from core.scoping import get_in_tenant_or_404
from core.statemachine import transition
from notifications.services import queue_mail
from partners import relationship_types as types
from partners.models import LEAD_TRANSITIONS, Lead
from relationships.models import Invitation
from relationships.rules import RESEND_INTERVAL, require_partner
from relationships.services import _steps
from relationships.tokens import approval_url, default_expiry, new_token
from roles import access, catalog
from roles.permissions import PARTNERS_MANAGE
from tenants.models import User

Status = Invitation.Status


def _validate_types(profile, codes) -> list[str]:
    codes = list(dict.fromkeys(codes or []))
    if not codes:
        raise ValidationError(
            _("Choose at least one relationship type."),
            errors={"relationship_types": [_("Choose at least one.")]},
        )
    unknown = [c for c in codes if c not in types.BY_CODE]
    if unknown:
        raise ValidationError(
            _("Unknown relationship type: %(codes)s.") % {"codes": ", ".join(unknown)},
            errors={"relationship_types": [_("Unknown type.")]},
        )
    not_assignable = [c for c in codes if not types.get(c).assignable]
    if not_assignable:
        raise ValidationError(
            _("Not available to assign: %(types)s.")
            % {"types": ", ".join(types.label(c) for c in not_assignable)},
            errors={"relationship_types": [_("Not available to assign.")]},
        )
    offered = set(profile.relationship_type_codes)
    missing = [c for c in codes if c not in offered]
    if missing:
        raise ValidationError(
            _("Your partner profile does not offer: %(types)s.")
            % {"types": ", ".join(types.label(c) for c in missing)},
            errors={"relationship_types": [_("Not offered in your partner profile.")]},
        )
    return codes


def _validate_gdap(codes, gdap_request) -> None:
    """The roles asked for must be allowed by one of the invitation's types."""
    role_types = [types.get(c) for c in codes if types.get(c).asks_for_roles]
    if not role_types:
        raise ValidationError(
            _("Admin roles need the GDAP or advisor relationship type."),
            errors={"gdap": [_("Add the GDAP or advisor type to ask for roles.")]},
        )
    roles = catalog.get_roles(gdap_request.get("role_ids") or [])
    refused = [r.name for r in roles if not any(t.may_ask_for(r) for t in role_types)]
    if refused:
        raise ValidationError(
            _("These relationship types cannot ask for: %(roles)s.")
            % {"roles": ", ".join(refused)},
            errors={"gdap": [_("Role not allowed for the chosen types.")]},
        )


@transaction.atomic
def send_invitation(
    *,
    by,
    partner,
    email: str,
    relationship_types,
    customer=None,
    message: str = "",
    lead_id=None,
    gdap_request: dict | None = None,
) -> tuple[Invitation, str]:
    """Invite a customer by email; returns the invitation and its raw token (never stored)."""
    by_access = access.require_own(by, partner, PARTNERS_MANAGE)
    profile = require_partner(partner)
    email = User.objects.normalize_email((email or "").strip()).lower()
    if "@" not in email:
        raise ValidationError(
            _("Enter a valid email address."), errors={"email": [_("Enter a valid email.")]}
        )
    codes = _validate_types(profile, relationship_types)
    if customer is not None and customer.pk == partner.pk:
        raise ValidationError(
            _("A partner cannot invite its own tenant."),
            errors={"customer_tenant_id": [_("Choose another tenant.")]},
        )
    lead = None
    if lead_id:
        lead = get_in_tenant_or_404(
            Lead.objects.select_for_update(), partner, tenant_field="partner", pk=lead_id
        )
        if customer is None:
            customer = lead.customer
    rel = None
    if gdap_request:
        _validate_gdap(codes, gdap_request)
        rel = _steps.build_request(by=by, partner=partner, customer=customer, **gdap_request)
    elif any(types.get(c).code == types.GDAP for c in codes):
        raise ValidationError(
            _("A GDAP invitation needs the roles, duration and display name it asks for."),
            errors={"gdap": [_("Required with the GDAP type.")]},
        )
    raw, token_hash = new_token()
    invitation = Invitation.objects.create(
        partner=partner,
        email=email,
        customer=customer,
        relationship_types=codes,
        message=(message or "").strip()[:2000],
        lead=lead,
        gdap_relationship=rel,
        token_hash=token_hash,
        expires_at=default_expiry(),
        created_by=by,
    )
    if lead is not None and lead.status == Lead.Status.NEW:
        transition(lead, "contact", LEAD_TRANSITIONS)
        lead.status_changed_at = timezone.now()
        lead.save(update_fields=["status", "status_changed_at"])
    record(
        "invitation.sent",
        actor=by,
        target_tenant=customer,
        acting_tenant=partner,
        obj=invitation,
        after={
            "email": email,
            "relationship_types": codes,
            "gdap": _gdap_summary(rel),
            "lead": str(lead.pk) if lead else None,
        },
        access=by_access,
    )
    _mail_invitation(invitation, raw)
    return invitation, raw


def _gdap_summary(rel) -> dict | None:
    if rel is None:
        return None
    return {
        "id": str(rel.pk),
        "display_name": rel.display_name,
        "duration_days": rel.duration.days,
        "roles": sorted(r.name for r in rel.requested_roles.all()),
    }


def _mail_invitation(invitation: Invitation, raw: str) -> None:
    rel = invitation.gdap_relationship
    invited = User.objects.filter(email__iexact=invitation.email).only("language").first()
    queue_mail(
        to=invitation.email,
        template="invitation",
        secrets=("approval_url",),
        context={
            "partner_name": getattr(invitation.partner, "partner_profile", invitation.partner).name,
            "message": invitation.message,
            "approval_url": approval_url(raw),
            "types": types.lazy_labels(invitation.relationship_types),
            "roles": catalog.lazy_names(rel.requested_roles.all()) if rel else [],
            "duration_days": rel.duration.days if rel else None,
            "expires_at": invitation.expires_at,
        },
        language=(invited.language if invited else "") or None,
    )


def _lock_partner_invitation(partner, invitation_id) -> Invitation:
    return get_in_tenant_or_404(
        Invitation.objects.select_for_update(of=("self",)).select_related(
            "partner__partner_profile", "gdap_relationship"
        ),
        partner,
        tenant_field="partner",
        pk=invitation_id,
    )


@transaction.atomic
def resend_invitation(*, by, partner, invitation_id) -> tuple[Invitation, str]:
    """Send again with a new link (the old one stops working) and a fresh expiry."""
    by_access = access.require_own(by, partner, PARTNERS_MANAGE)
    invitation = _lock_partner_invitation(partner, invitation_id)
    raw = _resend(invitation, by=by, access_=by_access)
    return invitation, raw


@transaction.atomic
def cancel_invitation(*, by, partner, invitation_id) -> Invitation:
    """Withdraw a pending invitation; its link stops working."""
    by_access = access.require_own(by, partner, PARTNERS_MANAGE)
    invitation = _lock_partner_invitation(partner, invitation_id)
    _cancel(invitation, by=by, access_=by_access)
    return invitation


# Support staff (Django admin): the same acts, allowed by a Django permission instead of a
# role in the partner tenant, and audited as support staff. The new raw token is only mailed.


def _lock_invitation_for_support(invitation_id) -> Invitation:
    invitation = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("partner__partner_profile", "gdap_relationship")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None:
        raise NotFound()
    return invitation


@transaction.atomic
def resend_invitation_as_support(*, by, invitation_id) -> Invitation:
    """Support staff resend an invitation: a new link, mailed to the invited address only."""
    access.require_staff(by, "relationships.change_invitation")
    invitation = _lock_invitation_for_support(invitation_id)
    _resend(invitation, by=by, access_=None)
    return invitation


@transaction.atomic
def cancel_invitation_as_support(*, by, invitation_id) -> Invitation:
    """Support staff withdraw a pending invitation (on the partner's or customer's request)."""
    access.require_staff(by, "relationships.change_invitation")
    invitation = _lock_invitation_for_support(invitation_id)
    _cancel(invitation, by=by, access_=None)
    return invitation


def _resend(invitation: Invitation, *, by, access_) -> str:
    _steps.require_pending(invitation)
    now = timezone.now()
    if now - invitation.last_sent_at < RESEND_INTERVAL:
        raise RateLimited(_("An invitation can be resent once every 10 minutes."))
    raw, invitation.token_hash = new_token()
    invitation.expires_at = default_expiry()
    invitation.last_sent_at = now
    invitation.resent_count += 1
    invitation.save(update_fields=["token_hash", "expires_at", "last_sent_at", "resent_count"])
    record(
        "invitation.resent",
        actor=by,
        target_tenant=invitation.customer,
        acting_tenant=invitation.partner,
        obj=invitation,
        after={"resent_count": invitation.resent_count, "expires_at": invitation.expires_at},
        access=access_,
    )
    _mail_invitation(invitation, raw)
    return raw


def _cancel(invitation: Invitation, *, by, access_) -> None:
    _steps.require_pending(invitation)
    _steps.close_invitation(invitation, "cancel", by=by)
    record(
        "invitation.cancelled",
        actor=by,
        target_tenant=invitation.customer,
        acting_tenant=invitation.partner,
        obj=invitation,
        before={"status": Status.PENDING},
        after={"status": invitation.status},
        access=access_,
    )


def expire_stale(*, at=None, batch_size: int = 500) -> int:
    """Beat job: mark pending invitations past their expiry expired (and their GDAP requests)."""
    at = at or timezone.now()
    with transaction.atomic():
        stale = list(
            Invitation.objects.filter(status=Status.PENDING, expires_at__lte=at)
            .select_for_update(skip_locked=True, of=("self",))
            .select_related("gdap_relationship")
            .order_by("expires_at")[:batch_size]
        )
        for invitation in stale:
            _steps.close_invitation(invitation, "expire")
            record(
                "invitation.expired",
                target_tenant=invitation.customer,
                acting_tenant=invitation.partner_id,
                obj=invitation,
                after={"status": invitation.status},
                system=True,
            )
    return len(stale)


def create_for_relationship(*, by, rel, email: str = "") -> tuple[Invitation, str]:
    """The invitation behind lockForApproval (inside the caller's transaction and audit)."""
    raw, token_hash = new_token()
    invitation = Invitation.objects.create(
        partner=rel.partner,
        email=(email or "").strip().lower(),
        customer=rel.customer,
        relationship_types=[types.GDAP],
        gdap_relationship=rel,
        token_hash=token_hash,
        expires_at=default_expiry(),
        created_by=by,
    )
    if invitation.email and hasattr(rel.partner, "partner_profile"):
        _mail_invitation(invitation, raw)
    return invitation, raw
