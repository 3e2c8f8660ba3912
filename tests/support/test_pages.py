"""Support request pages: list with filters, details pane (page and htmx), new, comment,
close and reopen."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import AuditEvent
from support.models import SupportRequest
from tests.support.conftest import add_requests, make_comment, make_request

pytestmark = pytest.mark.django_db


def list_url(tenant):
    return reverse("support_requests", args=[tenant.pk])


def request_url(tenant, support_request, name="support_request"):
    return reverse(name, args=[tenant.pk, support_request.pk])


# Reading -----------------------------------------------------------------------------------


def test_admin_sees_the_list_and_the_nav_item(client_as, customer, customer_admin):
    make_request(customer, customer_admin, title="Printer offline")

    response = client_as(customer_admin).get(list_url(customer))

    assert response.status_code == 200
    body = response.content.decode()
    assert "Printer offline" in body
    assert reverse("support_request_new", args=[customer.pk]) in body
    assert f'href="{list_url(customer)}"' in body  # the left navigation


def test_list_filters_by_status_and_text(client_as, customer, customer_admin):
    make_request(customer, customer_admin, title="Printer offline")
    make_request(
        customer, customer_admin, title="Mailbox full", status="closed", description="Quota."
    )
    client = client_as(customer_admin)

    closed = client.get(list_url(customer), {"status": "closed"}).content.decode()
    printer = client.get(list_url(customer), {"q": "printer"}).content.decode()

    assert "Mailbox full" in closed and "Printer offline" not in closed
    assert "Printer offline" in printer and "Mailbox full" not in printer


def test_htmx_filter_returns_the_list_fragment(client_as, customer, customer_admin):
    make_request(customer, customer_admin, title="Printer offline")

    response = client_as(customer_admin).get(
        list_url(customer), {"q": "printer"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="support-list"
    )

    assert response.status_code == 200
    body = response.content.decode()
    assert "Printer offline" in body
    assert "<html" not in body
    assert "HX-Request" in response["Vary"]


def test_details_page_shows_the_thread_and_actions(
    client_as, customer, customer_admin, support_request
):
    make_comment(support_request, customer_admin, "Restarted the spooler.")

    response = client_as(customer_admin).get(request_url(customer, support_request))

    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" in body
    assert "Restarted the spooler." in body
    assert request_url(customer, support_request, "support_request_comment") in body
    assert request_url(customer, support_request, "support_request_close") in body
    assert request_url(customer, support_request, "support_request_reopen") not in body


def test_htmx_pane_is_a_fragment(client_as, customer, customer_admin, support_request):
    response = client_as(customer_admin).get(
        request_url(customer, support_request), HTTP_HX_REQUEST="true", HTTP_HX_TARGET="pane"
    )

    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" not in body
    assert support_request.title in body


def test_list_page_queries_do_not_grow(client_as, customer, customer_admin):
    client = client_as(customer_admin)

    def rows_and_queries():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(list_url(customer))
        assert response.status_code == 200
        return response.content.decode().count("data-row-link"), len(queries)

    add_requests(customer, customer_admin, 3)
    few = rows_and_queries()
    add_requests(customer, customer_admin, 27)
    many = rows_and_queries()

    assert (few[0], many[0]) == (3, 25)  # 25 a page
    assert few[1] == many[1] <= 12, (few, many)


# Writing -----------------------------------------------------------------------------------


def test_admin_opens_a_request_through_the_form(client_as, customer, customer_admin):
    client = client_as(customer_admin)
    assert client.get(reverse("support_request_new", args=[customer.pk])).status_code == 200

    response = client.post(
        reverse("support_request_new", args=[customer.pk]),
        {"title": "VPN down", "description": "Nobody can connect.", "severity": "high"},
    )

    created = SupportRequest.objects.get()
    assert response.status_code == 302
    assert response.url == request_url(customer, created)
    assert (created.title, created.severity, created.created_by) == (
        "VPN down",
        "high",
        customer_admin,
    )
    assert AuditEvent.objects.get().action == "support_request.created"


def test_bad_form_input_shows_field_errors(client_as, customer, customer_admin):
    response = client_as(customer_admin).post(
        reverse("support_request_new", args=[customer.pk]),
        {"title": "", "description": "", "severity": "urgent"},
    )

    assert response.status_code == 400
    form = response.context["form"]
    assert {"title", "description", "severity"} <= form.errors.keys()
    assert not SupportRequest.objects.exists()


def test_admin_comments_through_the_pane(client_as, customer, customer_admin, support_request):
    response = client_as(customer_admin).post(
        request_url(customer, support_request, "support_request_comment"), {"body": "On it."}
    )

    assert response.status_code == 302
    assert response.url == request_url(customer, support_request)
    assert support_request.comments.get().body == "On it."
    assert AuditEvent.objects.get().action == "support_request.commented"


def test_empty_comment_rerenders_with_the_error(
    client_as, customer, customer_admin, support_request
):
    response = client_as(customer_admin).post(
        request_url(customer, support_request, "support_request_comment"), {"body": " "}
    )

    assert response.status_code == 400
    assert "body" in response.context["comment_form"].errors
    assert not support_request.comments.exists()


def test_close_and_reopen_through_the_pane(client_as, customer, customer_admin, support_request):
    client = client_as(customer_admin)

    closed = client.post(request_url(customer, support_request, "support_request_close"))
    support_request.refresh_from_db()
    assert closed.status_code == 302
    assert support_request.status == "closed"
    page = client.get(request_url(customer, support_request)).content.decode()
    assert request_url(customer, support_request, "support_request_reopen") in page

    reopened = client.post(request_url(customer, support_request, "support_request_reopen"))
    support_request.refresh_from_db()
    assert reopened.status_code == 302
    assert support_request.status == "open"
    assert AuditEvent.objects.count() == 2


def test_closing_twice_shows_a_message_and_changes_nothing(client_as, customer, customer_admin):
    closed = make_request(customer, customer_admin, status="closed")
    client = client_as(customer_admin)

    response = client.post(request_url(customer, closed, "support_request_close"), follow=True)

    assert response.status_code == 200
    assert "not possible while the status is" in response.content.decode()
    assert not AuditEvent.objects.exists()


# Who may -----------------------------------------------------------------------------------


def test_plain_member_is_refused(client_as, customer, plain_member, support_request):
    client = client_as(plain_member)

    assert client.get(list_url(customer)).status_code == 403
    assert client.get(request_url(customer, support_request)).status_code == 403
    assert client.get(reverse("support_request_new", args=[customer.pk])).status_code == 403
    closing = client.post(request_url(customer, support_request, "support_request_close"))
    assert closing.status_code == 403
    support_request.refresh_from_db()
    assert support_request.status == "open"


def test_plain_member_does_not_see_the_nav_item(client_as, customer, plain_member):
    body = client_as(plain_member).get(reverse("tenant_home", args=[customer.pk])).content
    assert list_url(customer) not in body.decode()


def test_outsider_gets_404(client_as, customer, outsider_admin, support_request):
    client = client_as(outsider_admin)

    assert client.get(list_url(customer)).status_code == 404
    assert client.get(request_url(customer, support_request)).status_code == 404
    closing = client.post(request_url(customer, support_request, "support_request_close"))
    assert closing.status_code == 404


@pytest.mark.parametrize(
    "name",
    [
        "support_request",
        "support_request_comment",
        "support_request_close",
        "support_request_reopen",
    ],
)
def test_another_tenants_request_is_404_in_your_own_tenant(
    client_as, customer, customer_admin, outsider, outsider_admin, name
):
    foreign = make_request(outsider, outsider_admin)
    client = client_as(customer_admin)
    method = client.get if name == "support_request" else client.post

    assert method(request_url(customer, foreign, name), {"body": "x"}).status_code == 404
    foreign.refresh_from_db()
    assert foreign.status == "open"
    assert not AuditEvent.objects.exists()


def test_signed_out_is_sent_to_sign_in(client, customer):
    response = client.get(list_url(customer))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
