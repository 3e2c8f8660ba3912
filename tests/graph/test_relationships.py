"""delegatedAdminRelationships through /graph/v1.0: create, read, update, delete, by the
rules of each status, with ETags and If-Match."""

from datetime import timedelta

import pytest
from django.utils import timezone

from audit.models import AuditEvent
from relationships.models import DelegatedAdminRelationship, RelationshipOperation
from tests.gdap_factories import AccessAssignmentFactory, DelegatedAdminRelationshipFactory
from tests.graph.conftest import (
    GLOBAL_ADMIN,
    HELPDESK,
    RELATIONSHIPS,
    USER_ADMIN,
    new_relationship,
    roles,
)
from tests.graph.test_auth import assert_graph_error

pytestmark = pytest.mark.django_db
Status = DelegatedAdminRelationship.Status


def url(rel):
    return f"{RELATIONSHIPS}/{rel['id'] if isinstance(rel, dict) else rel.pk}"


@pytest.fixture
def created(graph, customer):
    response = graph.post(
        RELATIONSHIPS, new_relationship(customer={"tenantId": str(customer.pk)}), format="json"
    )
    assert response.status_code == 201, response.content
    return response.json()


def test_create_answers_201_with_location_etag_and_the_created_status(graph, customer):
    response = graph.post(
        RELATIONSHIPS,
        new_relationship(customer={"tenantId": str(customer.pk)}, autoExtendDuration="P180D"),
        format="json",
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert response["Location"] == f"http://testserver{RELATIONSHIPS}/{body['id']}"
    assert response["ETag"] == body["@odata.etag"]
    assert body["@odata.context"].endswith(
        "/tenantRelationships/$metadata#delegatedAdminRelationships"
    )
    assert body["status"] == "created"
    assert body["duration"] == "P730D"
    assert body["autoExtendDuration"] == "P180D"
    assert body["customer"] == {"tenantId": str(customer.pk), "displayName": "Fabrikam"}
    assert body["accessDetails"] == roles(HELPDESK)
    assert body["activatedDateTime"] is None and body["endDateTime"] is None
    assert AuditEvent.objects.filter(action="gdap.created").count() == 1


@pytest.mark.parametrize(
    ("given", "days"),
    [
        ("P2Y", 730),
        ("P730D", 730),
        ("P1D", 1),
        ("P1Y6M", 545),
        ("P4W", 28),
        ("730 days, 0:00:00", 730),
    ],
)
def test_durations_in_every_iso_form(graph, given, days):
    response = graph.post(RELATIONSHIPS, new_relationship(duration=given), format="json")

    assert response.status_code == 201, response.content
    assert response.json()["duration"] == f"P{days}D"


@pytest.mark.parametrize("given", ["P3Y", "P731D", "PT12H", "P0D", "two years", 730, None])
def test_durations_outside_p1d_to_p2y_are_refused(graph, given):
    response = graph.post(RELATIONSHIPS, new_relationship(duration=given), format="json")

    assert_graph_error(response, 400, "invalidRequest")
    assert response.json()["error"]["details"][0]["target"] == "duration"
    assert not DelegatedAdminRelationship.objects.exists()


@pytest.mark.parametrize("given", ["PT0S", "P0D", "P180D"])
def test_auto_extend_takes_graphs_values(graph, given):
    response = graph.post(RELATIONSHIPS, new_relationship(autoExtendDuration=given), format="json")

    assert response.status_code == 201, response.content
    assert response.json()["autoExtendDuration"] == ("P180D" if given == "P180D" else "PT0S")


def test_global_administrator_with_auto_extend_is_refused(graph):
    response = graph.post(
        RELATIONSHIPS,
        new_relationship(accessDetails=roles(GLOBAL_ADMIN), autoExtendDuration="P180D"),
        format="json",
    )

    assert_graph_error(response, 400, "invalidRequest")
    assert "Global Administrator" in response.json()["error"]["message"]


@pytest.mark.parametrize(
    "body",
    [
        {"displayName": "x"},
        new_relationship(status="active"),
        new_relationship(partner={"tenantId": "x"}),
        new_relationship(accessDetails={"unifiedRoles": "Helpdesk"}),
        new_relationship(accessDetails=roles("not-a-guid")),
        new_relationship(customer={"tenantId": "00000000-0000-0000-0000-000000000000"}),
        new_relationship(displayName="x" * 51),
        ["not", "an", "object"],
    ],
    ids=["missing", "read-only", "unknown", "shape", "role-id", "customer", "long-name", "list"],
)
def test_bad_bodies_are_400(graph, body):
    response = graph.post(RELATIONSHIPS, body, format="json")

    assert_graph_error(response, 400, "invalidRequest")
    assert not DelegatedAdminRelationship.objects.exists()


def test_get_answers_the_entity_with_its_etag(graph, created):
    response = graph.get(url(created))

    assert response.status_code == 200
    assert response.json()["@odata.context"].endswith("#delegatedAdminRelationships/$entity")
    assert response["ETag"] == created["@odata.etag"]
    assert response.json()["id"] == created["id"]


def test_get_takes_select(graph, created):
    response = graph.get(url(created), {"$select": "displayName,status"})

    assert response.status_code == 200
    assert {k for k in response.json() if not k.startswith("@")} == {"displayName", "status"}


def test_patch_while_created_changes_everything_it_may(graph, created, outsider):
    response = graph.patch(
        url(created),
        {
            "displayName": "Renamed",
            "duration": "P31D",
            "customer": {"tenantId": str(outsider.pk)},
            "accessDetails": roles(USER_ADMIN, HELPDESK),
            "autoExtendDuration": "P180D",
        },
        format="json",
        HTTP_IF_MATCH=created["@odata.etag"],
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["displayName"] == "Renamed"
    assert body["duration"] == "P31D"
    assert body["customer"]["tenantId"] == str(outsider.pk)
    assert {r["roleDefinitionId"] for r in body["accessDetails"]["unifiedRoles"]} == {
        USER_ADMIN,
        HELPDESK,
    }
    assert body["@odata.etag"] != created["@odata.etag"]
    assert response["ETag"] == body["@odata.etag"]


def test_patch_needs_if_match(graph, created):
    response = graph.patch(url(created), {"displayName": "Renamed"}, format="json")

    assert_graph_error(response, 400, "invalidRequest")
    assert "If-Match" in response.json()["error"]["message"]


def test_patch_with_a_stale_etag_is_412(graph, created):
    first = graph.patch(
        url(created), {"displayName": "One"}, format="json", HTTP_IF_MATCH=created["@odata.etag"]
    )
    assert first.status_code == 200

    response = graph.patch(
        url(created), {"displayName": "Two"}, format="json", HTTP_IF_MATCH=created["@odata.etag"]
    )

    assert_graph_error(response, 412, "resourceModified")
    assert DelegatedAdminRelationship.objects.get().display_name == "One"


@pytest.mark.parametrize("if_match", ['W/"garbage"', "garbage", 'W/"JyJ4Iic="'])
def test_an_etag_that_is_not_this_objects_is_412(graph, created, if_match):
    response = graph.patch(
        url(created), {"displayName": "x"}, format="json", HTTP_IF_MATCH=if_match
    )

    assert_graph_error(response, 412, "resourceModified")


def test_if_match_star_matches_any_version(graph, created):
    response = graph.patch(url(created), {"displayName": "Any"}, format="json", HTTP_IF_MATCH="*")

    assert response.status_code == 200


def test_delete_while_created(graph, created):
    assert_graph_error(graph.delete(url(created)), 400, "invalidRequest")

    response = graph.delete(url(created), HTTP_IF_MATCH=created["@odata.etag"])

    assert response.status_code == 204
    assert not DelegatedAdminRelationship.objects.exists()
    assert graph.get(url(created)).status_code == 404


def test_delete_after_lock_is_refused(graph, created):
    graph.post(f"{url(created)}/requests", {"action": "lockForApproval"}, format="json")

    response = graph.delete(url(created), HTTP_IF_MATCH="*")

    assert_graph_error(response, 409, "notAllowed")


# While active --------------------------------------------------------------------------------


@pytest.fixture
def active_ga(partner_tenant, customer):
    return DelegatedAdminRelationshipFactory(
        partner=partner_tenant,
        customer=customer,
        roles=["Global Administrator", "Helpdesk Administrator"],
    )


def etag_of(graph, rel):
    return graph.get(url(rel)).json()["@odata.etag"]


def test_while_active_only_auto_extend_and_global_admin_removal(graph, partner_tenant, customer):
    rel = DelegatedAdminRelationshipFactory(partner=partner_tenant, customer=customer)

    renamed = graph.patch(url(rel), {"displayName": "New"}, format="json", HTTP_IF_MATCH="*")
    extended = graph.patch(
        url(rel), {"autoExtendDuration": "P180D"}, format="json", HTTP_IF_MATCH=etag_of(graph, rel)
    )

    assert_graph_error(renamed, 409, "notAllowed")
    assert extended.status_code == 200, extended.content
    assert extended.json()["autoExtendDuration"] == "P180D"


def test_removing_global_admin_is_a_long_running_operation(graph, active_ga, partner_agent):
    AccessAssignmentFactory(relationship=active_ga)

    response = graph.patch(
        url(active_ga),
        {"accessDetails": roles(HELPDESK)},
        format="json",
        HTTP_IF_MATCH=etag_of(graph, active_ga),
    )

    assert response.status_code == 202, response.content
    operation = RelationshipOperation.objects.get()
    assert response["Location"] == (
        f"http://testserver{RELATIONSHIPS}/{active_ga.pk}/operations/{operation.pk}"
    )
    assert response["Retry-After"] == "10"
    assert response.json() == {}
    followed = graph.get(response["Location"], HTTP_PREFER="include-unknown-enum-members")
    assert followed.status_code == 200
    assert followed.json()["operationType"] == "delegatedAdminRelationshipUpdate"
    assert followed.json()["status"] in ("notStarted", "running", "succeeded")


def test_global_admin_and_auto_extend_together_are_refused(graph, active_ga):
    response = graph.patch(
        url(active_ga), {"autoExtendDuration": "P180D"}, format="json", HTTP_IF_MATCH="*"
    )

    assert_graph_error(response, 400, "invalidRequest")


@pytest.mark.parametrize("status", [Status.EXPIRED, Status.TERMINATED, Status.DECLINED])
def test_ended_relationships_cannot_change(graph, partner_tenant, status):
    rel = DelegatedAdminRelationshipFactory(partner=partner_tenant, status=status)

    response = graph.patch(
        url(rel), {"autoExtendDuration": "PT0S"}, format="json", HTTP_IF_MATCH="*"
    )

    assert_graph_error(response, 409, "notAllowed")


# Statuses as Graph reads them ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "graph_status"),
    [
        (Status.CREATED, "created"),
        (Status.APPROVAL_PENDING, "approvalPending"),
        (Status.ACTIVE, "active"),
        (Status.EXPIRED, "expired"),
        (Status.TERMINATED, "terminated"),
        (Status.DECLINED, "terminated"),
    ],
)
def test_status_mapping(graph, partner_tenant, status, graph_status):
    rel = DelegatedAdminRelationshipFactory(partner=partner_tenant, status=status)

    assert graph.get(url(rel)).json()["status"] == graph_status


def test_past_its_end_an_active_relationship_reads_expired(graph, partner_tenant):
    rel = DelegatedAdminRelationshipFactory(
        partner=partner_tenant, end_at=timezone.now() - timedelta(seconds=1)
    )

    body = graph.get(url(rel)).json()

    assert body["status"] == "expired"
    filtered = graph.get(RELATIONSHIPS, {"$filter": "status eq 'expired'"}).json()["value"]
    assert [row["id"] for row in filtered] == [str(rel.pk)]


def test_ending_within_30_days_is_still_active_not_expiring(graph, partner_tenant):
    rel = DelegatedAdminRelationshipFactory(
        partner=partner_tenant, end_at=timezone.now() + timedelta(days=3)
    )

    assert graph.get(url(rel)).json()["status"] == "active"


def test_sending_back_what_was_read_changes_nothing(graph, created):
    response = graph.patch(
        url(created),
        {"displayName": created["displayName"], "duration": "P2Y"},
        format="json",
        HTTP_IF_MATCH=created["@odata.etag"],
    )

    assert response.status_code == 200
    assert response.json()["@odata.etag"] == created["@odata.etag"]
    assert not AuditEvent.objects.filter(action="gdap.updated").exists()


def test_a_body_too_large_is_413_in_the_envelope(graph, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 200

    response = graph.post(RELATIONSHIPS, new_relationship(displayName="x" * 500), format="json")

    assert_graph_error(response, 413, "invalidRequest")
