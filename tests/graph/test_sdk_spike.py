"""Spike: the real msgraph-sdk drives a local Django server speaking Graph's wire format.

A stub of three views, mounted only for these tests (this module is their URLconf), answers
in the documented shape of delegatedAdminRelationship and records every request, so the
tests can say exactly what the SDK sends: headers, query strings, and the JSON it writes
for durations, dates and enums.
"""

import json
import uuid
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from django.http import HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from kiota_abstractions.authentication import BaseBearerTokenAuthenticationProvider
from kiota_abstractions.base_request_configuration import RequestConfiguration
from kiota_http.middleware.options import HeadersInspectionHandlerOption
from msgraph import GraphRequestAdapter, GraphServiceClient
from msgraph.generated.models.delegated_admin_access_details import DelegatedAdminAccessDetails
from msgraph.generated.models.delegated_admin_relationship import DelegatedAdminRelationship
from msgraph.generated.models.delegated_admin_relationship_customer_participant import (
    DelegatedAdminRelationshipCustomerParticipant,
)
from msgraph.generated.models.delegated_admin_relationship_request import (
    DelegatedAdminRelationshipRequest,
)
from msgraph.generated.models.delegated_admin_relationship_request_action import (
    DelegatedAdminRelationshipRequestAction,
)
from msgraph.generated.models.delegated_admin_relationship_status import (
    DelegatedAdminRelationshipStatus,
)
from msgraph.generated.models.o_data_errors.o_data_error import ODataError
from msgraph.generated.models.unified_role import UnifiedRole
from msgraph.generated.tenant_relationships.delegated_admin_relationships.delegated_admin_relationships_request_builder import (  # noqa: E501
    DelegatedAdminRelationshipsRequestBuilder,
)
from msgraph.graph_request_adapter import options
from msgraph_core import GraphClientFactory
from msgraph_core.tasks.page_iterator import PageIterator

from tests.graph.sdk_client import StaticTokenProvider, local_graph_client, run_sync

pytestmark = [
    pytest.mark.urls("tests.graph.test_sdk_spike"),
    pytest.mark.filterwarnings("ignore:.*deprecated.*:DeprecationWarning"),
]

TOKEN = "spike-token"
CUSTOMER = "4b827261-d21f-4aa9-b7db-7fa1f56fb163"
HELPDESK = "729827e3-9c14-49f7-bb1b-9608f156bbb8"
GRAPH_JSON = "application/json;odata.metadata=minimal;odata.streaming=true;charset=utf-8"
CONTEXT = "/graph/v1.0/tenantRelationships/$metadata#delegatedAdminRelationships"
MADE_UP_CLIENT_ID = "9d3e4a7c-0000-4000-8000-000000000002"
NOT_FOUND = "The delegated admin relationship was not found."
SEEN: list[dict] = []


def relationship_json(rid: str, name: str, status: str = "active") -> dict:
    """A delegatedAdminRelationship in the documented shape, with Graph's own values."""
    return {
        "@odata.type": "#microsoft.graph.delegatedAdminRelationship",
        "@odata.etag": 'W/"JyIwMzAwZTM0ZS0wMDAwLTAyMDAtMDAwMC02MTRjZjI1YzAwMDAiJw=="',
        "id": rid,
        "displayName": name,
        "duration": "P730D",
        "customer": {"tenantId": CUSTOMER, "displayName": "Fabrikam"},
        "accessDetails": {"unifiedRoles": [{"roleDefinitionId": HELPDESK}]},
        "status": status,
        "autoExtendDuration": "P180D",
        "createdDateTime": "2022-02-10T11:24:42.3148266Z",
        "lastModifiedDateTime": "2022-02-10T11:26:44.9941884Z",
        "activatedDateTime": "2022-02-10T11:26:44.9941884Z",
        "endDateTime": "2024-02-10T11:24:42.3148266Z",
    }


def graph_response(body: dict | None, status: int = 200, **headers) -> HttpResponse:
    response = HttpResponse(
        json.dumps(body) if body is not None else b"", status=status, content_type=GRAPH_JSON
    )
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def graph_error(status: int, code: str, message: str, request) -> HttpResponse:
    inner = {
        "date": "2024-05-01T10:00:00",
        "request-id": "9d3e4a7c-0000-4000-8000-000000000001",
        # Graph echoes the caller's client-request-id, or makes one up when none came.
        "client-request-id": request.headers.get(
            "client-request-id", "9d3e4a7c-0000-4000-8000-000000000002"
        ),
    }
    body = {"error": {"code": code, "message": message, "innerError": inner}}
    return graph_response(body, status)


def record(request) -> None:
    SEEN.append(
        {
            "method": request.method,
            "path": request.path,
            "query": request.META.get("QUERY_STRING", ""),
            "headers": dict(request.headers),
            "body": json.loads(request.body) if request.body else None,
        }
    )


@csrf_exempt
def relationships(request):
    record(request)
    if request.method == "POST":
        body = json.loads(request.body)
        created = relationship_json("new-relationship", body.get("displayName", ""), "created")
        location = request.build_absolute_uri(f"{request.path}/new-relationship")
        return graph_response({"@odata.context": CONTEXT, **created}, 201, Location=location)
    if request.GET.get("$skiptoken") == "page2":
        return graph_response(
            {"@odata.context": CONTEXT, "value": [relationship_json("rel-2", "Second")]}
        )
    next_link = request.build_absolute_uri(request.path) + "?$skiptoken=page2"
    return graph_response(
        {
            "@odata.context": CONTEXT,
            "@odata.nextLink": next_link,
            "value": [relationship_json("rel-1", "First")],
        }
    )


@csrf_exempt
def relationship(request, rid):
    record(request)
    if rid == "missing":
        return graph_error(
            404, "notFound", "The delegated admin relationship was not found.", request
        )
    if request.method == "DELETE":
        return HttpResponse(status=204)
    if rid == "ga-removal":  # removing Global Administrator from an active relationship
        operation = request.build_absolute_uri(f"{request.path}/operations/op-1")
        return graph_response({}, 202, Location=operation, Retry_After="10")
    if rid in ("declined", "snake"):
        status = {"declined": "declined", "snake": "approval_pending"}[rid]
        return graph_response(relationship_json(rid, "Odd", status))
    body = {"@odata.context": CONTEXT + "/$entity", **relationship_json(rid, "First", "created")}
    return graph_response(body)


@csrf_exempt
def relationship_requests(request, rid):
    record(request)
    return graph_response(
        {
            "@odata.type": "#microsoft.graph.delegatedAdminRelationshipRequest",
            "id": "req-1",
            "action": json.loads(request.body)["action"],
            "status": "created",
            "createdDateTime": "2022-02-10T10:55:47.1180588Z",
            "lastModifiedDateTime": "2022-02-10T10:55:47.1180588Z",
        },
        201,
    )


BASE = "graph/v1.0/tenantRelationships/delegatedAdminRelationships"
urlpatterns = [
    path(BASE, relationships),
    path(f"{BASE}/<str:rid>", relationship),
    path(f"{BASE}/<str:rid>/requests", relationship_requests),
]


@pytest.fixture
def client(live_server):
    SEEN.clear()
    return local_graph_client(f"{live_server.url}/graph/v1.0", TOKEN)


def run(coroutine):
    return run_sync(coroutine)  # not asyncio.run: tests/e2e may leave a loop running


def test_list_parses_the_documented_shape(client):
    page = run(client.tenant_relationships.delegated_admin_relationships.get())

    assert page.odata_next_link.endswith("/delegatedAdminRelationships?$skiptoken=page2")
    (item,) = page.value
    assert item.id == "rel-1"
    assert item.display_name == "First"
    assert item.status == DelegatedAdminRelationshipStatus.Active
    assert item.duration == timedelta(days=730)
    assert item.auto_extend_duration == timedelta(days=180)
    assert item.customer.tenant_id == CUSTOMER
    assert item.access_details.unified_roles[0].role_definition_id == HELPDESK
    assert item.created_date_time == datetime(2022, 2, 10, 11, 24, 42, 314826, tzinfo=UTC)
    # No model property holds the etag: it lands in additional_data under its wire name.
    assert item.additional_data["@odata.etag"].startswith('W/"')
    assert page.additional_data["@odata.context"] == CONTEXT


def test_page_iterator_follows_the_next_link_with_the_token(client):
    async def every_id():
        first = await client.tenant_relationships.delegated_admin_relationships.get()
        # The factory comes from type(first); passing it too raises ValueError (a quirk).
        iterator = PageIterator(first, client.request_adapter, error_mapping={"XXX": ODataError})
        ids = []
        await iterator.iterate(lambda item: ids.append(item.id) or True)
        return ids

    assert run(every_id()) == ["rel-1", "rel-2"]
    assert [seen["query"] for seen in SEEN] == ["", "$skiptoken=page2"]
    assert all(seen["headers"]["Authorization"] == f"Bearer {TOKEN}" for seen in SEEN)


def test_a_graph_error_body_arrives_as_odata_error(client):
    builder = client.tenant_relationships.delegated_admin_relationships
    with pytest.raises(ODataError) as caught:
        run(builder.by_delegated_admin_relationship_id("missing").get())
    error = caught.value
    assert error.response_status_code == 404
    assert error.error.code == "notFound"
    assert error.error.message == NOT_FOUND
    assert error.error.inner_error.request_id == "9d3e4a7c-0000-4000-8000-000000000001"
    assert error.error.inner_error.client_request_id == MADE_UP_CLIENT_ID
    assert error.error.inner_error.date == datetime(2024, 5, 1, 10, 0)


def test_the_headers_and_query_string_the_sdk_sends(client):
    query = DelegatedAdminRelationshipsRequestBuilder.DelegatedAdminRelationshipsRequestBuilderGetQueryParameters(  # noqa: E501
        filter="status eq 'active' and customer/tenantId eq 'x'",
        top=5,
        count=True,
        orderby=["createdDateTime desc", "displayName"],
        select=["id", "status"],
    )
    config = RequestConfiguration(query_parameters=query)
    run(client.tenant_relationships.delegated_admin_relationships.get(request_configuration=config))

    seen = SEEN[0]
    headers = seen["headers"]
    assert headers["Authorization"] == f"Bearer {TOKEN}"
    assert headers["Accept"] == "application/json"
    assert headers["User-Agent"].startswith("python-httpx/")
    assert "kiota-python/" in headers["User-Agent"]
    # Graph's telemetry middleware adds these only for Microsoft's own hosts (see below).
    for name in ("client-request-id", "SdkVersion", "HostOs", "RuntimeEnvironment", "If-Match"):
        assert name not in headers
    assert seen["query"] == (
        "$count=true"  # the SDK's ParametersNameDecodingHandler turns %24 back into $
        "&$filter=status%20eq%20%27active%27%20and%20customer%2FtenantId%20eq%20%27x%27"
        "&$orderby=createdDateTime%20desc,displayName"
        "&$select=id,status"
        "&$top=5"
    )
    print("\nSDK request headers:", json.dumps(headers, indent=1))


def test_to_graph_itself_the_sdk_adds_telemetry_headers():
    """The same request, sent to graph.microsoft.com through a mock transport (no network)."""
    sent = []

    def answer(request):
        sent.append(request.headers)
        return httpx.Response(200, json={"value": []}, headers={"Content-Type": GRAPH_JSON})

    mock = httpx.AsyncClient(transport=httpx.MockTransport(answer))
    http_client = GraphClientFactory.create_with_default_middleware(client=mock, options=options)
    provider = StaticTokenProvider(TOKEN, ("graph.microsoft.com",))
    adapter = GraphRequestAdapter(BaseBearerTokenAuthenticationProvider(provider), http_client)
    adapter.base_url = "https://graph.microsoft.com/v1.0"
    graph = GraphServiceClient(request_adapter=adapter)
    run(graph.tenant_relationships.delegated_admin_relationships.get())

    (headers,) = sent
    uuid.UUID(headers["client-request-id"])  # a fresh GUID per request
    assert headers["SdkVersion"].startswith("graph-python/1.")
    assert ", graph-python-core/" in headers["SdkVersion"]
    assert "(featureUsage=" in headers["SdkVersion"]
    assert headers["HostOs"]
    assert headers["RuntimeEnvironment"].startswith("Python/")
    assert headers["Authorization"] == f"Bearer {TOKEN}"


def test_how_the_sdk_writes_durations_dates_and_enums(client):
    body = DelegatedAdminRelationship(
        display_name="Contoso helpdesk",
        duration=timedelta(days=730),
        auto_extend_duration=timedelta(days=180),
        end_date_time=datetime(2026, 11, 24, 10, 0, tzinfo=UTC),
        status=DelegatedAdminRelationshipStatus.ApprovalPending,
        customer=DelegatedAdminRelationshipCustomerParticipant(tenant_id=CUSTOMER),
        access_details=DelegatedAdminAccessDetails(
            unified_roles=[UnifiedRole(role_definition_id=HELPDESK)]
        ),
    )
    with_strings = DelegatedAdminRelationship(
        display_name="Contoso helpdesk", duration="P730D", auto_extend_duration="PT0S"
    )

    async def send():
        builder = client.tenant_relationships.delegated_admin_relationships
        created = await builder.post(body)
        await builder.post(with_strings)
        request = DelegatedAdminRelationshipRequest(
            action=DelegatedAdminRelationshipRequestAction.LockForApproval
        )
        made = await builder.by_delegated_admin_relationship_id("rel-1").requests.post(request)
        return created, made

    created, made = run(send())

    assert SEEN[0]["headers"]["Content-Type"] == "application/json"
    assert SEEN[0]["body"] == {
        "accessDetails": {"unifiedRoles": [{"roleDefinitionId": HELPDESK}]},
        # A timedelta goes out as str(timedelta), not ISO 8601 (msgraph-sdk-python #1262):
        # Graph itself answers 400 to it, so callers pass "P730D" strings instead.
        "autoExtendDuration": "180 days, 0:00:00",
        "customer": {"tenantId": CUSTOMER},
        "displayName": "Contoso helpdesk",
        "duration": "730 days, 0:00:00",
        "endDateTime": "2026-11-24T10:00:00+00:00",  # datetime.isoformat(): +00:00, not Z
        "status": "approvalPending",  # an enum goes out as Graph's camelCase member
    }  # no @odata.type, and unset properties (id, createdDateTime...) are left out
    # A string that parses as a duration is passed through as it is.
    assert SEEN[1]["body"] == {
        "autoExtendDuration": "PT0S",
        "displayName": "Contoso helpdesk",
        "duration": "P730D",
    }
    assert SEEN[2]["body"] == {"action": "lockForApproval"}
    assert created.status == DelegatedAdminRelationshipStatus.Created
    assert made.action == DelegatedAdminRelationshipRequestAction.LockForApproval


def test_if_match_is_sent_only_when_asked(client):
    etag = 'W/"JyI0NzAwNjg0NS0wMDAwLTE5MDAtMDAwMC02MGY0Yjg4MzAwMDAiJw=="'

    async def send():
        item = client.tenant_relationships.delegated_admin_relationships
        item = item.by_delegated_admin_relationship_id("rel-1")
        config = RequestConfiguration()
        config.headers.add("If-Match", etag)
        await item.patch(DelegatedAdminRelationship(display_name="Renamed"), config)
        await item.patch(DelegatedAdminRelationship(display_name="Again"))
        deleted = await item.delete(config)
        return deleted

    assert run(send()) is None  # 204 No Content
    patch, bare_patch, delete = SEEN
    assert patch["method"] == "PATCH"
    assert patch["headers"]["If-Match"] == etag
    assert patch["body"] == {"displayName": "Renamed"}
    assert patch["headers"]["Content-Type"] == "application/json"
    assert "If-Match" not in bare_patch["headers"]
    assert delete["method"] == "DELETE"
    assert delete["headers"]["If-Match"] == etag
    assert delete["body"] is None


def test_a_202_long_running_answer_and_its_headers_reach_the_caller(client):
    inspect = HeadersInspectionHandlerOption(inspect_response_headers=True)
    config = RequestConfiguration(options=[inspect])
    config.headers.add("If-Match", 'W/"x"')
    body = DelegatedAdminRelationship(access_details=DelegatedAdminAccessDetails(unified_roles=[]))
    item = client.tenant_relationships.delegated_admin_relationships
    result = run(item.by_delegated_admin_relationship_id("ga-removal").patch(body, config))

    # The empty {} body still parses, to an empty model; the caller reads the headers.
    assert isinstance(result, DelegatedAdminRelationship)
    assert result.id is None and result.status is None
    host = SEEN[0]["headers"]["Host"]
    relationship = f"http://{host}/graph/v1.0/{BASE.removeprefix('graph/v1.0/')}/ga-removal"
    assert inspect.response_headers.get("location") == {f"{relationship}/operations/op-1"}
    assert inspect.response_headers.get("retry-after") == {"10"}
    assert SEEN[0]["body"] == {"accessDetails": {"unifiedRoles": []}}


def test_an_enum_value_outside_graphs_list_reads_as_none(client):
    async def read_both():
        item = client.tenant_relationships.delegated_admin_relationships
        declined = await item.by_delegated_admin_relationship_id("declined").get()
        snake = await item.by_delegated_admin_relationship_id("snake").get()
        return declined, snake

    # One client, one event loop: httpx's kept-alive connections die with their loop.
    declined, snake = run(read_both())

    # The SDK looks the member up by name ("approvalPending" -> ApprovalPending) and
    # silently gives None for anything else: Liaison's "declined" and "approval_pending"
    # must never reach the wire.
    assert declined.status is None
    assert snake.status is None


def test_no_token_leaves_for_a_foreign_host():
    provider = StaticTokenProvider(TOKEN)
    assert run(provider.get_authorization_token("http://127.0.0.1:8000/graph/v1.0/x")) == TOKEN
    assert run(provider.get_authorization_token("https://graph.microsoft.com/v1.0/x")) == ""
