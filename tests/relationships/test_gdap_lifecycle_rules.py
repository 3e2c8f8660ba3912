"""The GDAP rules Microsoft's API has and Liaison gained with it (issue 15), through /api/v1.

While created a relationship can be deleted; while active its auto-extend can change and
Global Administrator can be removed (an operation); every request (lockForApproval,
terminate) is recorded; an access assignment's roles can change (an operation); every
write moves the row's version (the Graph ETag).
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from relationships import services
from relationships.models import (
    AccessAssignment,
    DelegatedAdminRelationship,
    RelationshipOperation,
    RelationshipRequest,
)
from roles import access
from roles.permissions import GLOBAL_ADMIN_ID, role_id
from tests.factories import SecurityGroupFactory
from tests.gdap_factories import AccessAssignmentFactory, DelegatedAdminRelationshipFactory

pytestmark = pytest.mark.django_db

Status = DelegatedAdminRelationship.Status
HELPDESK_ID = str(role_id("Helpdesk Administrator"))
USER_ADMIN_ID = str(role_id("User Administrator"))
GA_ID = str(GLOBAL_ADMIN_ID)


def rel_url(tenant, rel, name="api-gdap-relationship"):
    return reverse(name, args=[tenant.pk, rel.pk])


def roles(*ids):
    return {"unified_roles": [{"role_definition_id": str(i)} for i in ids]}


@pytest.fixture
def partner_api(api_as, partner_admin):
    return api_as(partner_admin)


@pytest.fixture
def active_with_ga(partner_tenant, customer):
    return DelegatedAdminRelationshipFactory(
        partner=partner_tenant,
        customer=customer,
        roles=["Global Administrator", "Helpdesk Administrator"],
    )


# Delete while created ------------------------------------------------------------------------


def test_partner_deletes_a_created_relationship(partner_api, partner_tenant):
    rel = DelegatedAdminRelationshipFactory(partner=partner_tenant, status=Status.CREATED)

    response = partner_api.delete(rel_url(partner_tenant, rel))

    assert response.status_code == 204
    assert not DelegatedAdminRelationship.objects.exists()
    event = AuditEvent.objects.get(action="gdap.deleted")
    assert event.object_id == str(rel.pk)


@pytest.mark.parametrize("status", [s for s in Status.values if s != Status.CREATED])
def test_only_a_created_relationship_can_be_deleted(partner_api, partner_tenant, status):
    rel = DelegatedAdminRelationshipFactory(partner=partner_tenant, status=status)

    response = partner_api.delete(rel_url(partner_tenant, rel))

    assert response.status_code == 409
    assert DelegatedAdminRelationship.objects.filter(pk=rel.pk).exists()
    assert not AuditEvent.objects.exists()


def test_a_stale_version_is_refused(partner_admin, partner_tenant):
    rel = DelegatedAdminRelationshipFactory(partner=partner_tenant, status=Status.CREATED)
    services.update_relationship(
        by=partner_admin, partner=partner_tenant, relationship_id=rel.pk, display_name="New"
    )

    from core.errors import PreconditionFailed

    with pytest.raises(PreconditionFailed):
        services.delete_relationship(
            by=partner_admin, partner=partner_tenant, relationship_id=rel.pk, expected_version=1
        )
    services.delete_relationship(
        by=partner_admin, partner=partner_tenant, relationship_id=rel.pk, expected_version=2
    )
    assert not DelegatedAdminRelationship.objects.exists()


def test_the_customer_cannot_delete(api_as, customer, customer_admin, partner_tenant):
    rel = DelegatedAdminRelationshipFactory(
        partner=partner_tenant, customer=customer, status=Status.CREATED
    )

    response = api_as(customer_admin).delete(rel_url(customer, rel))

    assert response.status_code == 404
    assert DelegatedAdminRelationship.objects.exists()


# While active: auto-extend and Global Administrator ------------------------------------------


def test_auto_extend_changes_while_active(partner_api, partner_tenant, customer):
    rel = DelegatedAdminRelationshipFactory(partner=partner_tenant, customer=customer)

    response = partner_api.patch(
        rel_url(partner_tenant, rel), {"auto_extend_duration": "P180D"}, format="json"
    )

    assert response.status_code == 200, response.content
    assert response.json()["auto_extend_duration"] == "P180D"
    rel.refresh_from_db()
    assert rel.auto_extend_duration == timedelta(days=180)
    assert rel.version == 2
    # The same switch as the expiring page's: one event, and the customer is told.
    event = AuditEvent.objects.get(action="gdap.auto_extend_changed")
    assert event.before == {"auto_extend_days": 0}
    assert event.after["auto_extend_days"] == 180
    assert event.after["by"] == "partner"


def test_auto_extend_is_refused_while_global_administrator_is_held(
    partner_api, partner_tenant, active_with_ga
):
    response = partner_api.patch(
        rel_url(partner_tenant, active_with_ga), {"auto_extend_duration": "P180D"}, format="json"
    )

    assert response.status_code == 400
    assert "auto_extend_duration" in response.json()["errors"]


def test_removing_global_administrator_while_active_is_an_operation(
    partner_api, partner_tenant, active_with_ga, partner_agent
):
    group = SecurityGroupFactory(tenant=partner_tenant, members=[partner_agent])
    both = AccessAssignmentFactory(relationship=active_with_ga, security_group=group)
    only_ga = AccessAssignmentFactory(relationship=active_with_ga, roles=["Global Administrator"])
    assert access.has_permission(partner_agent, active_with_ga.customer, "users.manage")

    response = partner_api.patch(
        rel_url(partner_tenant, active_with_ga),
        {"access_details": roles(HELPDESK_ID)},
        format="json",
    )

    assert response.status_code == 200, response.content
    assert response.json()["access_details"] == roles(HELPDESK_ID)
    operation = RelationshipOperation.objects.get()
    assert operation.kind == RelationshipOperation.Kind.RELATIONSHIP_UPDATE
    assert operation.status == RelationshipOperation.Status.SUCCEEDED
    assert operation.data == {"remove_role_ids": [GA_ID], "role_ids": [HELPDESK_ID]}
    assert [str(r.id) for r in both.roles.all()] == [HELPDESK_ID]
    assert not AccessAssignment.objects.filter(pk=only_ga.pk).exists()
    assert not access.has_permission(partner_agent, active_with_ga.customer, "users.manage")
    assert AuditEvent.objects.filter(action="gdap.active_updated").count() == 1
    # Without Global Administrator, auto-extend is possible.
    response = partner_api.patch(
        rel_url(partner_tenant, active_with_ga), {"auto_extend_duration": "P180D"}, format="json"
    )
    assert response.status_code == 200


@pytest.mark.parametrize(
    "wanted",
    [[HELPDESK_ID, USER_ADMIN_ID], [GA_ID], []],
    ids=["adds-a-role", "drops-helpdesk", "drops-everything"],
)
def test_roles_of_an_active_relationship_change_only_by_dropping_global_admin(
    partner_api, partner_tenant, active_with_ga, wanted
):
    response = partner_api.patch(
        rel_url(partner_tenant, active_with_ga), {"access_details": roles(*wanted)}, format="json"
    )

    assert response.status_code in (400, 409)
    assert not RelationshipOperation.objects.exists()
    assert active_with_ga.approved_roles.count() == 2


def test_the_same_values_back_change_nothing(partner_api, partner_tenant, active_with_ga):
    response = partner_api.patch(
        rel_url(partner_tenant, active_with_ga),
        {
            "display_name": active_with_ga.display_name,
            "auto_extend_duration": "PT0S",
            "access_details": roles(GA_ID, HELPDESK_ID),
        },
        format="json",
    )

    assert response.status_code == 200, response.content
    assert not AuditEvent.objects.exists()
    assert not RelationshipOperation.objects.exists()


def test_a_deferred_removal_waits_for_its_task(
    partner_admin, partner_tenant, active_with_ga, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _rel, operation = services.update_relationship(
            by=partner_admin,
            partner=partner_tenant,
            relationship_id=active_with_ga.pk,
            role_ids=[role_id("Helpdesk Administrator")],
            deferred=True,
        )
    assert operation.status == RelationshipOperation.Status.NOT_STARTED
    assert active_with_ga.approved_roles.count() == 2
    assert len(callbacks) == 1

    callbacks[0]()  # the task, eagerly

    operation.refresh_from_db()
    assert operation.status == RelationshipOperation.Status.SUCCEEDED
    assert [str(r.id) for r in active_with_ga.approved_roles.all()] == [HELPDESK_ID]
    assert AuditEvent.objects.filter(action="gdap.operation_completed").count() == 1
    assert services.run_operation(operation_id=operation.pk) == "succeeded"  # idempotent
    assert AuditEvent.objects.filter(action="gdap.operation_completed").count() == 1


def test_an_operation_that_no_longer_fits_fails(partner_admin, partner_tenant, active_with_ga):
    operation = RelationshipOperation.objects.create(
        relationship=active_with_ga,
        kind=RelationshipOperation.Kind.RELATIONSHIP_UPDATE,
        data={"remove_role_ids": [GA_ID]},
    )
    DelegatedAdminRelationship.objects.filter(pk=active_with_ga.pk).update(status=Status.TERMINATED)

    assert services.run_operation(operation_id=operation.pk) == "failed"

    operation.refresh_from_db()
    assert operation.error == "The relationship is no longer active."
    assert AuditEvent.objects.filter(action="gdap.operation_failed").count() == 1


# Requests are recorded -----------------------------------------------------------------------


def test_lock_for_approval_and_terminate_are_recorded_as_requests(
    partner_api, partner_tenant, customer
):
    rel = DelegatedAdminRelationshipFactory(
        partner=partner_tenant, customer=customer, status=Status.CREATED
    )
    url = rel_url(partner_tenant, rel, "api-gdap-requests")

    locked = partner_api.post(url, {"action": "lockForApproval"}, format="json")

    assert locked.status_code == 201, locked.content
    request = RelationshipRequest.objects.get()
    assert locked.json()["id"] == str(request.pk)
    assert locked.json()["status"] == "succeeded"
    assert request.action == RelationshipRequest.Action.LOCK_FOR_APPROVAL
    assert request.requested_by_tenant == partner_tenant
    event = AuditEvent.objects.get(action="gdap.locked_for_approval")
    assert event.after["request"] == str(request.pk)

    DelegatedAdminRelationship.objects.filter(pk=rel.pk).update(
        status=Status.ACTIVE, activated_at=timezone.now(), end_at=timezone.now() + rel.duration
    )
    ended = partner_api.post(url, {"action": "terminate"}, format="json")

    assert ended.status_code == 201
    assert ended.json()["relationship_status"] == "terminated"
    assert list(RelationshipRequest.objects.values_list("action", flat=True)) == [
        "lock_for_approval",
        "terminate",
    ]


def test_a_refused_request_leaves_no_row(partner_api, partner_tenant):
    rel = DelegatedAdminRelationshipFactory(partner=partner_tenant, status=Status.EXPIRED)

    response = partner_api.post(
        rel_url(partner_tenant, rel, "api-gdap-requests"), {"action": "terminate"}, format="json"
    )

    assert response.status_code == 409
    assert not RelationshipRequest.objects.exists()


# Access assignments: change of roles, and the deferred (Graph) path ---------------------------


@pytest.fixture
def two_role_rel(partner_tenant, customer):
    return DelegatedAdminRelationshipFactory(
        partner=partner_tenant,
        customer=customer,
        roles=["Helpdesk Administrator", "User Administrator"],
    )


def test_partner_changes_the_roles_of_an_assignment(
    partner_api, partner_tenant, two_role_rel, partner_agent
):
    group = SecurityGroupFactory(tenant=partner_tenant, members=[partner_agent])
    assignment = AccessAssignmentFactory(
        relationship=two_role_rel, security_group=group, roles=["Helpdesk Administrator"]
    )
    url = reverse("api-gdap-assignment", args=[partner_tenant.pk, two_role_rel.pk, assignment.pk])

    response = partner_api.patch(
        url, {"access_details": roles(HELPDESK_ID, USER_ADMIN_ID)}, format="json"
    )

    assert response.status_code == 200, response.content
    assert {
        r["role_definition_id"] for r in response.json()["access_details"]["unified_roles"]
    } == {
        HELPDESK_ID,
        USER_ADMIN_ID,
    }
    operation = RelationshipOperation.objects.get()
    assert operation.kind == RelationshipOperation.Kind.ACCESS_ASSIGNMENT_UPDATE
    assert operation.status == RelationshipOperation.Status.SUCCEEDED
    assert access.has_permission(partner_agent, two_role_rel.customer, "users.manage")
    assignment.refresh_from_db()
    assert assignment.version == 2
    assert AuditEvent.objects.filter(action="gdap.access_changed").count() == 1


def test_an_assignment_gets_only_approved_roles(partner_api, partner_tenant, two_role_rel):
    assignment = AccessAssignmentFactory(relationship=two_role_rel)
    url = reverse("api-gdap-assignment", args=[partner_tenant.pk, two_role_rel.pk, assignment.pk])

    response = partner_api.patch(url, {"access_details": roles(GA_ID)}, format="json")

    assert response.status_code == 400
    assert not RelationshipOperation.objects.exists()


def test_a_deferred_assignment_gives_nothing_until_its_task_ran(
    partner_admin, partner_tenant, two_role_rel, partner_agent, django_capture_on_commit_callbacks
):
    group = SecurityGroupFactory(tenant=partner_tenant, members=[partner_agent])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assignment = services.create_access_assignment(
            by=partner_admin,
            partner=partner_tenant,
            relationship_id=two_role_rel.pk,
            security_group_id=group.pk,
            role_ids=[role_id("User Administrator")],
            deferred=True,
        )
    assert assignment.status == AccessAssignment.Status.PENDING
    assert not access.has_permission(partner_agent, two_role_rel.customer, "users.manage")

    callbacks[0]()

    assignment.refresh_from_db()
    assert assignment.status == AccessAssignment.Status.ACTIVE
    access.forget()
    assert access.has_permission(partner_agent, two_role_rel.customer, "users.manage")
    assert AuditEvent.objects.filter(action="gdap.access_provisioned").count() == 1

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.delete_access_assignment(
            by=partner_admin,
            partner=partner_tenant,
            relationship_id=two_role_rel.pk,
            assignment_id=assignment.pk,
            deferred=True,
        )
    assignment.refresh_from_db()
    assert assignment.status == AccessAssignment.Status.DELETING
    assert not access.has_permission(partner_agent, two_role_rel.customer, "users.manage")

    callbacks[0]()

    assert not AccessAssignment.objects.exists()
    assert AuditEvent.objects.filter(action="gdap.access_deprovisioned").count() == 1
    assert services.complete_access_assignment(assignment_id=assignment.pk) is None


def test_a_pending_assignment_of_an_ended_relationship_becomes_error(
    partner_admin, partner_tenant, two_role_rel
):
    assignment = AccessAssignmentFactory(relationship=two_role_rel)
    AccessAssignment.objects.filter(pk=assignment.pk).update(status="pending")
    DelegatedAdminRelationship.objects.filter(pk=two_role_rel.pk).update(status=Status.TERMINATED)

    assert services.complete_access_assignment(assignment_id=assignment.pk) == "error"


def test_work_left_behind_is_queued_again(partner_tenant, two_role_rel, monkeypatch):
    assignment = AccessAssignmentFactory(relationship=two_role_rel)
    old = timezone.now() - timedelta(minutes=10)
    AccessAssignment.objects.filter(pk=assignment.pk).update(status="pending", last_modified_at=old)
    operation = RelationshipOperation.objects.create(
        relationship=two_role_rel,
        access_assignment=assignment,
        kind=RelationshipOperation.Kind.ACCESS_ASSIGNMENT_UPDATE,
        data={"role_ids": [USER_ADMIN_ID]},
    )
    RelationshipOperation.objects.filter(pk=operation.pk).update(last_modified_at=old)

    assert services.resume_pending() == 2

    assignment.refresh_from_db()
    operation.refresh_from_db()
    assert assignment.status == "active"
    assert operation.status == "succeeded"
    assert [str(r.id) for r in assignment.roles.all()] == [USER_ADMIN_ID]


# Versions ------------------------------------------------------------------------------------


def test_every_write_moves_the_version_even_the_sweep(partner_tenant, customer):
    rel = DelegatedAdminRelationshipFactory(
        partner=partner_tenant, customer=customer, end_at=timezone.now() - timedelta(minutes=1)
    )
    assert rel.version == 1

    services.sweep_due()

    rel.refresh_from_db()
    assert rel.status == Status.EXPIRED
    assert rel.version == 2
