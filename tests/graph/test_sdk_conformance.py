"""Conformance: the real msgraph-sdk drives the partner's whole GDAP flow against Liaison's
/graph/v1.0 on the live test server, and gets what Microsoft Graph would give it.

create, list with each OData option and the SDK's page iterator, update with If-Match
and with a stale ETag, lockForApproval, the customer's approval in the portal (at the
address the request's approvalUrl carries), access assignments created, changed and
deleted with their operations, auto-extend and Global Administrator removal while active,
delete while created, terminate; and the refusals (P3Y, Global Administrator with
auto-extend, a read token writing, another partner's relationship) arriving as ODataError
with Graph's code and message.

Runs on SQLite and on PostgreSQL alike (both CI phases), with Celery eager (conftest), so
the asynchronous work completes within each call, as the services run it.
"""

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.test import Client
from kiota_abstractions.base_request_configuration import RequestConfiguration
from kiota_http.middleware.options import HeadersInspectionHandlerOption
from msgraph.generated.models.delegated_admin_access_assignment import (
    DelegatedAdminAccessAssignment,
)
from msgraph.generated.models.delegated_admin_access_assignment_status import (
    DelegatedAdminAccessAssignmentStatus,
)
from msgraph.generated.models.delegated_admin_access_container import DelegatedAdminAccessContainer
from msgraph.generated.models.delegated_admin_access_container_type import (
    DelegatedAdminAccessContainerType,
)
from msgraph.generated.models.delegated_admin_access_details import DelegatedAdminAccessDetails
from msgraph.generated.models.delegated_admin_relationship import DelegatedAdminRelationship
from msgraph.generated.models.delegated_admin_relationship_customer_participant import (
    DelegatedAdminRelationshipCustomerParticipant,
)
from msgraph.generated.models.delegated_admin_relationship_operation_type import (
    DelegatedAdminRelationshipOperationType,
)
from msgraph.generated.models.delegated_admin_relationship_request import (
    DelegatedAdminRelationshipRequest,
)
from msgraph.generated.models.delegated_admin_relationship_request_action import (
    DelegatedAdminRelationshipRequestAction as Action,
)
from msgraph.generated.models.delegated_admin_relationship_request_status import (
    DelegatedAdminRelationshipRequestStatus,
)
from msgraph.generated.models.delegated_admin_relationship_status import (
    DelegatedAdminRelationshipStatus as GraphStatus,
)
from msgraph.generated.models.long_running_operation_status import LongRunningOperationStatus
from msgraph.generated.models.o_data_errors.o_data_error import ODataError
from msgraph.generated.models.unified_role import UnifiedRole
from msgraph.generated.tenant_relationships.delegated_admin_customers.delegated_admin_customers_request_builder import (  # noqa: E501
    DelegatedAdminCustomersRequestBuilder,
)
from msgraph.generated.tenant_relationships.delegated_admin_relationships.delegated_admin_relationships_request_builder import (  # noqa: E501
    DelegatedAdminRelationshipsRequestBuilder,
)
from msgraph_core.tasks.page_iterator import PageIterator

from relationships.models import DelegatedAdminRelationship as Relationship
from tests.factories import SecurityGroupFactory
from tests.gdap_factories import DelegatedAdminRelationshipFactory
from tests.graph.conftest import GLOBAL_ADMIN, HELPDESK, USER_ADMIN, graph_token
from tests.graph.sdk_client import call_graph

pytestmark = [
    pytest.mark.conformance,
    pytest.mark.filterwarnings("ignore:.*deprecated.*:DeprecationWarning"),
]

ListQuery = DelegatedAdminRelationshipsRequestBuilder.DelegatedAdminRelationshipsRequestBuilderGetQueryParameters  # noqa: E501
CustomersQuery = (
    DelegatedAdminCustomersRequestBuilder.DelegatedAdminCustomersRequestBuilderGetQueryParameters
)


def access(*role_ids) -> DelegatedAdminAccessDetails:
    return DelegatedAdminAccessDetails(
        unified_roles=[UnifiedRole(role_definition_id=r) for r in role_ids]
    )


def if_match(etag: str, *, inspect: HeadersInspectionHandlerOption | None = None):
    config = RequestConfiguration(options=[inspect] if inspect else None)
    config.headers.add("If-Match", etag)
    return config


def etag_of(model) -> str:
    return model.additional_data["@odata.etag"]


class Partner:
    """The partner's script: a Graph token bound to its tenant, and the SDK."""

    def __init__(self, base_url: str, token: str):
        self.base_url = base_url
        self.token = token

    def __call__(self, work):
        return call_graph(self.base_url, self.token, work)

    def rels(self, client):
        return client.tenant_relationships.delegated_admin_relationships

    def rel(self, client, rid):
        return self.rels(client).by_delegated_admin_relationship_id(rid)


@pytest.fixture
def graph_url(live_server):
    return f"{live_server.url}/graph/v1.0"


@pytest.fixture
def partner(graph_url, partner_admin, partner_tenant):
    return Partner(graph_url, graph_token(partner_admin, partner_tenant))


def odata_error(partner, work) -> ODataError:
    with pytest.raises(ODataError) as caught:
        partner(work)
    error = caught.value
    assert error.error is not None, "the body was not Graph's error envelope"
    assert error.error.inner_error.request_id
    assert error.error.inner_error.client_request_id
    return error


# The whole partner flow ----------------------------------------------------------------------


def test_the_partner_flow_end_to_end(
    partner, live_server, partner_tenant, partner_agent, customer, customer_admin
):
    group = SecurityGroupFactory(
        tenant=partner_tenant, name="Helpdesk agents", members=[partner_agent]
    )

    # Create (durations as Graph writes them; the SDK would write a timedelta as
    # "730 days, 0:00:00", which Liaison reads too).
    async def create(client):
        body = DelegatedAdminRelationship(
            display_name="Contoso helpdesk",
            duration="P2Y",
            auto_extend_duration="PT0S",
            customer=DelegatedAdminRelationshipCustomerParticipant(tenant_id=str(customer.pk)),
            access_details=access(GLOBAL_ADMIN, HELPDESK, USER_ADMIN),
        )
        inspect = HeadersInspectionHandlerOption(inspect_response_headers=True)
        made = await partner.rels(client).post(body, RequestConfiguration(options=[inspect]))
        return made, inspect.response_headers

    made, headers = partner(create)
    assert made.status == GraphStatus.Created
    assert made.duration == timedelta(days=730)
    assert made.customer.tenant_id == str(customer.pk)
    assert made.customer.display_name == "Fabrikam"
    assert {r.role_definition_id for r in made.access_details.unified_roles} == {
        GLOBAL_ADMIN,
        HELPDESK,
        USER_ADMIN,
    }
    location = next(iter(headers.get("location")))
    assert (
        location == f"{partner.base_url}/tenantRelationships/delegatedAdminRelationships/{made.id}"
    )
    assert next(iter(headers.get("etag"))) == etag_of(made)

    # Update with If-Match, then again with the now stale ETag.
    async def rename(client):
        return await partner.rel(client, made.id).patch(
            DelegatedAdminRelationship(display_name="Contoso helpdesk (2y)"),
            if_match(etag_of(made)),
        )

    renamed = partner(rename)
    assert renamed.display_name == "Contoso helpdesk (2y)"
    assert etag_of(renamed) != etag_of(made)
    stale = odata_error(partner, rename)
    assert stale.response_status_code == 412
    assert stale.error.code == "resourceModified"

    # lockForApproval: the request carries the customer's approval address.
    async def lock(client):
        request = DelegatedAdminRelationshipRequest(action=Action.LockForApproval)
        return await partner.rel(client, made.id).requests.post(request)

    locked = partner(lock)
    assert locked.action == Action.LockForApproval
    assert locked.status == DelegatedAdminRelationshipRequestStatus.Succeeded
    approval_url = locked.additional_data["approvalUrl"]
    assert approval_url.endswith(f"/partners/invitation/granularAdminRelationships/{made.id}/")

    async def read(client):
        return await partner.rel(client, made.id).get()

    assert partner(read).status == GraphStatus.ApprovalPending

    # The customer's Global Administrator approves in the portal at that address.
    browser = Client()
    browser.force_login(customer_admin)
    path = urlsplit(approval_url).path
    page = browser.get(path)
    assert page.status_code == 200
    approved = browser.post(
        path,
        {
            "tenant": str(customer.pk),
            "action": "accept",
            "roles": [GLOBAL_ADMIN, HELPDESK, USER_ADMIN],
            "accept_agreement": "on",
        },
    )
    assert approved.status_code == 302
    active = partner(read)
    assert active.status == GraphStatus.Active
    assert active.activated_date_time is not None
    assert active.end_date_time - active.activated_date_time == timedelta(days=730)

    async def requests(client):
        return await partner.rel(client, made.id).requests.get()

    assert [r.action for r in partner(requests).value] == [Action.LockForApproval]

    # The customer appears among the partner's customers, with links into Liaison.
    async def customers(client):
        listed = await client.tenant_relationships.delegated_admin_customers.get()
        one = client.tenant_relationships.delegated_admin_customers.by_delegated_admin_customer_id(
            str(customer.pk)
        )
        return listed, await one.get(), await one.service_management_details.get()

    listed, one, links = partner(customers)
    assert [c.tenant_id for c in listed.value] == [str(customer.pk)]
    assert one.display_name == "Fabrikam" and one.id == str(customer.pk)
    assert {d.service_name for d in links.value} >= {"Liaison", "Users", "Support requests"}
    assert all(d.service_management_url.startswith("http") for d in links.value)

    # Access assignments: created pending, active once its task ran (eager here).
    def assignments_of(client):
        return partner.rel(client, made.id).access_assignments

    async def assign(client):
        body = DelegatedAdminAccessAssignment(
            access_container=DelegatedAdminAccessContainer(
                access_container_id=str(group.pk),
                access_container_type=DelegatedAdminAccessContainerType.SecurityGroup,
            ),
            access_details=access(HELPDESK),
        )
        created = await assignments_of(client).post(body)
        current = (
            await assignments_of(client).by_delegated_admin_access_assignment_id(created.id).get()
        )
        return created, current

    created, current = partner(assign)
    assert created.status == DelegatedAdminAccessAssignmentStatus.Pending
    assert current.status == DelegatedAdminAccessAssignmentStatus.Active
    assert current.access_container.access_container_id == str(group.pk)

    # Change its roles: 202 with the operation's Location and Retry-After.
    async def change(client):
        inspect = HeadersInspectionHandlerOption(inspect_response_headers=True)
        item = assignments_of(client).by_delegated_admin_access_assignment_id(created.id)
        body = DelegatedAdminAccessAssignment(access_details=access(HELPDESK, USER_ADMIN))
        await item.patch(body, if_match(etag_of(current), inspect=inspect))
        operation_id = next(iter(inspect.response_headers.get("location"))).rsplit("/", 1)[-1]
        operation = (
            await partner.rel(client, made.id)
            .operations.by_delegated_admin_relationship_operation_id(operation_id)
            .get()
        )
        return inspect.response_headers, operation, await item.get()

    headers, operation, changed = partner(change)
    assert next(iter(headers.get("retry-after"))) == "10"
    assert (
        operation.operation_type
        == DelegatedAdminRelationshipOperationType.DelegatedAdminAccessAssignmentUpdate
    )
    assert operation.status == LongRunningOperationStatus.Succeeded
    assert USER_ADMIN in operation.data
    assert {r.role_definition_id for r in changed.access_details.unified_roles} == {
        HELPDESK,
        USER_ADMIN,
    }

    # Auto-extend is refused while Global Administrator is held ...
    async def auto_extend(client):
        current = await partner.rel(client, made.id).get()
        return await partner.rel(client, made.id).patch(
            DelegatedAdminRelationship(auto_extend_duration="P180D"), if_match(etag_of(current))
        )

    refused = odata_error(partner, auto_extend)
    assert refused.response_status_code == 400
    assert refused.error.code == "invalidRequest"
    assert "Global Administrator" in refused.error.message

    # ... so remove Global Administrator first: a long-running operation.
    async def remove_global_admin(client):
        current = await partner.rel(client, made.id).get()
        inspect = HeadersInspectionHandlerOption(inspect_response_headers=True)
        result = await partner.rel(client, made.id).patch(
            DelegatedAdminRelationship(access_details=access(HELPDESK, USER_ADMIN)),
            if_match(etag_of(current), inspect=inspect),
        )
        return result, inspect.response_headers

    result, headers = partner(remove_global_admin)
    assert result.id is None  # 202 {}: the operation is at the Location
    operation_url = next(iter(headers.get("location")))
    assert f"/delegatedAdminRelationships/{made.id}/operations/" in operation_url

    async def operations(client):
        return await partner.rel(client, made.id).operations.get()

    kinds = {o.operation_type for o in partner(operations).value}
    # delegatedAdminRelationshipUpdate is an evolvable member: without
    # "Prefer: include-unknown-enum-members" Graph (and Liaison) send unknownFutureValue.
    assert kinds == {
        DelegatedAdminRelationshipOperationType.DelegatedAdminAccessAssignmentUpdate,
        DelegatedAdminRelationshipOperationType.UnknownFutureValue,
    }
    assert all(o.status == LongRunningOperationStatus.Succeeded for o in partner(operations).value)
    assert {r.role_definition_id for r in partner(read).access_details.unified_roles} == {
        HELPDESK,
        USER_ADMIN,
    }
    extended = partner(auto_extend)
    assert extended.auto_extend_duration == timedelta(days=180)

    # Delete the assignment (If-Match), then it is gone.
    async def unassign(client):
        item = assignments_of(client).by_delegated_admin_access_assignment_id(created.id)
        await item.delete(if_match(etag_of(await item.get())))
        return await item.get()

    gone = odata_error(partner, unassign)
    assert gone.response_status_code == 404
    assert gone.error.code == "itemNotFound"

    # Terminate.
    async def terminate(client):
        request = DelegatedAdminRelationshipRequest(action=Action.Terminate)
        made_request = await partner.rel(client, made.id).requests.post(request)
        return made_request, await partner.rel(client, made.id).get()

    terminated_request, ended = partner(terminate)
    assert terminated_request.action == Action.Terminate
    assert ended.status == GraphStatus.Terminated
    assert Relationship.objects.get(pk=made.id).status == "terminated"


# Lists: every OData option and the SDK's page iterator ----------------------------------------


@pytest.fixture
def many(partner_tenant, customer, outsider):
    rels = []
    for i in range(7):
        rels.append(
            DelegatedAdminRelationshipFactory(
                partner=partner_tenant,
                customer=customer if i % 2 else outsider,
                display_name=f"Rel {i}",
                status="active" if i < 5 else "created",
            )
        )
    return rels


def test_lists_with_each_odata_option(partner, many, customer):
    async def lists(client):
        def get(**options):
            return partner.rels(client).get(
                RequestConfiguration(query_parameters=ListQuery(**options))
            )

        return {
            "filter": await get(filter="status eq 'active' and displayName ne 'Rel 0'"),
            "filter_in": await get(filter="status in ('created')"),
            "filter_or": await get(filter="displayName eq 'Rel 1' or displayName eq 'Rel 6'"),
            "filter_customer": await get(filter=f"customer/tenantId eq '{customer.pk}'"),
            "orderby": await get(orderby=["displayName desc"]),
            "select": await get(select=["id", "displayName"], top=2),
            "count": await get(count=True, top=3, filter="status eq 'active'"),
            "top": await get(top=2),
        }

    got = partner(lists)

    def names(page):
        return [r.display_name for r in page.value]

    assert names(got["filter"]) == ["Rel 1", "Rel 2", "Rel 3", "Rel 4"]
    assert names(got["filter_in"]) == ["Rel 5", "Rel 6"]
    assert names(got["filter_or"]) == ["Rel 1", "Rel 6"]
    assert names(got["filter_customer"]) == ["Rel 1", "Rel 3", "Rel 5"]
    assert names(got["orderby"]) == [f"Rel {i}" for i in reversed(range(7))]
    assert [(r.display_name is not None, r.status) for r in got["select"].value] == [
        (True, None)
    ] * 2
    assert got["count"].odata_count == 5 and len(got["count"].value) == 3
    assert len(got["top"].value) == 2
    next_link = got["top"].odata_next_link
    assert next_link.startswith(
        partner.base_url + "/tenantRelationships/delegatedAdminRelationships?"
    )
    assert "$skiptoken=" in next_link


def test_the_page_iterator_walks_every_page(partner, many):
    async def every_name(client):
        first = await partner.rels(client).get(
            RequestConfiguration(query_parameters=ListQuery(top=2, orderby=["displayName"]))
        )
        iterator = PageIterator(first, client.request_adapter, error_mapping={"XXX": ODataError})
        names = []
        await iterator.iterate(lambda item: names.append(item.display_name) or True)
        return names

    assert partner(every_name) == [f"Rel {i}" for i in range(7)]


def test_customers_list_options(partner, many):
    async def customers(client):
        return await client.tenant_relationships.delegated_admin_customers.get(
            RequestConfiguration(
                query_parameters=CustomersQuery(orderby=["displayName desc"], count=True)
            )
        )

    page = partner(customers)

    assert [c.display_name for c in page.value] == ["Northwind", "Fabrikam"]
    assert page.odata_count == 2


def test_an_unsupported_option_is_an_odata_error(partner, many):
    async def expand(client):
        return await partner.rels(client).get(
            RequestConfiguration(query_parameters=ListQuery(expand=["accessAssignments"]))
        )

    error = odata_error(partner, expand)
    assert error.response_status_code == 400
    assert error.error.code == "BadRequest"
    assert "$expand" in error.error.message


# Delete while created ------------------------------------------------------------------------


def test_delete_while_created_with_if_match(partner, partner_tenant):
    async def create_and_delete(client):
        made = await partner.rels(client).post(
            DelegatedAdminRelationship(
                display_name="Draft",
                duration=timedelta(days=30),  # the SDK writes "30 days, 0:00:00"
                access_details=access(HELPDESK),
            )
        )
        await partner.rel(client, made.id).delete(if_match(etag_of(made)))
        return made

    made = partner(create_and_delete)

    assert made.duration == timedelta(days=30)
    assert not Relationship.objects.filter(pk=made.id).exists()


# Refusals as ODataError ------------------------------------------------------------------------


def create_work(partner, **fields):
    async def work(client):
        body = DelegatedAdminRelationship(
            display_name=fields.pop("display_name", "Refused"),
            duration=fields.pop("duration", "P730D"),
            access_details=fields.pop("access_details", access(HELPDESK)),
            **fields,
        )
        return await partner.rels(client).post(body)

    return work


def test_three_years_is_refused(partner):
    error = odata_error(partner, create_work(partner, duration="P3Y"))

    assert error.response_status_code == 400
    assert error.error.code == "invalidRequest"
    assert "730 days" in error.error.message
    assert error.error.details[0].target == "duration"
    assert not Relationship.objects.exists()


def test_global_administrator_with_auto_extend_is_refused(partner):
    work = create_work(partner, access_details=access(GLOBAL_ADMIN), auto_extend_duration="P180D")

    error = odata_error(partner, work)

    assert error.response_status_code == 400
    assert error.error.code == "invalidRequest"
    assert error.error.message == (
        "Auto-extend is not available when Global Administrator is requested."
    )


def test_a_read_token_cannot_write(graph_url, partner_admin, partner_tenant):
    reader = Partner(
        graph_url,
        graph_token(partner_admin, partner_tenant, "DelegatedAdminRelationship.Read.All"),
    )

    async def listing(client):
        return await reader.rels(client).get()

    assert reader(listing).value == []
    error = odata_error(reader, create_work(reader))
    assert error.response_status_code == 403
    assert error.error.code == "accessDenied"
    assert error.error.message == "This token's scopes do not allow this."


def test_another_partners_relationship_is_not_found(partner, outsider, customer):
    theirs = DelegatedAdminRelationshipFactory(partner=outsider, customer=customer)

    async def read(client):
        return await partner.rel(client, str(theirs.pk)).get()

    async def terminate(client):
        request = DelegatedAdminRelationshipRequest(action=Action.Terminate)
        return await partner.rel(client, str(theirs.pk)).requests.post(request)

    for work in (read, terminate):
        error = odata_error(partner, work)
        assert error.response_status_code == 404
        assert error.error.code == "itemNotFound"
    theirs.refresh_from_db()
    assert theirs.status == "active"


def test_no_token_is_an_odata_error(graph_url):
    anonymous = Partner(graph_url, "")

    async def listing(client):
        return await anonymous.rels(client).get()

    error = odata_error(anonymous, listing)
    assert error.response_status_code == 401
    assert error.error.code == "InvalidAuthenticationToken"
