"""Who reaches /graph/v1.0: bearer tokens with a Graph scope, bound to the partner tenant.

No session, no Liaison-scoped token; a read token reads only; another tenant's ids are a
404. Every refusal is Graph's error envelope with request ids.
"""

import uuid

import pytest

from relationships.models import DelegatedAdminRelationship
from tests.gdap_factories import DelegatedAdminRelationshipFactory
from tests.graph.conftest import (
    CUSTOMERS,
    RELATIONSHIPS,
    bearer_client,
    graph_token,
    new_relationship,
)

pytestmark = pytest.mark.django_db


def assert_graph_error(response, status, code):
    assert response.status_code == status, response.content
    error = response.json()["error"]
    assert error["code"] == code
    assert error["message"]
    inner = error["innerError"]
    assert inner["request-id"] == response["request-id"]
    assert inner["client-request-id"] == response["client-request-id"]
    assert len(inner["date"]) == 19
    uuid.UUID(inner["request-id"])


def test_no_token_is_401_in_graphs_envelope(api):
    response = api.get(RELATIONSHIPS)

    assert_graph_error(response, 401, "InvalidAuthenticationToken")
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_browser_session_does_not_open_graph(api_as, partner_admin):
    response = api_as(partner_admin).get(RELATIONSHIPS)

    assert_graph_error(response, 401, "InvalidAuthenticationToken")


def test_a_bad_token_is_401(api):
    api.credentials(HTTP_AUTHORIZATION="Bearer lia_not-a-token")

    assert_graph_error(api.get(RELATIONSHIPS), 401, "InvalidAuthenticationToken")


def test_a_liaison_token_does_not_open_graph(partner_admin, partner_tenant):
    client = bearer_client(graph_token(partner_admin, partner_tenant, "Liaison.ReadWrite"))

    assert_graph_error(client.get(RELATIONSHIPS), 403, "accessDenied")


def test_a_read_token_reads_but_never_writes(graph_reader, partner_tenant):
    rel = DelegatedAdminRelationshipFactory(
        partner=partner_tenant, status=DelegatedAdminRelationship.Status.CREATED
    )

    assert graph_reader.get(RELATIONSHIPS).status_code == 200
    assert graph_reader.get(CUSTOMERS).status_code == 200
    assert_graph_error(
        graph_reader.post(RELATIONSHIPS, new_relationship(), format="json"), 403, "accessDenied"
    )
    assert_graph_error(
        graph_reader.delete(f"{RELATIONSHIPS}/{rel.pk}", HTTP_IF_MATCH="*"), 403, "accessDenied"
    )
    assert DelegatedAdminRelationship.objects.count() == 1


def test_the_client_request_id_is_echoed(graph):
    response = graph.get(RELATIONSHIPS, HTTP_CLIENT_REQUEST_ID="my-trace-1")

    assert response.status_code == 200
    assert response["client-request-id"] == "my-trace-1"
    assert response["request-id"] != "my-trace-1"


def test_another_partners_relationship_is_404(outsider_graph, partner_tenant, customer):
    rel = DelegatedAdminRelationshipFactory(partner=partner_tenant, customer=customer)

    for suffix in ("", "/requests", "/operations", "/accessAssignments"):
        assert_graph_error(
            outsider_graph.get(f"{RELATIONSHIPS}/{rel.pk}{suffix}"), 404, "itemNotFound"
        )
    assert_graph_error(
        outsider_graph.patch(
            f"{RELATIONSHIPS}/{rel.pk}", {"displayName": "x"}, format="json", HTTP_IF_MATCH="*"
        ),
        404,
        "itemNotFound",
    )
    assert outsider_graph.get(RELATIONSHIPS).json()["value"] == []


def test_a_relationship_in_which_the_tenant_is_the_customer_is_not_listed(
    customer_admin, customer, partner_tenant
):
    rel = DelegatedAdminRelationshipFactory(partner=partner_tenant, customer=customer)
    client = bearer_client(graph_token(customer_admin, customer))

    assert client.get(RELATIONSHIPS).json()["value"] == []
    assert_graph_error(client.get(f"{RELATIONSHIPS}/{rel.pk}"), 404, "itemNotFound")


def test_a_member_without_partner_rights_is_refused(partner_agent, partner_tenant):
    client = bearer_client(graph_token(partner_agent, partner_tenant))

    assert_graph_error(client.get(RELATIONSHIPS), 403, "accessDenied")


def test_an_unknown_path_is_graphs_400(graph):
    response = graph.get("/graph/v1.0/tenantRelationships/somethingElse")

    assert_graph_error(response, 400, "BadRequest")
    assert "tenantRelationships" in response.json()["error"]["message"]


def test_an_unsupported_method_is_405_in_the_envelope(graph):
    assert_graph_error(graph.put(RELATIONSHIPS, {}, format="json"), 405, "notSupported")


def test_malformed_json_is_400_in_the_envelope(graph):
    response = graph.generic("POST", RELATIONSHIPS, "{not json", content_type="application/json")

    assert_graph_error(response, 400, "invalidRequest")


def test_an_unexpected_failure_is_a_500_in_the_envelope(graph, monkeypatch):
    from graph.api import relationships

    def broken(tenant):
        raise RuntimeError("boom")

    monkeypatch.setattr(relationships, "partner_relationships", broken)

    response = graph.get(RELATIONSHIPS)

    assert_graph_error(response, 500, "generalException")
    assert "boom" not in response.json()["error"]["message"]


def test_a_database_outage_is_a_503_with_retry_after(graph, monkeypatch):
    from django.db import OperationalError

    from graph.api import relationships

    def down(tenant):
        raise OperationalError("connection refused")

    monkeypatch.setattr(relationships, "partner_relationships", down)

    response = graph.get(RELATIONSHIPS)

    assert_graph_error(response, 503, "serviceNotAvailable")
    assert response["Retry-After"] == "30"
