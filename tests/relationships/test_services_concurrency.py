"""Two admins accept the same invitation at once: exactly one wins (PostgreSQL row locks)."""

import threading
import time
import uuid
from datetime import timedelta

import pytest
from django.db import connection

from agreements.defaults import publish_default
from agreements.models import AgreementAcceptance, AgreementVersion
from audit.models import AuditEvent
from core.errors import InvalidState
from relationships import services
from relationships.models import DelegatedAdminRelationship, Invitation, PartnerRelationship
from relationships.services import _steps
from tests.relationships.conftest import HELPDESK

pytestmark = pytest.mark.postgres


@pytest.mark.parametrize("with_gdap", [False, True], ids=["types_only", "with_gdap"])
def test_two_admins_accepting_at_once_one_wins(
    with_gdap,
    postgres_transactional,
    partner_profile,
    partner_admin,
    partner_tenant,
    customer,
    customer_admin,
    billing_admin,
    monkeypatch,
):
    publish_default(AgreementVersion)  # the flush removed the data migration's version
    _invitation, token = services.send_invitation(
        by=partner_admin,
        partner=partner_tenant,
        email="alice@fabrikam.example",
        relationship_types=["gdap", "reseller"] if with_gdap else ["reseller"],
        gdap_request={
            "display_name": "Contoso helpdesk",
            "duration": timedelta(days=90),
            "role_ids": [uuid.UUID(HELPDESK)],
            "auto_extend_duration": timedelta(0),
        }
        if with_gdap
        else None,
    )
    # Hold the winner's transaction open a moment so the other really waits on the lock.
    slow = _steps.add_types

    def add_types_slowly(**kwargs):
        time.sleep(0.3)
        return slow(**kwargs)

    monkeypatch.setattr(_steps, "add_types", add_types_slowly)
    barrier = threading.Barrier(2)
    outcomes: dict = {}

    def accept_as(user):
        try:
            barrier.wait(timeout=10)
            services.accept_invitation(by=user, token=token, tenant=customer, accept_agreement=True)
            outcomes[user.email] = "won"
        except InvalidState:
            outcomes[user.email] = "invalid_state"
        except Exception as exc:  # surfaced in the assertion below
            outcomes[user.email] = repr(exc)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=accept_as, args=(u,)) for u in (customer_admin, billing_admin)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes.values()) == ["invalid_state", "won"], outcomes
    assert PartnerRelationship.objects.count() == 1
    assert AuditEvent.objects.filter(action="invitation.accepted").count() == 1
    assert AuditEvent.objects.filter(action="gdap.approved").count() == int(with_gdap)
    assert AgreementAcceptance.objects.count() == 1
    invitation = Invitation.objects.get()
    assert invitation.status == Invitation.Status.ACCEPTED
    winner = next(email for email, outcome in outcomes.items() if outcome == "won")
    assert invitation.responded_by.email == winner
    if with_gdap:
        assert DelegatedAdminRelationship.objects.get().status == "active"
