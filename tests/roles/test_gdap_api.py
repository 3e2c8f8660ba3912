"""GDAP through the API: creating and editing requests, access assignments, isolation."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from relationships.models import AccessAssignment, DelegatedAdminRelationship
from roles.permissions import GLOBAL_ADMIN_ID, role_id
from tests.factories import SecurityGroupFactory
from tests.gdap_factories import (
    AccessAssignmentFactory,
    DelegatedAdminRelationshipFactory,
    require_invitations,
)
from tests.partners.conftest import make_listing

pytestmark = pytest.mark.django_db

Status = DelegatedAdminRelationship.Status
HELPDESK_ID = str(role_id("Helpdesk Administrator"))
USER_ADMIN_ID = str(role_id("User Administrator"))
NOT_ASSIGNABLE_ID = str(role_id("Directory Synchronization Accounts"))


def rels_url(tenant):
    return reverse("api-gdap-relationships", args=[tenant.pk])


def rel_url(tenant, rel, name="api-gdap-relationship"):
    return reverse(name, args=[tenant.pk, rel.pk])


def body(**changes):
    data = {
        "display_name": "Contoso helpdesk",
        "duration": "P730D",
        "auto_extend_duration": "PT0S",
        "access_details": {"unified_roles": [{"role_definition_id": HELPDESK_ID}]},
    }
    data.update(changes)
    return data


def roles(*ids):
    return {"unified_roles": [{"role_definition_id": str(i)} for i in ids]}


def assignment_body(group, *role_ids):
    return {
        "access_container": {
            "access_container_id": str(group.pk),
            "access_container_type": "securityGroup",
        },
        "access_details": roles(*role_ids),
    }


@pytest.fixture
def partner_api(api_as, partner_admin, partner_tenant):
    make_listing("Contoso", tenant=partner_tenant)  # only partners ask for roles
    return api_as(partner_admin)


# Creating -------------------------------------------------------------------------------


def test_partner_admin_creates_a_relationship_in_graph_shape(partner_api, partner_tenant, customer):
    response = partner_api.post(
        rels_url(partner_tenant),
        body(customer={"tenant_id": str(customer.pk)}),
        format="json",
    )

    assert response.status_code == 201, response.content
    data = response.json()
    assert data["status"] == "created"
    assert data["duration"] == "P730D"
    assert data["auto_extend_duration"] == "PT0S"
    assert data["customer"] == {"tenant_id": str(customer.pk), "display_name": "Fabrikam"}
    assert data["partner"]["tenant_id"] == str(partner_tenant.pk)
    assert data["requested_access_details"] == roles(HELPDESK_ID)
    assert data["access_details"] == {"unified_roles": []}
    assert data["end_date_time"] is None
    assert AuditEvent.objects.filter(action="gdap.created").count() == 1


@pytest.mark.parametrize(
    ("duration", "status"),
    [
        ("P0D", 400),
        ("P1D", 201),
        ("P730D", 201),
        ("P731D", 400),
        ("PT0S", 400),
        ("P1DT1H", 400),
        ("-P1D", 400),
        ("garbage", 400),
        ("", 400),
        (30, 400),
    ],
)
def test_duration_runs_from_one_to_730_days(partner_api, partner_tenant, duration, status):
    response = partner_api.post(rels_url(partner_tenant), body(duration=duration), format="json")

    assert response.status_code == status, response.content
    if status == 400:
        assert response.json()["code"] == "invalid"
        assert "duration" in response.json()["errors"]
        assert not DelegatedAdminRelationship.objects.exists()


def test_global_administrator_with_auto_extend_is_refused(partner_api, partner_tenant):
    response = partner_api.post(
        rels_url(partner_tenant),
        body(auto_extend_duration="P180D", access_details=roles(GLOBAL_ADMIN_ID, HELPDESK_ID)),
        format="json",
    )

    assert response.status_code == 400
    assert "auto_extend_duration" in response.json()["errors"]
    assert not DelegatedAdminRelationship.objects.exists()


def test_global_administrator_without_auto_extend_is_fine(partner_api, partner_tenant):
    response = partner_api.post(
        rels_url(partner_tenant), body(access_details=roles(GLOBAL_ADMIN_ID)), format="json"
    )

    assert response.status_code == 201


def test_auto_extend_180_days_with_other_roles(partner_api, partner_tenant):
    response = partner_api.post(
        rels_url(partner_tenant), body(auto_extend_duration="P180D"), format="json"
    )

    assert response.status_code == 201
    assert response.json()["auto_extend_duration"] == "P180D"


def test_auto_extend_is_off_or_180_days(partner_api, partner_tenant):
    response = partner_api.post(
        rels_url(partner_tenant), body(auto_extend_duration="P90D"), format="json"
    )

    assert response.status_code == 400
    assert "auto_extend_duration" in response.json()["errors"]


@pytest.mark.parametrize(
    "access_details",
    [
        roles("00000000-0000-0000-0000-000000000000"),
        roles(NOT_ASSIGNABLE_ID),
        roles(),
        {"unified_roles": [{"role_definition_id": "not-a-uuid"}]},
    ],
    ids=["unknown", "not-assignable", "none", "malformed"],
)
def test_roles_must_be_known_and_assignable(partner_api, partner_tenant, access_details):
    response = partner_api.post(
        rels_url(partner_tenant), body(access_details=access_details), format="json"
    )

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert not DelegatedAdminRelationship.objects.exists()


def test_display_name_is_at_most_50_characters(partner_api, partner_tenant):
    assert (
        partner_api.post(
            rels_url(partner_tenant), body(display_name="x" * 50), format="json"
        ).status_code
        == 201
    )

    response = partner_api.post(
        rels_url(partner_tenant), body(display_name="y" * 51), format="json"
    )

    assert response.status_code == 400
    assert "display_name" in response.json()["errors"]


def test_display_name_is_unique_per_partner(partner_api, partner_tenant, outsider):
    DelegatedAdminRelationshipFactory(partner=outsider, display_name="Contoso helpdesk")
    assert partner_api.post(rels_url(partner_tenant), body(), format="json").status_code == 201

    response = partner_api.post(rels_url(partner_tenant), body(), format="json")

    assert response.status_code == 400
    assert "display_name" in response.json()["errors"]
    assert DelegatedAdminRelationship.objects.filter(partner=partner_tenant).count() == 1


def test_unknown_customer_tenant_is_refused(partner_api, partner_tenant):
    response = partner_api.post(
        rels_url(partner_tenant),
        body(customer={"tenant_id": "00000000-0000-0000-0000-000000000000"}),
        format="json",
    )

    assert response.status_code == 400
    assert "customer" in response.json()["errors"]


def test_partner_agent_without_partners_manage_cannot_create(api_as, partner_tenant, partner_agent):
    response = api_as(partner_agent).post(rels_url(partner_tenant), body(), format="json")

    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


# Editing ---------------------------------------------------------------------------------


def test_patch_changes_a_created_relationship(partner_api, partner_tenant):
    rel = DelegatedAdminRelationshipFactory(partner=partner_tenant, status=Status.CREATED)

    response = partner_api.patch(
        rel_url(partner_tenant, rel),
        {"display_name": "Renamed", "duration": "P90D", "access_details": roles(USER_ADMIN_ID)},
        format="json",
    )

    assert response.status_code == 200, response.content
    assert response.json()["display_name"] == "Renamed"
    assert response.json()["duration"] == "P90D"
    assert response.json()["requested_access_details"] == roles(USER_ADMIN_ID)
    assert AuditEvent.objects.filter(action="gdap.updated").count() == 1


def test_patch_refuses_global_administrator_with_existing_auto_extend(partner_api, partner_tenant):
    rel = DelegatedAdminRelationshipFactory(
        partner=partner_tenant, status=Status.CREATED, auto_extend_duration=timedelta(days=180)
    )

    response = partner_api.patch(
        rel_url(partner_tenant, rel), {"access_details": roles(GLOBAL_ADMIN_ID)}, format="json"
    )

    assert response.status_code == 400
    assert "auto_extend_duration" in response.json()["errors"]


@pytest.mark.parametrize(
    "status",
    [s for s in Status.values if s != Status.CREATED],
)
def test_patch_only_while_created(partner_api, partner_tenant, status):
    rel = DelegatedAdminRelationshipFactory(partner=partner_tenant, status=status)

    response = partner_api.patch(
        rel_url(partner_tenant, rel), {"display_name": "Renamed"}, format="json"
    )

    assert response.status_code == 409
    assert response.json()["code"] == "invalid_state"
    rel.refresh_from_db()
    assert rel.display_name != "Renamed"
    assert not AuditEvent.objects.exists()


# Requests: lockForApproval and terminate -------------------------------------------------


def test_lock_for_approval_returns_the_approval_url(partner_api, partner_tenant, customer):
    require_invitations()
    rel = DelegatedAdminRelationshipFactory(
        partner=partner_tenant, customer=customer, status=Status.CREATED
    )

    response = partner_api.post(
        rel_url(partner_tenant, rel, "api-gdap-requests"),
        {"action": "lockForApproval"},
        format="json",
    )

    assert response.status_code == 201, response.content
    assert response.json()["relationship_status"] == "approval_pending"
    assert response.json()["approval_url"].startswith("http")
    rel.refresh_from_db()
    assert rel.status == Status.APPROVAL_PENDING


def test_partner_terminates_an_active_relationship(partner_api, partner_tenant, customer):
    rel = DelegatedAdminRelationshipFactory(partner=partner_tenant, customer=customer)

    response = partner_api.post(
        rel_url(partner_tenant, rel, "api-gdap-requests"), {"action": "terminate"}, format="json"
    )

    assert response.status_code == 201
    assert response.json()["relationship_status"] == "terminated"
    rel.refresh_from_db()
    assert rel.status == Status.TERMINATED
    assert rel.ended_at is not None
    assert AuditEvent.objects.filter(action="gdap.terminated", object_id=str(rel.pk)).count() == 1


def test_unknown_request_action_is_refused(partner_api, partner_tenant):
    rel = DelegatedAdminRelationshipFactory(partner=partner_tenant)

    response = partner_api.post(
        rel_url(partner_tenant, rel, "api-gdap-requests"), {"action": "approve"}, format="json"
    )

    assert response.status_code == 400


# Access assignments ----------------------------------------------------------------------


@pytest.fixture
def active_rel(partner_tenant, customer):
    rel = DelegatedAdminRelationshipFactory(
        partner=partner_tenant, customer=customer, roles=["Helpdesk Administrator"]
    )
    # Requested two roles; the customer approved only Helpdesk Administrator.
    rel.requested_roles.add(role_id("User Administrator"))
    return rel


@pytest.fixture
def staff_group(partner_tenant, partner_agent):
    return SecurityGroupFactory(
        tenant=partner_tenant, name="Helpdesk staff", members=[partner_agent]
    )


def test_partner_assigns_approved_roles_to_its_group(
    partner_api, partner_tenant, active_rel, staff_group
):
    response = partner_api.post(
        rel_url(partner_tenant, active_rel, "api-gdap-assignments"),
        assignment_body(staff_group, HELPDESK_ID),
        format="json",
    )

    assert response.status_code == 201, response.content
    data = response.json()
    assert data["access_container"]["access_container_id"] == str(staff_group.pk)
    assert data["access_container"]["access_container_type"] == "securityGroup"
    assert data["access_details"] == roles(HELPDESK_ID)
    event = AuditEvent.objects.get(action="gdap.access_assigned")
    assert event.acting_tenant_id == partner_tenant.pk


def test_assignment_of_an_unapproved_role_is_refused(
    partner_api, partner_tenant, active_rel, staff_group
):
    response = partner_api.post(
        rel_url(partner_tenant, active_rel, "api-gdap-assignments"),
        assignment_body(staff_group, HELPDESK_ID, USER_ADMIN_ID),
        format="json",
    )

    assert response.status_code == 400
    assert not AccessAssignment.objects.exists()


def test_assignment_needs_at_least_one_role(partner_api, partner_tenant, active_rel, staff_group):
    response = partner_api.post(
        rel_url(partner_tenant, active_rel, "api-gdap-assignments"),
        assignment_body(staff_group),
        format="json",
    )

    assert response.status_code == 400


@pytest.mark.parametrize(
    "status", [Status.CREATED, Status.APPROVAL_PENDING, Status.EXPIRED, Status.TERMINATED]
)
def test_assignment_needs_an_active_relationship(partner_api, partner_tenant, staff_group, status):
    rel = DelegatedAdminRelationshipFactory(partner=partner_tenant, status=status)
    rel.approved_roles.set(rel.requested_roles.all())

    response = partner_api.post(
        rel_url(partner_tenant, rel, "api-gdap-assignments"),
        assignment_body(staff_group, HELPDESK_ID),
        format="json",
    )

    assert response.status_code == 409
    assert response.json()["code"] == "invalid_state"


def test_assignment_on_a_relationship_past_its_end_is_refused(
    partner_api, partner_tenant, staff_group
):
    rel = DelegatedAdminRelationshipFactory(
        partner=partner_tenant, end_at=timezone.now() - timedelta(seconds=1)
    )

    response = partner_api.post(
        rel_url(partner_tenant, rel, "api-gdap-assignments"),
        assignment_body(staff_group, HELPDESK_ID),
        format="json",
    )

    assert response.status_code == 409


def test_group_of_another_tenant_is_not_found(partner_api, partner_tenant, active_rel, customer):
    foreign_group = SecurityGroupFactory(tenant=customer)

    response = partner_api.post(
        rel_url(partner_tenant, active_rel, "api-gdap-assignments"),
        assignment_body(foreign_group, HELPDESK_ID),
        format="json",
    )

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert not AccessAssignment.objects.exists()


def test_a_group_is_assigned_once_per_relationship(
    partner_api, partner_tenant, active_rel, staff_group
):
    url = rel_url(partner_tenant, active_rel, "api-gdap-assignments")
    assert (
        partner_api.post(url, assignment_body(staff_group, HELPDESK_ID), format="json").status_code
        == 201
    )

    response = partner_api.post(url, assignment_body(staff_group, HELPDESK_ID), format="json")

    assert response.status_code == 400


def test_partner_removes_an_assignment(partner_api, partner_tenant, active_rel):
    assignment = AccessAssignmentFactory(relationship=active_rel)
    url = reverse("api-gdap-assignment", args=[partner_tenant.pk, active_rel.pk, assignment.pk])

    response = partner_api.delete(url)

    assert response.status_code == 204
    assert not AccessAssignment.objects.exists()
    assert AuditEvent.objects.filter(action="gdap.access_removed").count() == 1


# Reading and isolation --------------------------------------------------------------------


def test_customer_reads_incoming_relationships_but_not_drafts(
    api_as, customer, customer_admin, partner_tenant
):
    active = DelegatedAdminRelationshipFactory(partner=partner_tenant, customer=customer)
    DelegatedAdminRelationshipFactory(
        partner=partner_tenant, customer=customer, status=Status.CREATED
    )

    response = api_as(customer_admin).get(rels_url(customer), {"side": "customer"})

    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [str(active.pk)]


def test_customer_cannot_patch_a_partners_relationship(
    api_as, customer, customer_admin, partner_tenant
):
    rel = DelegatedAdminRelationshipFactory(partner=partner_tenant, customer=customer)

    response = api_as(customer_admin).patch(
        rel_url(customer, rel), {"display_name": "Mine"}, format="json"
    )

    assert response.status_code == 404


def test_status_filter_reads_expired_past_the_end(partner_api, partner_tenant):
    past = DelegatedAdminRelationshipFactory(
        partner=partner_tenant, end_at=timezone.now() - timedelta(minutes=1)
    )
    current = DelegatedAdminRelationshipFactory(partner=partner_tenant)

    active = partner_api.get(rels_url(partner_tenant), {"status": "active"}).json()
    expired = partner_api.get(rels_url(partner_tenant), {"status": "expired"}).json()

    assert [r["id"] for r in active["results"]] == [str(current.pk)]
    assert [r["id"] for r in expired["results"]] == [str(past.pk)]
    assert expired["results"][0]["status"] == "expired"


def _gdap_urls(tenant, rel, assignment):
    return [
        ("get", rel_url(tenant, rel)),
        ("patch", rel_url(tenant, rel)),
        ("post", rel_url(tenant, rel, "api-gdap-requests")),
        ("get", rel_url(tenant, rel, "api-gdap-assignments")),
        ("post", rel_url(tenant, rel, "api-gdap-assignments")),
        ("get", reverse("api-gdap-assignment", args=[tenant.pk, rel.pk, assignment.pk])),
        ("delete", reverse("api-gdap-assignment", args=[tenant.pk, rel.pk, assignment.pk])),
    ]


@pytest.mark.parametrize("index", range(7))
def test_another_tenants_ids_are_not_found_on_every_gdap_endpoint(
    api_as, partner_tenant, customer, outsider, outsider_admin, index
):
    rel = DelegatedAdminRelationshipFactory(partner=partner_tenant, customer=customer)
    assignment = AccessAssignmentFactory(relationship=rel)
    own_group = SecurityGroupFactory(tenant=outsider)
    method, url = _gdap_urls(outsider, rel, assignment)[index]
    payloads = {
        "patch": {"display_name": "Taken"},
        "post": {"action": "terminate", **assignment_body(own_group, HELPDESK_ID)},
    }

    response = getattr(api_as(outsider_admin), method)(url, payloads.get(method, {}), format="json")

    assert response.status_code == 404, (method, url, response.content)
    assert response.json()["code"] == "not_found"
    rel.refresh_from_db()
    assert rel.status == Status.ACTIVE
    assert rel.display_name != "Taken"
    assert AccessAssignment.objects.filter(pk=assignment.pk).exists()
    assert not AuditEvent.objects.exists()


def test_an_assignment_of_another_relationship_is_not_found(
    partner_api, partner_tenant, active_rel
):
    other = AccessAssignmentFactory(
        relationship=DelegatedAdminRelationshipFactory(partner=partner_tenant)
    )
    url = reverse("api-gdap-assignment", args=[partner_tenant.pk, active_rel.pk, other.pk])

    assert partner_api.get(url).status_code == 404
    assert partner_api.delete(url).status_code == 404
    assert AccessAssignment.objects.filter(pk=other.pk).exists()


def _make_relationships(partner, count):
    for _ in range(count):
        rel = DelegatedAdminRelationshipFactory(
            partner=partner, roles=["Helpdesk Administrator", "User Administrator"]
        )
        AccessAssignmentFactory(relationship=rel)


def _count_queries(client, url, **params):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_relationship_list_makes_a_constant_number_of_queries(partner_api, partner_tenant):
    _make_relationships(partner_tenant, 3)
    few = _count_queries(partner_api, rels_url(partner_tenant), page_size=100)
    _make_relationships(partner_tenant, 27)

    many = _count_queries(partner_api, rels_url(partner_tenant), page_size=100)

    assert many == few


def test_assignment_list_makes_a_constant_number_of_queries(
    partner_api, partner_tenant, active_rel
):
    url = rel_url(partner_tenant, active_rel, "api-gdap-assignments")
    for _ in range(3):
        AccessAssignmentFactory(relationship=active_rel)
    few = _count_queries(partner_api, url, page_size=100)
    for _ in range(27):
        AccessAssignmentFactory(relationship=active_rel)

    many = _count_queries(partner_api, url, page_size=100)

    assert many == few
