"""Industry apps: an industry partner submits, the customer's Global Administrator decides."""

import pytest

from audit.models import AuditEvent
from industry import services
from industry.models import IndustryApp
from notifications.models import OutboxMessage
from tests.devices.conftest import relate
from tests.factories import TenantFactory, member

pytestmark = pytest.mark.django_db

APP = {
    "name": "Clinic scheduler",
    "version": "2.4.0",
    "summary": "Appointment scheduling for outpatient clinics.",
    "link": "https://apps.example/clinic",
}


def apps_url(tenant, app_id=None, action=None) -> str:
    url = f"/api/v1/tenants/{tenant.pk}/industry-apps"
    if app_id:
        url += f"/{app_id}"
    if action:
        url += f"/{action}"
    return url


@pytest.fixture
def industry(customer, partner_tenant):
    return relate(customer, partner_tenant, "industry_partner")


@pytest.fixture
def isv_partner_admin(industry, partner_admin):
    return partner_admin


def make_app(customer, partner, *, by=None, status="submitted", name="Clinic scheduler"):
    return IndustryApp.objects.create(
        tenant=customer,
        partner=partner,
        submitted_by=by,
        status=status,
        **{**APP, "name": name},
    )


def test_industry_partner_submits_an_app(api_as, customer, customer_admin, industry, partner_admin):
    billing = member(customer, "Billing Administrator")

    response = api_as(partner_admin).post(apps_url(customer), APP, format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "submitted" and body["partner"]["name"] == "Contoso"
    assert body["submitted_by"]["email"] == partner_admin.email
    (event,) = AuditEvent.objects.all()
    assert event.action == "industry_app.submitted"
    assert event.acting_tenant.name == "Contoso" and event.target_tenant_id == customer.pk
    recipients = set(
        OutboxMessage.objects.filter(template="industry_app_submitted").values_list("to", flat=True)
    )
    assert customer_admin.email in recipients and billing.email not in recipients


@pytest.mark.parametrize(
    "body",
    [
        {},
        {**APP, "link": "javascript:alert(1)"},
        {**APP, "name": "x" * 201},
        {**APP, "version": ""},
        {**APP, "summary": ["a"]},
        {**APP, "partner_tenant_id": "nope"},
    ],
)
def test_bad_submissions_are_400(api_as, customer, industry, partner_admin, body):
    response = api_as(partner_admin).post(apps_url(customer), body, format="json")

    assert response.status_code == 400
    assert {"detail", "code"} <= set(response.json())
    assert not IndustryApp.objects.exists()


def test_the_same_version_pending_twice_is_409(api_as, customer, industry, partner_admin):
    api = api_as(partner_admin)
    api.post(apps_url(customer), APP, format="json")

    response = api.post(apps_url(customer), APP, format="json")

    assert response.status_code == 409
    assert IndustryApp.objects.count() == 1


def test_customer_admins_see_every_app_a_partner_only_its_own(
    api_as, customer, customer_admin, industry, partner_tenant, partner_admin
):
    other = TenantFactory(name="Litware Health")
    relate(customer, other, "industry_partner")
    own = make_app(customer, partner_tenant, name="Ours")
    theirs = make_app(customer, other, name="Theirs")
    reader = member(customer, "Global Reader")

    as_partner = api_as(partner_admin).get(apps_url(customer))
    other_one = api_as(partner_admin).get(apps_url(customer, theirs.pk))
    as_reader = api_as(reader).get(apps_url(customer))

    assert [a["id"] for a in as_partner.json()["results"]] == [str(own.pk)]
    assert other_one.status_code == 404
    assert {a["name"] for a in as_reader.json()["results"]} == {"Ours", "Theirs"}


def test_global_administrator_approves(
    api_as, customer, customer_admin, industry, partner_tenant, partner_admin
):
    app = make_app(customer, partner_tenant)

    response = api_as(customer_admin).post(
        apps_url(customer, app.pk, "approve"), {"note": "Reviewed by IT."}, format="json"
    )

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "approved" and body["decision_note"] == "Reviewed by IT."
    assert body["decided_by"]["email"] == customer_admin.email and body["decided_at"]
    (event,) = AuditEvent.objects.all()
    assert event.action == "industry_app.approved"
    assert event.before == {"status": "submitted"}
    mail = OutboxMessage.objects.get(template="industry_app_decided")
    assert mail.to == partner_admin.email and "approved" in mail.subject


def test_global_administrator_rejects(
    api_as, customer, customer_admin, industry, partner_tenant, partner_admin
):
    app = make_app(customer, partner_tenant)

    response = api_as(customer_admin).post(apps_url(customer, app.pk, "reject"), {}, format="json")

    assert response.status_code == 200
    assert response.json()["status"] == "rejected"
    assert AuditEvent.objects.get().action == "industry_app.rejected"


# The state table: submitted -> approved | rejected; nothing else.
MOVES = [
    (start, event, services.TRANSITIONS.get((start, event)))
    for start in IndustryApp.Status.values
    for event in ("approve", "reject")
]


@pytest.mark.parametrize(("start", "event", "target"), MOVES)
def test_the_state_table(api_as, customer, customer_admin, partner_tenant, start, event, target):
    app = make_app(customer, partner_tenant, status=start)

    response = api_as(customer_admin).post(apps_url(customer, app.pk, event), {}, format="json")

    app.refresh_from_db()
    if target:
        assert response.status_code == 200 and app.status == target
        assert AuditEvent.objects.count() == 1
    else:
        assert response.status_code == 409 and response.json()["code"] == "invalid_state"
        assert app.status == start and not AuditEvent.objects.exists()


@pytest.mark.parametrize("role", ["Billing Administrator", "Global Reader", None])
def test_others_in_the_customer_cannot_decide(api_as, customer, partner_tenant, role):
    app = make_app(customer, partner_tenant)
    someone = member(customer, *([role] if role else []))

    response = api_as(someone).post(apps_url(customer, app.pk, "approve"), {}, format="json")

    assert response.status_code == 403
    assert IndustryApp.objects.get().status == "submitted"


def test_the_partner_cannot_approve_its_own_app(
    api_as, customer, industry, partner_tenant, partner_admin
):
    app = make_app(customer, partner_tenant)

    response = api_as(partner_admin).post(apps_url(customer, app.pk, "approve"), {}, format="json")

    assert response.status_code == 403
    assert IndustryApp.objects.get().status == "submitted"


def test_approve_permission_is_held_by_global_administrators(customer):
    from roles.permissions import roles_granting

    assert "Global Administrator" in roles_granting(services.APPROVE_PERMISSION)
    assert "Billing Administrator" not in roles_granting(services.APPROVE_PERMISSION)


@pytest.mark.parametrize("action", [None, "approve", "reject"])
def test_foreign_tenant_app_ids_are_404(
    api_as, customer, outsider, outsider_admin, partner_tenant, action
):
    theirs = make_app(customer, partner_tenant)
    method = "get" if action is None else "post"

    response = getattr(api_as(outsider_admin), method)(
        apps_url(outsider, theirs.pk, action), {}, format="json"
    )

    assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert IndustryApp.objects.get().status == "submitted"


def test_partner_agent_without_partners_manage_gets_nothing(
    api_as, customer, industry, partner_agent
):
    api = api_as(partner_agent)

    assert api.get(apps_url(customer)).status_code == 404
    assert api.post(apps_url(customer), APP, format="json").status_code == 404
    assert not IndustryApp.objects.exists()


def test_an_ended_type_gives_no_access(api_as, customer, industry, partner_tenant, partner_admin):
    make_app(customer, partner_tenant)
    industry.types = []
    industry.save()
    api = api_as(partner_admin)

    assert api.get(apps_url(customer)).status_code == 404
    assert api.post(apps_url(customer), {**APP, "version": "3"}, format="json").status_code == 404
    assert IndustryApp.objects.count() == 1


def test_an_oem_cannot_submit_industry_apps(api_as, customer, partner_tenant, partner_admin):
    relate(customer, partner_tenant, "oem")

    response = api_as(partner_admin).post(apps_url(customer), APP, format="json")

    assert response.status_code == 403
    assert not IndustryApp.objects.exists()


def test_the_list_costs_the_same_queries_for_many_apps(
    api_as, customer, customer_admin, partner_tenant, partner_admin, django_assert_max_num_queries
):
    api = api_as(customer_admin)
    make_app(customer, partner_tenant, by=partner_admin, name="App 0")
    with django_assert_max_num_queries(10) as few:
        api.get(apps_url(customer))
    for n in range(1, 30):
        app = make_app(customer, partner_tenant, by=partner_admin, name=f"App {n}")
        if n % 2:
            app.status, app.decided_by = "approved", customer_admin
            app.save()
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = api.get(apps_url(customer))
    assert response.json()["count"] == 30


def test_status_filter(api_as, customer, customer_admin, partner_tenant):
    make_app(customer, partner_tenant, name="A")
    make_app(customer, partner_tenant, name="B", status="approved")
    api = api_as(customer_admin)

    assert [
        a["name"] for a in api.get(apps_url(customer) + "?status=approved").json()["results"]
    ] == ["B"]
    assert api.get(apps_url(customer) + "?status=bogus").status_code == 400


# Assignable like the other types ------------------------------------------------------------


def test_an_invitation_for_the_industry_partner_type_is_sent(api_as, partner_tenant, partner_admin):
    from relationships.models import Invitation
    from tests.partners.conftest import make_listing

    make_listing(
        "Contoso",
        tenant=partner_tenant,
        relationship_types=("industry_partner", "isv"),
        lead_email="leads@contoso.example",
    )

    response = api_as(partner_admin).post(
        f"/api/v1/tenants/{partner_tenant.pk}/invitations",
        {"email": "alice@fabrikam.example", "relationship_types": ["industry_partner"]},
        format="json",
    )

    assert response.status_code == 201, response.json()
    assert Invitation.objects.get().relationship_types == ["industry_partner"]
