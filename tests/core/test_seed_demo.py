"""seed_demo builds the whole demo and a second run changes nothing."""

from io import StringIO

from django.core.management import call_command

from audit.models import AuditEvent
from billing.models import Subscription
from devices.models import AutopilotDevice
from partners.models import PartnerProfile
from relationships.models import DelegatedAdminRelationship, Invitation, PartnerRelationship
from roles import access
from roles.permissions import USERS_RESET_PASSWORD
from tenants.models import Membership, Tenant, User


def counts() -> dict:
    return {
        model.__name__: model.objects.count()
        for model in (
            Tenant,
            User,
            Membership,
            PartnerProfile,
            PartnerRelationship,
            Invitation,
            DelegatedAdminRelationship,
            Subscription,
            AutopilotDevice,
            AuditEvent,
        )
    }


def test_seed_demo_is_complete_and_idempotent(db):
    out = StringIO()
    call_command("seed_demo", stdout=out)
    first = counts()
    call_command("seed_demo", stdout=StringIO())

    assert counts() == first
    assert "admin@fabrikam.example" in out.getvalue()
    assert "/invitations/" in out.getvalue()  # the pending invitation's link
    assert first["PartnerProfile"] >= 200
    fabrikam = Tenant.objects.get(slug="fabrikam")
    agent = User.objects.get(email="agent@contoso.example")
    # The demo partner agent works in Fabrikam through GDAP.
    assert access.has_permission(agent, fabrikam, USERS_RESET_PASSWORD)
    assert Invitation.objects.filter(customer=fabrikam, status="pending").count() == 1
