"""Audit: append only (ORM, admin, PostgreSQL trigger), admin changes recorded, the API."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import DatabaseError, transaction

from audit.models import AppendOnlyError, AuditEvent
from audit.services import record
from tests.factories import SecurityGroupFactory, TenantFactory, UserFactory, member


@pytest.fixture
def event(customer, customer_admin):
    return record(
        "tenant.renamed",
        actor=customer_admin,
        target_tenant=customer,
        obj=customer,
        before={"name": "Old"},
        after={"name": "New"},
    )


# Append only ---------------------------------------------------------------------------


def test_record_writes_who_what_where(customer, customer_admin, event):
    event = AuditEvent.objects.get(pk=event.pk)

    assert event.action == "tenant.renamed"
    assert event.actor == customer_admin
    assert event.actor_email == customer_admin.email
    assert event.actor_kind == "user"
    assert event.target_tenant == customer
    assert event.acting_tenant == customer
    assert event.object_type == "tenants.tenant"
    assert event.object_id == str(customer.pk)
    assert event.before == {"name": "Old"}
    assert event.after == {"name": "New"}


def test_system_events_have_no_actor(customer):
    event = record("relationship.expired", target_tenant=customer, system=True)

    assert event.actor is None
    assert event.actor_kind == "system"


def test_saving_an_existing_event_is_refused(event):
    event.action = "tenant.deleted"

    with pytest.raises(AppendOnlyError):
        event.save()

    assert AuditEvent.objects.get(pk=event.pk).action == "tenant.renamed"


def test_deleting_an_event_is_refused(event):
    with pytest.raises(AppendOnlyError):
        event.delete()

    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_queryset_update_and_delete_are_refused(event):
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(action="tenant.deleted")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.update(action="x")
    # bulk_update opens an atomic block without a savepoint: give it one of its own.
    with pytest.raises(AppendOnlyError), transaction.atomic():
        event.action = "x"
        AuditEvent.objects.bulk_update([event], ["action"])

    assert AuditEvent.objects.get(pk=event.pk).action == "tenant.renamed"


def test_database_refuses_sql_update_of_events(postgres, event):
    with (
        pytest.raises(DatabaseError, match="append only"),
        transaction.atomic(),
        postgres.cursor() as cursor,
    ):
        cursor.execute("UPDATE audit_auditevent SET action = 'forged' WHERE id = %s", [event.pk])

    assert AuditEvent.objects.get(pk=event.pk).action == "tenant.renamed"


def test_database_refuses_sql_delete_of_events(postgres, event):
    with (
        pytest.raises(DatabaseError, match="append only"),
        transaction.atomic(),
        postgres.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM audit_auditevent")

    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_database_still_accepts_new_events(postgres, event, customer):
    record("tenant.renamed", target_tenant=customer, system=True)

    assert AuditEvent.objects.count() == 2


# Django admin ---------------------------------------------------------------------------


@pytest.fixture
def staff(db):
    return UserFactory(email="sam@support.example", is_staff=True, is_superuser=True)


def test_support_staff_changing_a_tenant_in_admin_is_audited(client, staff):
    tenant = TenantFactory(name="Tailspin", slug="tailspin", country="DE")
    client.force_login(staff)

    response = client.post(
        f"/admin/tenants/tenant/{tenant.pk}/change/",
        {
            "name": "Tailspin Toys",
            "slug": "tailspin",
            "primary_domain": "tailspin.example",
            "country": "AT",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
            "memberships-MIN_NUM_FORMS": "0",
            "memberships-MAX_NUM_FORMS": "1000",
        },
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    tenant.refresh_from_db()
    assert tenant.name == "Tailspin Toys"
    event = AuditEvent.objects.get()
    assert event.action == "admin.object_changed"
    assert event.actor == staff
    assert event.actor_kind == "staff"
    assert event.target_tenant == tenant
    assert event.object_id == str(tenant.pk)
    assert "Name" in event.after["change"]
    assert event.ip == "127.0.0.1"


def test_support_staff_deleting_a_group_in_admin_is_audited(client, staff, customer):
    group = SecurityGroupFactory(tenant=customer, name="Old group")
    client.force_login(staff)

    response = client.post(f"/admin/tenants/securitygroup/{group.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    event = AuditEvent.objects.get()
    assert event.action == "admin.object_deleted"
    assert event.target_tenant == customer
    assert event.before == {"repr": "Old group"}


def test_audit_events_are_read_only_in_admin(client, staff, event):
    client.force_login(staff)

    page = client.get(f"/admin/audit/auditevent/{event.pk}/change/")
    delete = client.post(f"/admin/audit/auditevent/{event.pk}/delete/", {"post": "yes"})
    add = client.get("/admin/audit/auditevent/add/")

    assert page.status_code == 200
    assert b'name="_save"' not in page.content
    assert delete.status_code == 403
    assert add.status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk, action="tenant.renamed").exists()


def test_admin_login_page_is_served_by_allauth(client, db):
    response = client.get("/admin/login/")

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


# GET /tenants/{tid}/audit-events --------------------------------------------------------


def _at(day: int, hour: int = 12) -> datetime:
    return datetime(2026, 3, day, hour, tzinfo=UTC)


@pytest.fixture
def history(customer, customer_admin, outsider):
    for day, action in [
        (1, "tenant.created"),
        (2, "membership.created"),
        (3, "membership.removed"),
    ]:
        with time_machine.travel(_at(day), tick=False):
            record(action, actor=customer_admin, target_tenant=customer)
    with time_machine.travel(_at(2), tick=False):
        record("membership.created", target_tenant=outsider, system=True)


def _actions(response):
    assert response.status_code == 200, response.content
    return [row["action"] for row in response.json()["results"]]


def test_auditor_reads_the_tenants_events_newest_first(api_as, customer, history):
    auditor = member(customer, "Security Reader")

    response = api_as(auditor).get(f"/api/v1/tenants/{customer.pk}/audit-events")

    assert _actions(response) == ["membership.removed", "membership.created", "tenant.created"]
    body = response.json()
    assert body["count"] == 3
    row = body["results"][0]
    assert row["occurred_at"] == "2026-03-03T12:00:00Z"
    assert row["target_tenant"] == {"id": str(customer.pk), "name": "Fabrikam"}
    assert row["actor"]["email"] == "alice@fabrikam.example"
    assert row["actor"]["kind"] == "user"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("action=membership.created", ["membership.created"]),
        ("action=membership.", ["membership.removed", "membership.created"]),
        ("action=membership", []),
        ("since=2026-03-02T12:00:00Z", ["membership.removed", "membership.created"]),
        ("until=2026-03-02T12:00:00Z", ["tenant.created"]),
        ("since=2026-03-02T00:00:00Z&until=2026-03-03T00:00:00Z", ["membership.created"]),
        ("since=2026-03-02", ["membership.removed", "membership.created"]),
    ],
)
def test_audit_events_filter(api_as, customer, customer_admin, history, query, expected):
    response = api_as(customer_admin).get(f"/api/v1/tenants/{customer.pk}/audit-events?{query}")

    assert _actions(response) == expected


@pytest.mark.parametrize("query", ["since=yesterday", "until=2026-13-01", "since=2026-03-02T25:00"])
def test_bad_time_filter_answers_400(api_as, customer, customer_admin, history, query):
    response = api_as(customer_admin).get(f"/api/v1/tenants/{customer.pk}/audit-events?{query}")

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert set(body["errors"]) <= {"since", "until"} and body["errors"]


def test_plain_member_cannot_read_the_audit_log(api_as, customer, plain_member, history):
    response = api_as(plain_member).get(f"/api/v1/tenants/{customer.pk}/audit-events")

    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


def test_billing_admin_cannot_read_the_audit_log(api_as, customer, billing_admin):
    response = api_as(billing_admin).get(f"/api/v1/tenants/{customer.pk}/audit-events")

    assert response.status_code == 403


def test_changes_through_the_api_are_in_the_log_with_the_callers_ip(
    api_as, customer, customer_admin
):
    api = api_as(customer_admin)
    created = api.post(
        f"/api/v1/tenants/{customer.pk}/security-groups", {"name": "Tier 1"}, format="json"
    )
    assert created.status_code == 201

    response = api.get(f"/api/v1/tenants/{customer.pk}/audit-events", REMOTE_ADDR="10.1.2.3")

    rows = response.json()["results"]
    assert [r["action"] for r in rows] == ["security_group.created"]
    assert rows[0]["ip"] == "127.0.0.1"
    assert rows[0]["object_id"] == created.json()["id"]


def test_old_events_fall_outside_a_recent_since(api_as, customer, customer_admin):
    with time_machine.travel(datetime.now(UTC) - timedelta(days=400)):
        record("tenant.created", actor=customer_admin, target_tenant=customer)
    since = (datetime.now(UTC) - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")

    response = api_as(customer_admin).get(
        f"/api/v1/tenants/{customer.pk}/audit-events", {"since": since}
    )

    assert _actions(response) == []
