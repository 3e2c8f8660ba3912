"""GDAP pages: the relationships list and pane, create and edit, send for approval,
terminate, and access assignments; the customer's read-only view."""

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


def list_url(tenant):
    return reverse("gdap_relationships", args=[tenant.pk])


def page_url(name, tenant, rel, *more):
    return reverse(name, args=[tenant.pk, rel.pk, *more])


def form_data(**changes):
    data = {
        "display_name": "Contoso helpdesk",
        "customer": "",
        "duration_days": "730",
        "roles": [HELPDESK_ID],
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def partner_client(client_as, partner_admin, partner_tenant):
    make_listing("Contoso", tenant=partner_tenant)  # only partners ask for roles
    return client_as(partner_admin)


@pytest.fixture
def active_rel(partner_tenant, customer):
    rel = DelegatedAdminRelationshipFactory(
        partner=partner_tenant,
        customer=customer,
        display_name="Fabrikam helpdesk",
        roles=["Helpdesk Administrator", "Global Administrator"],
    )
    rel.requested_roles.add(role_id("User Administrator"))  # asked for, not approved
    return rel


# The list -----------------------------------------------------------------------------------


def test_partner_admin_sees_relationships_with_status_customer_roles_and_end(
    partner_client, partner_tenant, active_rel
):
    response = partner_client.get(list_url(partner_tenant))

    assert response.status_code == 200
    body = response.content.decode()
    assert "Fabrikam helpdesk" in body
    assert "Fabrikam" in body
    assert "Helpdesk Administrator" in body
    assert "badge-privileged" in body  # Global Administrator
    assert active_rel.end_at.date().isoformat() in body  # <time datetime=...>
    assert ">Expiring</span>" not in body  # the badge (the nav links "Expiring relationships")
    assert reverse("gdap_relationship_new", args=[partner_tenant.pk]) in body
    assert "css/gdap.css" in body


def test_the_nav_links_the_gdap_page(partner_client, partner_tenant):
    body = partner_client.get(reverse("tenant_home", args=[partner_tenant.pk])).content.decode()

    assert list_url(partner_tenant) in body


def test_expiring_badge_within_30_days(partner_client, partner_tenant, customer):
    soon = DelegatedAdminRelationshipFactory(partner=partner_tenant, customer=customer)
    soon.end_at = timezone.now() + timedelta(days=29)
    soon.save(update_fields=["end_at"])

    body = partner_client.get(list_url(partner_tenant)).content.decode()

    assert ">Expiring</span>" in body


def test_a_relationship_past_its_end_reads_expired_before_any_sweep(
    partner_client, partner_tenant, customer
):
    rel = DelegatedAdminRelationshipFactory(partner=partner_tenant, customer=customer)
    rel.end_at = timezone.now() - timedelta(seconds=1)
    rel.save(update_fields=["end_at"])

    response = partner_client.get(list_url(partner_tenant), {"status": "expired"})

    assert rel.display_name in response.content.decode()
    assert response.context["rows"][0]["status"] == "expired"
    active = partner_client.get(list_url(partner_tenant), {"status": "active"})
    assert active.context["rows"] == []


def test_status_filter(partner_client, partner_tenant):
    draft = DelegatedAdminRelationshipFactory(partner=partner_tenant, status=Status.CREATED)
    DelegatedAdminRelationshipFactory(partner=partner_tenant)

    response = partner_client.get(list_url(partner_tenant), {"status": "created"})

    assert [row["rel"].pk for row in response.context["rows"]] == [draft.pk]


def test_list_is_paginated(partner_client, partner_tenant):
    for _ in range(30):
        DelegatedAdminRelationshipFactory(partner=partner_tenant)

    first = partner_client.get(list_url(partner_tenant))
    second = partner_client.get(list_url(partner_tenant), {"page": 2})

    assert len(first.context["rows"]) == 25
    assert len(second.context["rows"]) == 5


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_list_makes_a_constant_number_of_queries(partner_client, partner_tenant):
    for _ in range(3):
        DelegatedAdminRelationshipFactory(partner=partner_tenant, roles=["Helpdesk Administrator"])
    few = _queries(partner_client, list_url(partner_tenant))
    for _ in range(22):
        DelegatedAdminRelationshipFactory(
            partner=partner_tenant, roles=["Helpdesk Administrator", "User Administrator"]
        )

    assert _queries(partner_client, list_url(partner_tenant)) == few


def test_pane_makes_a_constant_number_of_queries(partner_client, partner_tenant, active_rel):
    url = page_url("gdap_relationship", partner_tenant, active_rel)
    AccessAssignmentFactory(relationship=active_rel)
    few = _queries(partner_client, url)
    for _ in range(10):
        AccessAssignmentFactory(relationship=active_rel)
        SecurityGroupFactory(tenant=partner_tenant)

    assert _queries(partner_client, url) == few


def test_partner_member_without_partners_read_is_refused(client_as, partner_tenant, partner_agent):
    assert client_as(partner_agent).get(list_url(partner_tenant)).status_code == 403


def test_outsider_gets_404(client_as, partner_tenant, outsider, outsider_admin, active_rel):
    outsider_client = client_as(outsider_admin)

    assert outsider_client.get(list_url(partner_tenant)).status_code == 404
    for name in ("gdap_relationship", "gdap_relationship_edit", "gdap_relationship_terminate"):
        assert outsider_client.get(page_url(name, outsider, active_rel)).status_code == 404


# The pane -----------------------------------------------------------------------------------


def test_pane_shows_details_roles_and_actions(partner_client, partner_tenant, active_rel):
    AccessAssignmentFactory(
        relationship=active_rel,
        security_group=SecurityGroupFactory(tenant=partner_tenant, name="Tier 1"),
        roles=["Helpdesk Administrator"],
    )

    response = partner_client.get(page_url("gdap_relationship", partner_tenant, active_rel))

    assert response.status_code == 200
    body = response.content.decode()
    assert str(active_rel.pk) in body
    assert "User Administrator" in body  # requested
    assert "Tier 1" in body
    assert page_url("gdap_relationship_terminate", partner_tenant, active_rel) in body
    assert page_url("gdap_assignment_add", partner_tenant, active_rel) in body
    assert page_url("gdap_relationship_edit", partner_tenant, active_rel) not in body
    # The add form offers only the approved roles.
    form = response.context["assignment_form"]
    assert {c for c, _label in form.fields["roles"].choices} == {
        HELPDESK_ID,
        str(GLOBAL_ADMIN_ID),
    }


def test_pane_as_htmx_fragment(partner_client, partner_tenant, active_rel):
    response = partner_client.get(
        page_url("gdap_relationship", partner_tenant, active_rel), HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="pane-title"' in body
    assert "<html" not in body
    assert "HX-Request" in response["Vary"]


def test_created_relationship_offers_edit_and_send_for_approval(partner_client, partner_tenant):
    draft = DelegatedAdminRelationshipFactory(partner=partner_tenant, status=Status.CREATED)

    body = partner_client.get(page_url("gdap_relationship", partner_tenant, draft)).content.decode()

    assert page_url("gdap_relationship_edit", partner_tenant, draft) in body
    assert page_url("gdap_relationship_lock", partner_tenant, draft) in body
    assert page_url("gdap_relationship_terminate", partner_tenant, draft) not in body


def test_customer_reads_an_incoming_relationship_without_actions(
    client_as, customer, customer_admin, active_rel
):
    client = client_as(customer_admin)

    listing = client.get(list_url(customer))
    response = client.get(page_url("gdap_relationship", customer, active_rel))

    assert listing.status_code == 200
    assert "Fabrikam helpdesk" in listing.content.decode()
    assert reverse("gdap_relationship_new", args=[customer.pk]) in listing.content.decode()
    assert response.status_code == 200
    body = response.content.decode()
    assert "Contoso" in body
    for name in (
        "gdap_relationship_edit",
        "gdap_relationship_terminate",
        "gdap_assignment_add",
        "gdap_relationship_lock",
    ):
        assert page_url(name, customer, active_rel) not in body
    assert client.get(page_url("gdap_relationship_edit", customer, active_rel)).status_code == 404
    assert (
        client.post(page_url("gdap_relationship_terminate", customer, active_rel)).status_code
        == 404
    )


def test_customer_does_not_see_drafts(client_as, customer, customer_admin, partner_tenant):
    draft = DelegatedAdminRelationshipFactory(
        partner=partner_tenant, customer=customer, status=Status.CREATED
    )
    client = client_as(customer_admin)

    assert client.get(list_url(customer)).context["rows"] == []
    assert client.get(page_url("gdap_relationship", customer, draft)).status_code == 404


# Create ---------------------------------------------------------------------------------------


def test_create_form_shows_assignable_roles_with_descriptions(partner_client, partner_tenant):
    response = partner_client.get(reverse("gdap_relationship_new", args=[partner_tenant.pk]))

    assert response.status_code == 200
    body = response.content.decode()
    values = {c for c, _label in response.context["form"].fields["roles"].choices}
    assert HELPDESK_ID in values and str(GLOBAL_ADMIN_ID) in values
    assert NOT_ASSIGNABLE_ID not in values
    assert "badge-privileged" in body
    assert "data-blocks-auto-extend" in body
    assert "gdap-role-summary" in body
    assert 'list="gdap-durations"' in body
    for days in (30, 90, 180, 365, 730):
        assert f'<option value="{days}">' in body
    assert "js/gdap.js" in body


def _make_customer_of(partner, customer):
    """Customers of the partner fill the form's select (once partner relationships exist)."""
    from relationships import models as partner_models

    model = getattr(partner_models, "PartnerRelationship", None)
    if model is not None:
        model.objects.create(partner=partner, customer=customer, types=["gdap"])


def test_create_form_offers_the_partners_customers(
    partner_client, partner_tenant, customer, outsider
):
    from relationships import models as partner_models

    if not hasattr(partner_models, "PartnerRelationship"):
        pytest.skip("no partner relationships yet: the form asks for a tenant id")
    _make_customer_of(partner_tenant, customer)

    response = partner_client.get(reverse("gdap_relationship_new", args=[partner_tenant.pk]))

    choices = dict(response.context["form"].fields["customer"].choices)
    assert choices[str(customer.pk)] == "Fabrikam"
    assert str(outsider.pk) not in choices


def test_partner_admin_creates_a_relationship(partner_client, partner_tenant, customer):
    _make_customer_of(partner_tenant, customer)
    response = partner_client.post(
        reverse("gdap_relationship_new", args=[partner_tenant.pk]),
        form_data(customer=str(customer.pk), duration_days="90", auto_extend="on"),
    )

    rel = DelegatedAdminRelationship.objects.get(partner=partner_tenant)
    assert response.status_code == 302
    assert response.url == page_url("gdap_relationship", partner_tenant, rel)
    assert rel.status == Status.CREATED
    assert rel.customer == customer
    assert rel.duration == timedelta(days=90)
    assert rel.auto_extend_duration == timedelta(days=180)
    assert [str(r.id) for r in rel.requested_roles.all()] == [HELPDESK_ID]
    assert AuditEvent.objects.filter(action="gdap.created").count() == 1


@pytest.mark.parametrize(
    ("days", "ok"), [("0", False), ("1", True), ("730", True), ("731", False), ("x", False)]
)
def test_duration_bounds_in_the_form(partner_client, partner_tenant, days, ok):
    response = partner_client.post(
        reverse("gdap_relationship_new", args=[partner_tenant.pk]), form_data(duration_days=days)
    )

    assert response.status_code == (302 if ok else 400)
    assert DelegatedAdminRelationship.objects.exists() is ok
    if not ok:
        assert response.context["form"].errors["duration_days"]


def test_global_administrator_with_auto_extend_is_refused_in_the_form(
    partner_client, partner_tenant
):
    response = partner_client.post(
        reverse("gdap_relationship_new", args=[partner_tenant.pk]),
        form_data(roles=[str(GLOBAL_ADMIN_ID)], auto_extend="on"),
    )

    assert response.status_code == 400
    assert response.context["form"].errors["auto_extend"]
    assert not DelegatedAdminRelationship.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"display_name": "x" * 51}, "display_name"),
        ({"display_name": ""}, "display_name"),
        ({"roles": []}, "roles"),
        ({"roles": [NOT_ASSIGNABLE_ID]}, "roles"),
        ({"customer": "not-a-tenant"}, "customer"),
    ],
)
def test_bad_input_is_shown_on_the_form(partner_client, partner_tenant, changes, field):
    response = partner_client.post(
        reverse("gdap_relationship_new", args=[partner_tenant.pk]), form_data(**changes)
    )

    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert not DelegatedAdminRelationship.objects.exists()


def test_own_tenant_is_refused_as_customer(partner_client, partner_tenant):
    response = partner_client.post(
        reverse("gdap_relationship_new", args=[partner_tenant.pk]),
        form_data(customer=str(partner_tenant.pk)),
    )

    assert response.status_code == 400


def test_duplicate_display_name_is_a_form_error(partner_client, partner_tenant):
    DelegatedAdminRelationshipFactory(partner=partner_tenant, display_name="Contoso helpdesk")

    response = partner_client.post(
        reverse("gdap_relationship_new", args=[partner_tenant.pk]), form_data()
    )

    assert response.status_code == 400
    assert response.context["form"].errors["display_name"]


def test_partner_agent_cannot_open_the_create_form(client_as, partner_tenant, partner_agent):
    url = reverse("gdap_relationship_new", args=[partner_tenant.pk])

    assert client_as(partner_agent).get(url).status_code == 403
    assert client_as(partner_agent).post(url, form_data()).status_code == 403


# Edit -----------------------------------------------------------------------------------------


def test_edit_a_created_relationship(partner_client, partner_tenant):
    draft = DelegatedAdminRelationshipFactory(
        partner=partner_tenant, status=Status.CREATED, display_name="Draft"
    )
    url = page_url("gdap_relationship_edit", partner_tenant, draft)

    form = partner_client.get(url).context["form"]
    response = partner_client.post(
        url, form_data(display_name="Draft 2", roles=[USER_ADMIN_ID], duration_days="30")
    )

    assert form.initial["display_name"] == "Draft"
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.display_name == "Draft 2"
    assert draft.duration == timedelta(days=30)
    assert [str(r.id) for r in draft.requested_roles.all()] == [USER_ADMIN_ID]


def test_edit_is_refused_once_sent(partner_client, partner_tenant, active_rel):
    url = page_url("gdap_relationship_edit", partner_tenant, active_rel)

    assert partner_client.get(url).status_code == 409
    response = partner_client.post(url, form_data(display_name="Changed"))
    assert response.status_code == 302
    active_rel.refresh_from_db()
    assert active_rel.display_name == "Fabrikam helpdesk"


# Send for approval ----------------------------------------------------------------------------


def test_send_for_approval_shows_the_link_once(partner_client, partner_tenant, customer):
    require_invitations()
    draft = DelegatedAdminRelationshipFactory(
        partner=partner_tenant, customer=customer, status=Status.CREATED
    )

    response = partner_client.post(page_url("gdap_relationship_lock", partner_tenant, draft))

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert response.context["approval_url"] in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == Status.APPROVAL_PENDING


def test_send_for_approval_twice_is_refused(partner_client, partner_tenant, active_rel):
    response = partner_client.post(page_url("gdap_relationship_lock", partner_tenant, active_rel))

    assert response.status_code == 302
    active_rel.refresh_from_db()
    assert active_rel.status == Status.ACTIVE


# Terminate ------------------------------------------------------------------------------------


def test_terminate_confirm_page_and_post(partner_client, partner_tenant, active_rel):
    url = page_url("gdap_relationship_terminate", partner_tenant, active_rel)

    confirm = partner_client.get(url)
    response = partner_client.post(url)

    assert confirm.status_code == 200
    assert "Terminate Fabrikam helpdesk?" in confirm.content.decode()
    assert response.status_code == 302
    active_rel.refresh_from_db()
    assert active_rel.status == Status.TERMINATED
    assert AuditEvent.objects.filter(action="gdap.terminated").count() == 1


def test_terminate_a_created_relationship_is_refused(partner_client, partner_tenant):
    draft = DelegatedAdminRelationshipFactory(partner=partner_tenant, status=Status.CREATED)

    response = partner_client.post(page_url("gdap_relationship_terminate", partner_tenant, draft))

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Status.CREATED


# Access assignments ---------------------------------------------------------------------------


def test_assign_a_group_approved_roles(partner_client, partner_tenant, active_rel, partner_agent):
    group = SecurityGroupFactory(tenant=partner_tenant, members=[partner_agent])

    response = partner_client.post(
        page_url("gdap_assignment_add", partner_tenant, active_rel),
        {"group": str(group.pk), "roles": [HELPDESK_ID]},
    )

    assert response.status_code == 302
    assignment = AccessAssignment.objects.get()
    assert assignment.security_group == group
    assert [str(r.id) for r in assignment.roles.all()] == [HELPDESK_ID]


@pytest.mark.parametrize("which", ["unapproved-role", "foreign-group", "no-role"])
def test_assignment_form_refuses_bad_input(
    partner_client, partner_tenant, customer, active_rel, which
):
    own = SecurityGroupFactory(tenant=partner_tenant)
    foreign = SecurityGroupFactory(tenant=customer)
    data = {
        "unapproved-role": {"group": str(own.pk), "roles": [USER_ADMIN_ID]},
        "foreign-group": {"group": str(foreign.pk), "roles": [HELPDESK_ID]},
        "no-role": {"group": str(own.pk)},
    }[which]

    response = partner_client.post(
        page_url("gdap_assignment_add", partner_tenant, active_rel), data
    )

    assert response.status_code == 302
    assert not AccessAssignment.objects.exists()


def test_remove_an_assignment(partner_client, partner_tenant, active_rel):
    assignment = AccessAssignmentFactory(relationship=active_rel)
    url = page_url("gdap_assignment_remove", partner_tenant, active_rel, assignment.pk)

    confirm = partner_client.get(url)
    response = partner_client.post(url)

    assert confirm.status_code == 200
    assert response.status_code == 302
    assert not AccessAssignment.objects.exists()


def test_an_assignment_of_another_relationship_is_404(partner_client, partner_tenant, active_rel):
    other = AccessAssignmentFactory(
        relationship=DelegatedAdminRelationshipFactory(partner=partner_tenant)
    )
    url = page_url("gdap_assignment_remove", partner_tenant, active_rel, other.pk)

    assert partner_client.get(url).status_code == 404
    assert partner_client.post(url).status_code == 404
    assert AccessAssignment.objects.filter(pk=other.pk).exists()
