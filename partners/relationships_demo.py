"""Demo invitations and relationships (seed_demo step, after the directory's).

Goes through the services, as the partner's and the customer's admins would, so the demo
tenants' audit logs tell the story: Contoso invited Fabrikam, Fabrikam accepted the
agreement and approved Helpdesk Administrator for 45 days, Contoso gave it to its
"Helpdesk agents" group. A second, pending invitation waits in Fabrikam's mailbox; its
link is printed (tokens are stored only as hashes, so a re-run issues a fresh link).
"""

from datetime import timedelta

from partners import invitations
from partners.models import Invitation, PartnerProfile, PartnerRelationship
from roles import services as gdap
from roles.permissions import HELPDESK_ADMIN, role_id
from tenants.models import SecurityGroup, Tenant, User


def seed(command) -> None:
    customer = Tenant.objects.filter(slug="fabrikam").first()
    partner = Tenant.objects.filter(slug="contoso").first()
    if customer is None or partner is None:
        return
    partner_admin = User.objects.get(email="admin@contoso.example")
    customer_admin = User.objects.get(email="admin@fabrikam.example")
    if not PartnerRelationship.objects.filter(customer=customer, partner=partner).exists():
        _accepted_relationship(customer, partner, customer_admin, partner_admin)
    link = _pending_invitation(customer)
    command.stdout.write("  relationships: Contoso works for Fabrikam (GDAP Helpdesk, reseller)")
    if link:
        command.stdout.write(f"  pending invitation for Fabrikam: {link}")


def _accepted_relationship(customer, partner, customer_admin, partner_admin) -> None:
    invitation, token = invitations.send_invitation(
        by=partner_admin,
        partner=partner,
        email=customer_admin.email,
        relationship_types=["gdap", "reseller"],
        customer=customer,
        message="As discussed: helpdesk support for your team, and your Microsoft 365 licences.",
        gdap_request={
            "display_name": "Fabrikam helpdesk",
            "duration": timedelta(days=45),  # inside the 60-day "ending soon" panel
            "role_ids": [role_id(HELPDESK_ADMIN)],
            "auto_extend_duration": timedelta(0),
        },
    )
    invitations.accept_invitation(
        by=customer_admin, token=token, tenant=customer, accept_agreement=True
    )
    group = SecurityGroup.objects.filter(tenant=partner, name="Helpdesk agents").first()
    if group is not None:
        gdap.create_access_assignment(
            by=partner_admin,
            partner=partner,
            relationship_id=invitation.gdap_relationship_id,
            security_group_id=group.pk,
            role_ids=[role_id(HELPDESK_ADMIN)],
        )


def _pending_invitation(customer) -> str:
    """A second partner's invitation, pending; returns its approval link."""
    profile = (
        PartnerProfile.objects.filter(is_certified=True, tenant__slug__startswith="demo-partner-")
        .select_related("tenant")
        .order_by("tenant__slug")
        .first()
    )
    if profile is None:
        return ""
    pending = Invitation.objects.filter(
        partner=profile.tenant, customer=customer, status=Invitation.Status.PENDING
    ).first()
    raw, token_hash = invitations.new_token()
    if pending is not None:
        # Fixture data: replace the token so the printed link works after a re-run.
        pending.token_hash = token_hash
        pending.save(update_fields=["token_hash"])
    else:
        types = [c for c in profile.relationship_type_codes if c in ("reseller", "isv", "oem")]
        Invitation.objects.create(
            partner=profile.tenant,
            email="admin@fabrikam.example",
            customer=customer,
            relationship_types=types or ["isv"],
            message="We would like to work with Fabrikam.",
            token_hash=token_hash,
            expires_at=invitations.default_expiry(),
        )
    return invitations.approval_url(raw)
