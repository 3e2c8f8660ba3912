"""Ten partners' invitations accepted by one customer at once: the customer agreement is
accepted once, with one `agreement.accepted` event (issue 13: it was one row and four
events). PostgreSQL: real concurrent transactions; skipped without it, failed in CI."""

import threading
import time

import pytest
from django.db import connection

from agreements.defaults import publish_default
from agreements.models import AgreementAcceptance, AgreementVersion
from audit.models import AuditEvent
from relationships import services
from relationships.models import Invitation, PartnerRelationship
from relationships.services import _steps
from tests.factories import TenantFactory, member
from tests.partners.conftest import make_listing

pytestmark = pytest.mark.postgres

PARTNERS = 10


def _invitations(count):
    tokens = []
    for n in range(count):
        partner = TenantFactory(name=f"Partner {n}", slug=f"partner-{n}")
        admin = member(partner, "Global Administrator", email=f"admin@partner{n}.example")
        make_listing(f"Partner {n}", tenant=partner, relationship_types=("reseller",))
        _invitation, token = services.send_invitation(
            by=admin,
            partner=partner,
            email="alice@fabrikam.example",
            relationship_types=["reseller"],
        )
        tokens.append(token)
    return tokens


def test_parallel_acceptances_accept_the_agreement_once(
    postgres_transactional, customer, customer_admin, monkeypatch
):
    publish_default(AgreementVersion)  # the flush removed the data migration's version
    tokens = _invitations(PARTNERS)
    # Hold each transaction open a moment, so that they really overlap.
    slow = _steps.add_types

    def add_types_slowly(**kwargs):
        time.sleep(0.2)
        return slow(**kwargs)

    monkeypatch.setattr(_steps, "add_types", add_types_slowly)
    barrier = threading.Barrier(PARTNERS)
    outcomes: dict = {}

    def accept(token):
        try:
            barrier.wait(timeout=20)
            services.accept_invitation(
                by=customer_admin, token=token, tenant=customer, accept_agreement=True
            )
            outcomes[token] = "accepted"
        except Exception as exc:  # surfaced in the assertion below
            outcomes[token] = repr(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=accept, args=(t,)) for t in tokens]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert list(outcomes.values()) == ["accepted"] * PARTNERS, outcomes
    assert AgreementAcceptance.objects.filter(tenant=customer).count() == 1
    assert AuditEvent.objects.filter(action="agreement.accepted").count() == 1
    assert AuditEvent.objects.filter(action="invitation.accepted").count() == PARTNERS
    assert PartnerRelationship.objects.filter(customer=customer).count() == PARTNERS
    assert Invitation.objects.filter(status=Invitation.Status.ACCEPTED).count() == PARTNERS


def test_parallel_accepts_of_the_agreement_page_record_it_once(
    postgres_transactional, customer, customer_admin, billing_admin
):
    from agreements.selectors import current_version
    from agreements.services import accept_agreement

    publish_default(AgreementVersion)
    version = current_version()
    barrier = threading.Barrier(4)
    outcomes = []

    def accept(user):
        try:
            barrier.wait(timeout=20)
            accept_agreement(by=user, tenant=customer, version=version.version, attest=True)
            outcomes.append("ok")
        except Exception as exc:
            outcomes.append(repr(exc))
        finally:
            connection.close()

    users = [customer_admin, billing_admin, customer_admin, billing_admin]
    threads = [threading.Thread(target=accept, args=(u,)) for u in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert outcomes == ["ok"] * 4
    assert AgreementAcceptance.objects.filter(tenant=customer).count() == 1
    assert AuditEvent.objects.filter(action="agreement.accepted").count() == 1


def test_a_second_invitation_later_does_not_accept_again(db, customer, customer_admin):
    """The sequential case, on any database."""
    publish_default(AgreementVersion)
    first, second = _invitations(2)
    for token in (first, second):
        services.accept_invitation(
            by=customer_admin, token=token, tenant=customer, accept_agreement=True
        )

    assert AuditEvent.objects.filter(action="agreement.accepted").count() == 1
