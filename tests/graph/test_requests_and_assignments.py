"""Requests (lockForApproval, terminate), operations and access assignments through
/graph/v1.0, asynchronous where Graph is."""

import json

import pytest

from audit.models import AuditEvent
from relationships.models import (
    AccessAssignment,
    DelegatedAdminRelationship,
    RelationshipOperation,
    RelationshipRequest,
)
from roles import access
from tests.factories import SecurityGroupFactory
from tests.gdap_factories import AccessAssignmentFactory, DelegatedAdminRelationshipFactory
from tests.graph.conftest import (
    CUSTOMERS,
    HELPDESK,
    RELATIONSHIPS,
    USER_ADMIN,
    new_relationship,
    roles,
)
from tests.graph.test_auth import assert_graph_error

pytestmark = pytest.mark.django_db
Status = DelegatedAdminRelationship.Status


# Requests ------------------------------------------------------------------------------------


def test_lock_for_approval_answers_201_with_the_approval_url(graph, customer, site_url):
    rel = graph.post(
        RELATIONSHIPS, new_relationship(customer={"tenantId": str(customer.pk)}), format="json"
    ).json()

    response = graph.post(
        f"{RELATIONSHIPS}/{rel['id']}/requests", {"action": "lockForApproval"}, format="json"
    )

    assert response.status_code == 201, response.content
    body = response.json()
    row = RelationshipRequest.objects.get()
    assert body["id"] == str(row.pk)
    assert body["action"] == "lockForApproval"
    assert body["status"] == "succeeded"
    assert body["@odata.context"].endswith("#requests")
    assert response["Location"] == f"http://testserver{RELATIONSHIPS}/{rel['id']}/requests/{row.pk}"
    assert body["approvalUrl"] == (
        f"{site_url}/partners/invitation/granularAdminRelationships/{rel['id']}/"
    )
    assert graph.get(f"{RELATIONSHIPS}/{rel['id']}").json()["status"] == "approvalPending"
    listed = graph.get(f"{RELATIONSHIPS}/{rel['id']}/requests").json()
    assert [r["id"] for r in listed["value"]] == [body["id"]]
    one = graph.get(response["Location"]).json()
    assert one["@odata.context"].endswith("#requests/$entity")


def test_terminate_ends_an_active_relationship(graph, partner_tenant, customer):
    rel = DelegatedAdminRelationshipFactory(partner=partner_tenant, customer=customer)

    response = graph.post(
        f"{RELATIONSHIPS}/{rel.pk}/requests", {"action": "terminate"}, format="json"
    )

    assert response.status_code == 201
    assert response.json()["action"] == "terminate"
    assert "approvalUrl" not in response.json()
    assert graph.get(f"{RELATIONSHIPS}/{rel.pk}").json()["status"] == "terminated"
    assert AuditEvent.objects.filter(action="gdap.terminated").count() == 1


@pytest.mark.parametrize("action", ["approve", "reject"])
def test_approve_and_reject_are_not_supported(graph, partner_tenant, action):
    rel = DelegatedAdminRelationshipFactory(partner=partner_tenant, status=Status.APPROVAL_PENDING)

    response = graph.post(f"{RELATIONSHIPS}/{rel.pk}/requests", {"action": action}, format="json")

    assert_graph_error(response, 400, "notSupported")
    assert "indirect reseller" in response.json()["error"]["message"]
    assert not RelationshipRequest.objects.exists()


@pytest.mark.parametrize("body", [{"action": "explode"}, {}, {"action": 3}])
def test_unknown_actions_are_400(graph, partner_tenant, body):
    rel = DelegatedAdminRelationshipFactory(partner=partner_tenant, status=Status.CREATED)

    response = graph.post(f"{RELATIONSHIPS}/{rel.pk}/requests", body, format="json")

    assert_graph_error(response, 400, "invalidRequest")


def test_a_request_in_the_wrong_state_is_409(graph, partner_tenant):
    rel = DelegatedAdminRelationshipFactory(partner=partner_tenant, status=Status.CREATED)

    response = graph.post(
        f"{RELATIONSHIPS}/{rel.pk}/requests", {"action": "terminate"}, format="json"
    )

    assert_graph_error(response, 409, "notAllowed")


# Access assignments ------------------------------------------------------------------------


@pytest.fixture
def rel(partner_tenant, customer):
    return DelegatedAdminRelationshipFactory(
        partner=partner_tenant,
        customer=customer,
        roles=["Helpdesk Administrator", "User Administrator"],
    )


@pytest.fixture
def group(partner_tenant, partner_agent):
    return SecurityGroupFactory(
        tenant=partner_tenant, name="Helpdesk agents", members=[partner_agent]
    )


def assignment_body(group, *role_ids):
    return {
        "accessContainer": {
            "accessContainerId": str(group.pk),
            "accessContainerType": "securityGroup",
        },
        "accessDetails": roles(*role_ids),
    }


def test_create_answers_pending_and_the_task_activates_it(
    graph, rel, group, partner_agent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = graph.post(
            f"{RELATIONSHIPS}/{rel.pk}/accessAssignments",
            assignment_body(group, HELPDESK),
            format="json",
        )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "pending"
    assert body["accessContainer"] == {
        "accessContainerId": str(group.pk),
        "accessContainerType": "securityGroup",
    }
    assert body["@odata.context"].endswith("#accessAssignments")
    assert response["Location"].endswith(f"/accessAssignments/{body['id']}")
    assert graph.get(response["Location"]).json()["status"] == "active"
    access.forget()
    assert access.has_permission(partner_agent, rel.customer, "users.read")


def test_update_answers_202_with_the_operation(
    graph, rel, group, django_capture_on_commit_callbacks
):
    assignment = AccessAssignmentFactory(
        relationship=rel, security_group=group, roles=["Helpdesk Administrator"]
    )
    url = f"{RELATIONSHIPS}/{rel.pk}/accessAssignments/{assignment.pk}"
    etag = graph.get(url).json()["@odata.etag"]

    with django_capture_on_commit_callbacks(execute=True):
        response = graph.patch(
            url, {"accessDetails": roles(HELPDESK, USER_ADMIN)}, format="json", HTTP_IF_MATCH=etag
        )

    assert response.status_code == 202, response.content
    operation = RelationshipOperation.objects.get()
    assert (
        response["Location"]
        == f"http://testserver{RELATIONSHIPS}/{rel.pk}/operations/{operation.pk}"
    )
    assert response["Retry-After"] == "10"
    followed = graph.get(response["Location"]).json()
    assert followed["operationType"] == "delegatedAdminAccessAssignmentUpdate"
    assert followed["status"] == "succeeded"
    data = json.loads(followed["data"])
    assert data["id"] == str(assignment.pk)
    assert {r["roleDefinitionId"] for r in data["accessDetails"]["unifiedRoles"]} == {
        HELPDESK,
        USER_ADMIN,
    }
    listed = graph.get(f"{RELATIONSHIPS}/{rel.pk}/operations").json()["value"]
    assert [o["id"] for o in listed] == [str(operation.pk)]
    assert {
        r["roleDefinitionId"] for r in graph.get(url).json()["accessDetails"]["unifiedRoles"]
    } == {
        HELPDESK,
        USER_ADMIN,
    }
    # The same roles again: 200 with the assignment, no new operation.
    again = graph.patch(
        url, {"accessDetails": roles(USER_ADMIN, HELPDESK)}, format="json", HTTP_IF_MATCH="*"
    )
    assert again.status_code == 200
    assert again.json()["id"] == str(assignment.pk)
    assert RelationshipOperation.objects.count() == 1
    # The old ETag is stale now.
    stale = graph.patch(url, {"accessDetails": roles(HELPDESK)}, format="json", HTTP_IF_MATCH=etag)
    assert_graph_error(stale, 412, "resourceModified")


def test_a_relationship_update_operation_reads_unknown_without_prefer(graph, rel):
    operation = RelationshipOperation.objects.create(
        relationship=rel,
        kind=RelationshipOperation.Kind.RELATIONSHIP_UPDATE,
        data={"remove_role_ids": [], "role_ids": [HELPDESK]},
    )
    url = f"{RELATIONSHIPS}/{rel.pk}/operations/{operation.pk}"

    plain = graph.get(url).json()
    asked = graph.get(url, HTTP_PREFER="include-unknown-enum-members").json()

    assert plain["operationType"] == "unknownFutureValue"
    assert asked["operationType"] == "delegatedAdminRelationshipUpdate"
    assert plain["status"] == "notStarted"


def test_delete_answers_204_and_the_task_removes_it(
    graph, rel, group, partner_agent, django_capture_on_commit_callbacks
):
    assignment = AccessAssignmentFactory(relationship=rel, security_group=group)
    url = f"{RELATIONSHIPS}/{rel.pk}/accessAssignments/{assignment.pk}"

    assert_graph_error(graph.delete(url), 400, "invalidRequest")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = graph.delete(url, HTTP_IF_MATCH=graph.get(url).json()["@odata.etag"])

    assert response.status_code == 204
    assert graph.get(url).json()["status"] == "deleting"
    assert not access.has_permission(partner_agent, rel.customer, "users.read")
    for callback in callbacks:
        callback()
    assert not AccessAssignment.objects.exists()
    assert_graph_error(graph.get(url), 404, "itemNotFound")


@pytest.mark.parametrize(
    "body",
    [
        {"accessDetails": roles(HELPDESK)},
        {
            "accessContainer": {"accessContainerId": "x", "accessContainerType": "user"},
            "accessDetails": roles(HELPDESK),
        },
        {"accessContainer": {"accessContainerId": "x"}, "accessDetails": {"unifiedRoles": [1]}},
    ],
    ids=["no-container", "not-a-group", "bad-roles"],
)
def test_bad_assignment_bodies_are_400(graph, rel, body):
    response = graph.post(f"{RELATIONSHIPS}/{rel.pk}/accessAssignments", body, format="json")

    assert_graph_error(response, 400, "invalidRequest")


def test_an_unapproved_role_or_a_foreign_group_is_refused(graph, rel, group, customer):
    url = f"{RELATIONSHIPS}/{rel.pk}/accessAssignments"
    unapproved = graph.post(
        url, assignment_body(group, "62e90394-69f5-4237-9190-012177145e10"), format="json"
    )
    foreign = graph.post(
        url, assignment_body(SecurityGroupFactory(tenant=customer), HELPDESK), format="json"
    )

    assert_graph_error(unapproved, 400, "invalidRequest")
    assert_graph_error(foreign, 404, "itemNotFound")
    assert not AccessAssignment.objects.exists()


def test_assignment_lists_take_odata_options(graph, rel, group, partner_tenant):
    AccessAssignmentFactory(relationship=rel, security_group=group)
    other = AccessAssignmentFactory(relationship=rel)
    AccessAssignment.objects.filter(pk=other.pk).update(status="pending")

    body = graph.get(
        f"{RELATIONSHIPS}/{rel.pk}/accessAssignments",
        {"$filter": "status eq 'pending'", "$count": "true", "$select": "id,status"},
    ).json()

    assert body["@odata.count"] == 1
    assert body["value"][0]["id"] == str(other.pk)


# Customers ---------------------------------------------------------------------------------


def test_a_customer_appears_while_a_relationship_with_it_is_active(
    graph, partner_tenant, customer, outsider
):
    active = DelegatedAdminRelationshipFactory(partner=partner_tenant, customer=customer)
    DelegatedAdminRelationshipFactory(
        partner=partner_tenant, customer=outsider, status=Status.APPROVAL_PENDING
    )

    body = graph.get(CUSTOMERS).json()

    assert [c["id"] for c in body["value"]] == [str(customer.pk)]
    assert body["value"][0]["tenantId"] == str(customer.pk)
    one = graph.get(f"{CUSTOMERS}/{customer.pk}")
    assert one.status_code == 200
    assert one.json()["displayName"] == "Fabrikam"
    assert_graph_error(graph.get(f"{CUSTOMERS}/{outsider.pk}"), 404, "itemNotFound")

    DelegatedAdminRelationship.objects.filter(pk=active.pk).update(status=Status.TERMINATED)
    assert graph.get(CUSTOMERS).json()["value"] == []


def test_service_management_details_link_into_liaison(graph, partner_tenant, customer, site_url):
    DelegatedAdminRelationshipFactory(partner=partner_tenant, customer=customer)

    response = graph.get(f"{CUSTOMERS}/{customer.pk}/serviceManagementDetails")

    assert response.status_code == 200
    body = response.json()
    assert body["@odata.context"].endswith(
        f"#delegatedAdminCustomers/{customer.pk}/serviceManagementDetails"
    )
    urls = {d["serviceName"]: d["serviceManagementUrl"] for d in body["value"]}
    assert urls["Users"] == f"{site_url}/t/{customer.pk}/users/"
    assert urls["Liaison"] == f"{site_url}/t/{customer.pk}/"
    again = graph.get(f"{CUSTOMERS}/{customer.pk}/serviceManagementDetails").json()
    assert [d["id"] for d in again["value"]] == [d["id"] for d in body["value"]]
    assert_graph_error(
        graph.get(f"{CUSTOMERS}/{customer.pk}/serviceManagementDetails", {"$top": "1"}),
        400,
        "BadRequest",
    )
