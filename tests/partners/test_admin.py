"""Support staff certify and revoke partners in Django admin; each is one audit event."""

from audit.models import AuditEvent
from partners.models import PartnerProfile
from tests.partners.conftest import make_listing

CHANGELIST = "/admin/partners/partnerprofile/"


def test_support_agent_certifies_a_partner(client_as, support_staff, db):
    profile = make_listing("Waiting Ltd", certified=False)
    client = client_as(support_staff)
    assert client.get("/api/v1/directory/partners").json()["count"] == 0
    r = client.post(CHANGELIST, {"action": "certify", "_selected_action": [str(profile.pk)]})
    assert r.status_code == 302
    profile.refresh_from_db()
    assert profile.is_certified
    assert profile.certified_by == support_staff
    events = AuditEvent.objects.all()
    assert [e.action for e in events] == ["partner.certified"]
    assert events[0].actor_kind == "staff"
    assert events[0].target_tenant_id == profile.pk
    assert client.get("/api/v1/directory/partners").json()["count"] == 1


def test_certifying_twice_writes_one_event(client_as, support_staff, db):
    profile = make_listing("Waiting Ltd", certified=False)
    client = client_as(support_staff)
    for _ in range(2):
        client.post(CHANGELIST, {"action": "certify", "_selected_action": [str(profile.pk)]})
    assert AuditEvent.objects.filter(action="partner.certified").count() == 1


def test_support_agent_revokes_certification(client_as, support_staff, db):
    profile = make_listing("Listed Ltd")
    r = client_as(support_staff).post(
        CHANGELIST,
        {
            "action": "revoke_certification",
            "_selected_action": [str(profile.pk)],
            "confirm": "yes",
        },
    )
    assert r.status_code == 302
    profile.refresh_from_db()
    assert not profile.is_certified
    assert [e.action for e in AuditEvent.objects.all()] == ["partner.certification_revoked"]
    assert client_as(support_staff).get("/api/v1/directory/partners").json()["count"] == 0


def test_curated_lists_and_leads_are_in_admin(client_as, support_staff, db):
    from tests.factories import UserFactory

    superuser = UserFactory(email="root@support.example", is_staff=True, is_superuser=True)
    client = client_as(superuser)
    for path in ["industry", "product", "service", "organizationsize", "lead", "partnerprofile"]:
        assert client.get(f"/admin/partners/{path}/").status_code == 200
    r = client.post(
        "/admin/partners/industry/add/", {"name": "Space travel", "slug": "space", "position": 5}
    )
    assert r.status_code == 302
    assert PartnerProfile.objects.count() == 0


def test_customer_admin_cannot_certify(customer_admin):
    import pytest

    from core.errors import PermissionDenied
    from partners import services

    profile = make_listing("Waiting Ltd", certified=False)
    with pytest.raises(PermissionDenied):
        services.certify_partner(by=customer_admin, tenant_id=profile.pk)
