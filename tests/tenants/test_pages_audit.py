"""The audit log page: access, filters, bad filters, pagination, constant queries."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.services import record
from tests.factories import member

pytestmark = pytest.mark.django_db


def audit_url(tenant):
    return reverse("tenant_audit", args=[tenant.pk])


def add_events(tenant, actor, n, action="membership.created", **kwargs):
    for i in range(n):
        record(
            action,
            actor=actor,
            target_tenant=tenant,
            obj=tenant,
            before={"roles": ["Directory Readers"]},
            after={"roles": ["User Administrator"], "n": i},
            **kwargs,
        )


def test_global_admin_reads_the_audit_log(client_as, customer, customer_admin):
    add_events(customer, customer_admin, 1, action="membership.roles_changed")
    response = client_as(customer_admin).get(audit_url(customer))
    assert response.status_code == 200
    body = response.content.decode()
    assert "membership.roles_changed" in body
    assert customer_admin.email in body
    assert "<del>Directory Readers</del>" in body
    assert "<ins>User Administrator</ins>" in body


def test_security_reader_reads_the_audit_log(client_as, customer):
    reader = member(customer, "Security Reader")
    assert client_as(reader).get(audit_url(customer)).status_code == 200


@pytest.mark.parametrize("persona", ["plain_member", "billing_admin"])
def test_members_without_audit_read_are_refused(client_as, customer, persona, request):
    user = request.getfixturevalue(persona)
    assert client_as(user).get(audit_url(customer)).status_code == 403


def test_outsider_admin_gets_404_on_customer_audit(client_as, customer, outsider_admin):
    assert client_as(outsider_admin).get(audit_url(customer)).status_code == 404


def test_signed_out_audit_redirects_to_login(client, customer):
    response = client.get(audit_url(customer))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_other_tenants_events_are_not_shown(
    client_as, customer, customer_admin, outsider, outsider_admin
):
    add_events(outsider, outsider_admin, 1, action="security_group.created")
    body = client_as(customer_admin).get(audit_url(customer)).content.decode()
    assert "security_group.created" not in body
    assert outsider_admin.email not in body


def test_filter_by_action(client_as, customer, customer_admin):
    add_events(customer, customer_admin, 1, action="membership.created")
    add_events(customer, customer_admin, 1, action="security_group.created")
    response = client_as(customer_admin).get(
        audit_url(customer), {"action": "security_group.created"}
    )
    assert response.status_code == 200
    rows = response.content.decode().split("<tbody>")[1]
    assert "Created the security group" in rows  # tests/audit/test_activity_log.py: sentences
    assert "Added" not in rows


def test_filter_by_dates(client_as, customer, customer_admin):
    with time_machine.travel(datetime.datetime(2025, 1, 10, 12, tzinfo=datetime.UTC)):
        add_events(customer, customer_admin, 1, action="tenant.created")
    with time_machine.travel(datetime.datetime(2025, 3, 10, 12, tzinfo=datetime.UTC)):
        add_events(customer, customer_admin, 1, action="membership.created")
    client = client_as(customer_admin)
    body = client.get(audit_url(customer), {"since": "2025-03-01"}).content.decode()
    rows = body.split("<tbody>")[1]
    assert "Added" in rows and "Created the tenant" not in rows
    body = client.get(audit_url(customer), {"until": "2025-01-10"}).content.decode()
    rows = body.split("<tbody>")[1]
    assert "Created the tenant" in rows and "Added" not in rows


@pytest.mark.parametrize(
    "params",
    [
        {"since": "yesterday"},
        {"until": "2025-13-45"},
        {"since": "2025-03-02", "until": "2025-03-01"},
        {"action": "no.such.action"},
    ],
)
def test_bad_filters_show_a_form_error(client_as, customer, customer_admin, params):
    add_events(customer, customer_admin, 1)
    response = client_as(customer_admin).get(audit_url(customer), params)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'class="errors"' in body
    assert "No events match these filters." in body


def test_audit_log_paginates_newest_first(client_as, customer, customer_admin):
    for i in range(55):
        with time_machine.travel(
            datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC) + datetime.timedelta(hours=i)
        ):
            record("tenant.updated", actor=customer_admin, target_tenant=customer, after={"n": i})
    client = client_as(customer_admin)
    first = client.get(audit_url(customer)).content.decode()
    assert "Page 1 of 2" in first
    assert first.index("<ins>54</ins>") < first.index("<ins>53</ins>")
    assert "<ins>4</ins>" not in first
    second = client.get(audit_url(customer), {"page": 2}).content.decode()
    assert "<ins>4</ins>" in second


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_audit_log_runs_constant_queries(
    client_as, customer, customer_admin, outsider, django_assert_max_num_queries
):
    add_events(customer, customer_admin, 2)
    client = client_as(customer_admin)
    url = audit_url(customer)
    client.get(url)
    few = _count_queries(client, url)
    add_events(customer, customer_admin, 40, acting_tenant=outsider)
    many = _count_queries(client, url)
    assert few == many
    with django_assert_max_num_queries(few):
        client.get(url)
