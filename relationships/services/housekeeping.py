"""The partner's housekeeping: internal reference notes on invitations and GDAP requests,
cancelling many old invitations at once, switching auto-extend on many relationships.

Each reference change: one transaction, partners.manage in the partner's own tenant, one
audit event (none when nothing changes). The bulk actions call the single action once per
item, each in its own transaction with its own audit event, and report per id.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import record
from core.errors import DomainError, NotFound, ValidationError
from core.scoping import get_in_tenant_or_404
from relationships.models import REFERENCE_MAX, DelegatedAdminRelationship, Invitation
from relationships.services.gdap import set_auto_extend
from relationships.services.invitations import cancel_invitation
from roles import access
from roles.permissions import PARTNERS_MANAGE


def _clean_reference(reference) -> str:
    value = " ".join(str(reference or "").split())
    if "\x00" in value or len(value) > REFERENCE_MAX:
        raise ValidationError(
            _("An internal reference has at most %(n)d characters.") % {"n": REFERENCE_MAX},
            errors={"reference": [_("At most %(n)d characters.") % {"n": REFERENCE_MAX}]},
        )
    return value


def _set_reference(obj, reference: str, *, action: str, by, partner, by_access):
    value = _clean_reference(reference)
    if value == obj.reference:
        return obj
    before = obj.reference
    obj.reference = value
    obj.save(update_fields=["reference"])
    record(
        action,
        actor=by,
        target_tenant=partner,
        acting_tenant=partner,
        obj=obj,
        before={"reference": before},
        after={"reference": value},
        access=by_access,
    )
    return obj


@transaction.atomic
def set_invitation_reference(*, by, partner, invitation_id, reference: str) -> Invitation:
    """The partner's internal reference on one of its invitations (the customer never sees it)."""
    by_access = access.require_own(by, partner, PARTNERS_MANAGE)
    invitation = get_in_tenant_or_404(
        Invitation.objects.select_for_update(of=("self",)),
        partner,
        tenant_field="partner",
        pk=invitation_id,
    )
    return _set_reference(
        invitation,
        reference,
        action="invitation.reference_changed",
        by=by,
        partner=partner,
        by_access=by_access,
    )


@transaction.atomic
def set_relationship_reference(
    *, by, partner, relationship_id, reference: str
) -> DelegatedAdminRelationship:
    """The partner's internal reference on one of its GDAP relationships, in any status."""
    by_access = access.require_own(by, partner, PARTNERS_MANAGE)
    rel = get_in_tenant_or_404(
        DelegatedAdminRelationship.objects.select_for_update(of=("self",)),
        partner,
        tenant_field="partner",
        pk=relationship_id,
    )
    return _set_reference(
        rel,
        reference,
        action="gdap.reference_changed",
        by=by,
        partner=partner,
        by_access=by_access,
    )


@dataclass(frozen=True)
class Outcome:
    """What happened to one item of a bulk action."""

    id: str
    ok: bool
    code: str = ""
    detail: str = ""


def _each(ids, act) -> list[Outcome]:
    outcomes = []
    for item_id in dict.fromkeys(str(i) for i in ids or []):
        try:
            act(item_id)
        except NotFound:
            outcomes.append(Outcome(item_id, False, "not_found", str(_("Not found."))))
        except DomainError as exc:
            outcomes.append(Outcome(item_id, False, exc.code, exc.detail))
        else:
            outcomes.append(Outcome(item_id, True))
    return outcomes


def cancel_invitations(*, by, partner, invitation_ids) -> list[Outcome]:
    """Cancel many pending invitations, one transaction and one audit event each."""
    access.require_own(by, partner, PARTNERS_MANAGE)
    return _each(
        invitation_ids,
        lambda i: cancel_invitation(by=by, partner=partner, invitation_id=i),
    )


def set_auto_extend_many(*, by, tenant, relationship_ids, enabled: bool) -> list[Outcome]:
    """Switch auto-extend on many relationships: set_auto_extend once per relationship."""
    access.require_own(by, tenant, PARTNERS_MANAGE)
    return _each(
        relationship_ids,
        lambda i: set_auto_extend(by=by, tenant=tenant, relationship_id=i, enabled=enabled),
    )
