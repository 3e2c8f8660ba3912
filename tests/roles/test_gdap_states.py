"""The GDAP status table: every move it lists works, every other move is invalid_state.

Each (status, event) pair runs through the service (or the API) that performs the event.
"""

import pytest
from django.db import transaction
from django.urls import reverse

from audit.models import AuditEvent
from core.errors import InvalidState
from relationships.models import DelegatedAdminRelationship
from relationships.services import _steps
from relationships.states import GDAP_TRANSITIONS as TRANSITIONS
from tests.gdap_factories import DelegatedAdminRelationshipFactory, require_invitations

pytestmark = pytest.mark.django_db

Status = DelegatedAdminRelationship.Status
EVENTS = sorted({event for _status, event in TRANSITIONS})
PAIRS = [(status, event) for status in Status.values for event in EVENTS]


def test_the_table_matches_the_design():
    assert TRANSITIONS == {
        (Status.CREATED, "lock_for_approval"): Status.APPROVAL_PENDING,
        (Status.APPROVAL_PENDING, "approve"): Status.ACTIVE,
        (Status.APPROVAL_PENDING, "decline"): Status.DECLINED,
        (Status.APPROVAL_PENDING, "expire"): Status.EXPIRED,
        (Status.ACTIVE, "expire"): Status.EXPIRED,
        (Status.ACTIVE, "terminate"): Status.TERMINATED,
    }
    assert set(EVENTS) == {"lock_for_approval", "approve", "decline", "expire", "terminate"}


def _perform(event, rel, *, api, partner, customer):
    """Run event on rel; returns an HTTP response for API events, else None."""
    if event == "lock_for_approval":
        return api.post(
            reverse("api-gdap-requests", args=[partner.pk, rel.pk]),
            {"action": "lockForApproval"},
            format="json",
        )
    if event == "terminate":
        return api.post(
            reverse("api-gdap-requests", args=[partner.pk, rel.pk]),
            {"action": "terminate"},
            format="json",
        )
    with transaction.atomic():
        locked = DelegatedAdminRelationship.objects.select_for_update().get(pk=rel.pk)
        if event == "approve":
            _steps.activate(by=None, customer=customer, rel=locked, approved_role_ids=None)
        elif event == "decline":
            _steps.decline(locked)
        elif event == "expire":
            _steps.end_grant(locked, "expire")
    return None


@pytest.mark.parametrize(("status", "event"), PAIRS)
def test_status_table(api_as, partner_tenant, partner_admin, customer, status, event):
    allowed = (status, event) in TRANSITIONS
    if allowed and event == "lock_for_approval":
        require_invitations()
    rel = DelegatedAdminRelationshipFactory(
        partner=partner_tenant, customer=customer, status=status
    )
    api = api_as(partner_admin)
    events_before = AuditEvent.objects.count()

    try:
        response = _perform(event, rel, api=api, partner=partner_tenant, customer=customer)
    except InvalidState:
        assert not allowed, f"{status} --{event}--> should be allowed"
        refused = True
    else:
        if response is not None:
            assert response.status_code in (201, 409), response.content
            refused = response.status_code == 409
            if refused:
                assert response.json()["code"] == "invalid_state"
        else:
            refused = False

    rel.refresh_from_db()
    if allowed:
        assert not refused, f"{status} --{event}--> was refused"
        assert rel.status == TRANSITIONS[(status, event)]
    else:
        assert refused, f"{status} --{event}--> should be refused"
        assert rel.status == status
        assert AuditEvent.objects.count() == events_before


def test_approval_sets_activation_and_end(partner_tenant, customer):
    rel = DelegatedAdminRelationshipFactory(
        partner=partner_tenant,
        customer=None,
        status=Status.APPROVAL_PENDING,
        roles=["Helpdesk Administrator", "User Administrator"],
    )
    helpdesk = rel.requested_roles.get(name="Helpdesk Administrator")

    with transaction.atomic():
        approved = _steps.activate(
            by=None, customer=customer, rel=rel, approved_role_ids=[helpdesk.id]
        )

    rel.refresh_from_db()
    assert [r.name for r in approved] == ["Helpdesk Administrator"]
    assert rel.status == Status.ACTIVE
    assert rel.customer == customer
    assert rel.end_at == rel.activated_at + rel.duration
    assert list(rel.approved_roles.values_list("name", flat=True)) == ["Helpdesk Administrator"]


def test_approving_a_role_that_was_not_requested_is_refused(partner_tenant, customer):
    from core.errors import ValidationError
    from roles.permissions import GLOBAL_ADMIN_ID

    rel = DelegatedAdminRelationshipFactory(
        partner=partner_tenant, customer=customer, status=Status.APPROVAL_PENDING
    )

    with pytest.raises(ValidationError), transaction.atomic():
        _steps.activate(by=None, customer=customer, rel=rel, approved_role_ids=[GLOBAL_ADMIN_ID])

    rel.refresh_from_db()
    assert rel.status == Status.APPROVAL_PENDING
