"""Support requests through the API: list, open, read, comment, close, reopen; who may."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import AuditEvent
from support.models import SupportRequest
from tests.factories import member
from tests.support.conftest import add_requests, make_comment, make_request

pytestmark = pytest.mark.django_db


def list_url(tenant):
    return reverse("api-support-requests", args=[tenant.pk])


def detail_url(tenant, support_request, name="api-support-request"):
    return reverse(name, args=[tenant.pk, support_request.pk])


# Reading -----------------------------------------------------------------------------------


def test_admin_lists_requests_with_their_row_shape(
    api_as, customer, customer_admin, support_request
):
    make_comment(support_request, customer_admin)

    r = api_as(customer_admin).get(list_url(customer))

    assert r.status_code == 200
    body = r.json()
    assert body["count"] == 1
    (row,) = body["results"]
    assert row["id"] == str(support_request.pk)
    assert row["title"] == "Printer offline"
    assert row["severity"] == "normal"
    assert row["status"] == "open"
    assert row["created_by"] == {"id": str(customer_admin.pk), "email": customer_admin.email}
    assert row["acting_partner"] is None
    assert row["closed_at"] is None
    assert row["comment_count"] == 1
    assert {"description", "created_at"} <= row.keys()


def test_list_filters_by_status_and_text(api_as, customer, customer_admin):
    make_request(customer, customer_admin, title="Printer offline")
    make_request(
        customer, customer_admin, title="Mailbox full", status="closed", description="Quota."
    )
    client = api_as(customer_admin)

    closed = client.get(list_url(customer), {"status": "closed"}).json()
    printer = client.get(list_url(customer), {"q": "printer"}).json()

    assert [row["title"] for row in closed["results"]] == ["Mailbox full"]
    assert [row["title"] for row in printer["results"]] == ["Printer offline"]


def test_unknown_status_filter_is_400(api_as, customer, customer_admin):
    r = api_as(customer_admin).get(list_url(customer), {"status": "pending"})

    assert r.status_code == 400
    assert r.json()["code"] == "invalid"
    assert "status" in r.json()["errors"]


def test_detail_carries_the_comment_thread(api_as, customer, customer_admin, support_request):
    make_comment(support_request, customer_admin, "First")
    make_comment(support_request, customer_admin, "Second")

    r = api_as(customer_admin).get(detail_url(customer, support_request))

    assert r.status_code == 200
    assert [c["body"] for c in r.json()["comments"]] == ["First", "Second"]
    assert r.json()["comment_count"] == 2


def test_list_queries_do_not_grow(api_as, customer, customer_admin):
    client = api_as(customer_admin)

    def rows_and_queries():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(list_url(customer), {"page_size": 100})
        assert response.status_code == 200
        return len(response.json()["results"]), len(queries)

    add_requests(customer, customer_admin, 3)
    few = rows_and_queries()
    add_requests(customer, customer_admin, 27)
    many = rows_and_queries()

    assert (few[0], many[0]) == (3, 30)
    # Session, user, tenant, the resolver's sources, then count + page: the same for both.
    assert few[1] == many[1] <= 8, (few, many)


# Writing -----------------------------------------------------------------------------------


def test_admin_opens_a_request(api_as, customer, customer_admin):
    r = api_as(customer_admin).post(
        list_url(customer),
        {"title": "VPN down", "description": "Nobody can connect.", "severity": "high"},
        format="json",
    )

    assert r.status_code == 201
    body = r.json()
    assert body["title"] == "VPN down"
    assert body["severity"] == "high"
    assert body["status"] == "open"
    assert body["comments"] == []
    created = SupportRequest.objects.get(pk=body["id"])
    assert created.tenant == customer
    assert created.created_by == customer_admin
    assert created.acting_partner is None
    event = AuditEvent.objects.get()
    assert event.action == "support_request.created"
    assert event.acting_tenant_id == customer.pk
    assert event.relationship_id is None


def test_severity_defaults_to_normal(api_as, customer, customer_admin):
    r = api_as(customer_admin).post(
        list_url(customer), {"title": "T", "description": "D"}, format="json"
    )

    assert r.status_code == 201
    assert r.json()["severity"] == "normal"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"description": "D"}, "title"),
        ({"title": "   ", "description": "D"}, "title"),
        ({"title": "x" * 201, "description": "D"}, "title"),
        ({"title": "T"}, "description"),
        ({"title": "T", "description": "D", "severity": "urgent"}, "severity"),
        ({"title": ["T"], "description": {"a": 1}}, "title"),
    ],
)
def test_bad_input_is_400_with_field_errors(api_as, customer, customer_admin, payload, field):
    r = api_as(customer_admin).post(list_url(customer), payload, format="json")

    assert r.status_code == 400
    assert r.json()["code"] == "invalid"
    assert field in r.json()["errors"]
    assert not SupportRequest.objects.exists()
    assert not AuditEvent.objects.exists()


def test_admin_comments(api_as, customer, customer_admin, support_request):
    r = api_as(customer_admin).post(
        detail_url(customer, support_request, "api-support-request-comments"),
        {"body": "Restarted the spooler."},
        format="json",
    )

    assert r.status_code == 201
    assert r.json()["body"] == "Restarted the spooler."
    assert r.json()["author"]["email"] == customer_admin.email
    assert support_request.comments.count() == 1
    assert AuditEvent.objects.get().action == "support_request.commented"


def test_empty_comment_is_400(api_as, customer, customer_admin, support_request):
    r = api_as(customer_admin).post(
        detail_url(customer, support_request, "api-support-request-comments"),
        {"body": "  "},
        format="json",
    )

    assert r.status_code == 400
    assert "body" in r.json()["errors"]
    assert not support_request.comments.exists()


def test_close_then_reopen(api_as, customer, customer_admin, support_request):
    client = api_as(customer_admin)

    closed = client.post(detail_url(customer, support_request, "api-support-request-close"))
    assert closed.status_code == 200
    assert closed.json()["status"] == "closed"
    assert closed.json()["closed_at"] is not None
    assert closed.json()["closed_by"]["email"] == customer_admin.email

    reopened = client.post(detail_url(customer, support_request, "api-support-request-reopen"))
    assert reopened.status_code == 200
    assert reopened.json()["status"] == "open"
    assert reopened.json()["closed_at"] is None

    actions = list(AuditEvent.objects.order_by("occurred_at").values_list("action", flat=True))
    assert actions == ["support_request.closed", "support_request.reopened"]


def test_closing_a_closed_request_is_409(api_as, customer, customer_admin):
    closed = make_request(customer, customer_admin, status="closed")

    r = api_as(customer_admin).post(detail_url(customer, closed, "api-support-request-close"))

    assert r.status_code == 409
    assert r.json()["code"] == "invalid_state"
    assert not AuditEvent.objects.exists()


def test_reopening_an_open_request_is_409(api_as, customer, customer_admin, support_request):
    r = api_as(customer_admin).post(
        detail_url(customer, support_request, "api-support-request-reopen")
    )

    assert r.status_code == 409
    assert r.json()["code"] == "invalid_state"


# Who may -----------------------------------------------------------------------------------


def test_service_support_administrator_may_open_requests(api_as, customer):
    support_admin = member(customer, "Service Support Administrator")

    r = api_as(support_admin).post(
        list_url(customer), {"title": "T", "description": "D"}, format="json"
    )

    assert r.status_code == 201


@pytest.mark.parametrize(
    "name", ["api-support-request", "api-support-request-close", "api-support-request-comments"]
)
def test_plain_member_is_refused(api_as, customer, plain_member, support_request, name):
    client = api_as(plain_member)
    method = client.get if name == "api-support-request" else client.post

    assert client.get(list_url(customer)).status_code == 403
    assert client.post(list_url(customer), {"title": "T", "description": "D"}).status_code == 403
    assert method(detail_url(customer, support_request, name), {"body": "x"}).status_code == 403
    assert not AuditEvent.objects.exists()


def test_billing_admin_is_refused(api_as, customer, billing_admin):
    assert api_as(billing_admin).get(list_url(customer)).status_code == 403


@pytest.mark.parametrize(
    "name", ["api-support-request", "api-support-request-close", "api-support-request-comments"]
)
def test_outsider_gets_404(api_as, customer, outsider_admin, support_request, name):
    client = api_as(outsider_admin)
    method = client.get if name == "api-support-request" else client.post

    assert client.get(list_url(customer)).status_code == 404
    assert method(detail_url(customer, support_request, name), {"body": "x"}).status_code == 404


@pytest.mark.parametrize(
    "name",
    [
        "api-support-request",
        "api-support-request-close",
        "api-support-request-reopen",
        "api-support-request-comments",
    ],
)
def test_another_tenants_request_is_404_in_your_own_tenant(
    api_as, customer, customer_admin, outsider, outsider_admin, name
):
    foreign = make_request(outsider, outsider_admin)
    client = api_as(customer_admin)
    method = client.get if name == "api-support-request" else client.post

    r = method(detail_url(customer, foreign, name), {"body": "x"}, format="json")

    assert r.status_code == 404
    foreign.refresh_from_db()
    assert foreign.status == "open"
    assert not foreign.comments.exists()
    assert not AuditEvent.objects.exists()


def test_malformed_request_id_is_404(api_as, customer, customer_admin):
    r = api_as(customer_admin).get(reverse("api-support-request", args=[customer.pk, "not-a-uuid"]))

    assert r.status_code == 404


def test_signed_out_is_refused(api, customer, support_request):
    assert api.get(list_url(customer)).status_code in (401, 403)
