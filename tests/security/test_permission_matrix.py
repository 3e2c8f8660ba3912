"""The permission matrix: every write endpoint of the API against every kind of actor.

Generated from the URLconf: an endpoint with an unsafe method and no row in MATRIX fails
the suite, and so does a row for an endpoint that no longer exists. Each row names the side
the call is made on ("C": the customer Fabrikam; "P": the partner Contoso; "-": no tenant in
the path) and the actors that get through; every other actor must be refused (401, 403 or
404) and leave no audit event behind. Nobody ever gets a 5xx.

Actors, on the side the row names: the tenant's own Global, User, Helpdesk and Billing
Administrator and a plain member; a delegated Global Administrator of the owning partner
(C: Contoso's agent; P: Umbrella's, a partner of Contoso) and of another partner (Rival);
support staff; an anonymous caller; a read-only token of the side's Global Administrator.
"""

from datetime import timedelta

import pytest
from django.db import transaction
from rest_framework.test import APIClient

from audit.models import AuditEvent
from tests.factories import SecurityGroupFactory, TenantFactory, UserFactory, member
from tests.gdap_factories import DelegatedAdminRelationshipFactory, grant
from tests.partners.conftest import make_listing
from tests.urlwalk import api_endpoints

ACTORS = (
    "global",
    "user_admin",
    "helpdesk",
    "billing",
    "member",
    "delegated_owner",
    "delegated_other",
    "staff",
    "anonymous",
    "read_token",
)
GA = "62e90394-69f5-4237-9190-012177145e10"
HELPDESK = "729827e3-9c14-49f7-bb1b-9608f156bbb8"
READERS = "88d8e3e3-8f55-4a1e-953a-9b9898b8876b"
UNSAFE = ("POST", "PUT", "PATCH", "DELETE")

# Who gets through, by role.
MANAGE_USERS = {"global", "user_admin", "delegated_owner", "delegated_other"}
ASSIGN_ROLES = {"global", "delegated_owner", "delegated_other"}
RESET = {"global", "user_admin", "helpdesk", "delegated_owner", "delegated_other"}
OWN_CONSENT = {"global", "billing"}  # own partners.manage / agreements.accept
OWN_GLOBAL = {"global"}
BILLING = {"global", "billing", "delegated_owner", "delegated_other"}
DEVICES = {"global", "delegated_owner", "delegated_other"}
SUPPORT = {"global", "helpdesk", "delegated_owner", "delegated_other"}
SIGNED_IN_SESSIONS = {
    "global",
    "user_admin",
    "helpdesk",
    "billing",
    "member",
    "delegated_owner",
    "delegated_other",
    "staff",
}
NOBODY: set[str] = set()


def _gdap_body(w):
    return {
        "display_name": "New request",
        "duration": "P30D",
        "access_details": {"unified_roles": [{"role_definition_id": HELPDESK}]},
    }


def _profile_body(w):
    return {
        "name": "Contoso",
        "summary": "Partner",
        "website": "https://contoso.example",
        "headquarters_country": "US",
        "countries": ["US"],
        "industries": [],
        "products": [],
        "services": [],
        "org_sizes": [],
        "relationship_types": ["reseller"],
        "lead_email": "leads@contoso.example",
    }


def _contact_body(w):
    return {
        "tenant_id": str(w.customer.pk),
        "country": "DE",
        "city": "Berlin",
        "contact_name": "Ann",
        "email": "ann@fabrikam.example",
        "phone": "",
        "org_size": w.org_size,
        "org_name": "Fabrikam",
        "industry": w.industry,
        "business_needs": "Help",
    }


# (method, route) -> (side, {path parameter: world attribute}, body, allowed actors)
MATRIX = {
    ("POST", "me/tokens"): ("-", {}, lambda w: {"name": "x"}, SIGNED_IN_SESSIONS),
    ("DELETE", "me/tokens/<uuid:token_id>"): ("-", {"token_id": "ga_token"}, None, {"global"}),
    ("POST", "me/membership-invitations/<uuid:invitation_id>/accept"): (
        "-",
        {"invitation_id": "membership_invitation"},
        None,
        {"member"},
    ),
    ("POST", "me/membership-invitations/<uuid:invitation_id>/decline"): (
        "-",
        {"invitation_id": "membership_invitation"},
        None,
        {"member"},
    ),
    ("POST", "tenants"): (
        "-",
        {},
        lambda w: {"name": "New", "country": "DE"},
        SIGNED_IN_SESSIONS - {"staff"},
    ),
    ("POST", "tenants/<str:tid>/users"): (
        "C",
        {},
        lambda w: {"email": "new@fabrikam.example"},
        MANAGE_USERS,
    ),
    ("DELETE", "tenants/<str:tid>/users/<str:uid>"): ("C", {"uid": "victim"}, None, MANAGE_USERS),
    ("PUT", "tenants/<str:tid>/users/<str:uid>/roles"): (
        "C",
        {"uid": "victim"},
        lambda w: {"role_definition_ids": [READERS]},
        ASSIGN_ROLES,
    ),
    ("POST", "tenants/<str:tid>/users/<str:uid>/reset-password"): (
        "C",
        {"uid": "victim"},
        None,
        RESET,
    ),
    ("POST", "tenants/<str:tid>/security-groups"): (
        "C",
        {},
        lambda w: {"name": "Another"},
        MANAGE_USERS,
    ),
    ("PATCH", "tenants/<str:tid>/security-groups/<str:gid>"): (
        "C",
        {"gid": "group"},
        lambda w: {"name": "Renamed"},
        MANAGE_USERS,
    ),
    ("DELETE", "tenants/<str:tid>/security-groups/<str:gid>"): (
        "C",
        {"gid": "group"},
        None,
        MANAGE_USERS,
    ),
    ("PUT", "tenants/<str:tid>/security-groups/<str:gid>/members"): (
        "C",
        {"gid": "group"},
        lambda w: {"user_ids": [str(w.victim.pk)]},
        MANAGE_USERS,
    ),
    ("POST", "tenants/<str:tid>/agreement/accept"): (
        "C",
        {},
        lambda w: {"version": "1.0", "attest": True},
        OWN_CONSENT,
    ),
    ("POST", "directory/partners/<str:partner_id>/contact"): (
        "-",
        {"partner_id": "listing"},
        _contact_body,
        OWN_CONSENT,
    ),
    ("PUT", "tenants/<str:tid>/partner-profile"): ("P", {}, _profile_body, OWN_CONSENT),
    ("PATCH", "tenants/<str:tid>/leads/<str:lead_id>"): (
        "P",
        {"lead_id": "lead"},
        lambda w: {"status": "contacted"},
        OWN_CONSENT,
    ),
    ("POST", "tenants/<str:tid>/delegated-admin-relationships"): ("P", {}, _gdap_body, OWN_CONSENT),
    ("PATCH", "tenants/<str:tid>/delegated-admin-relationships/<str:rid>"): (
        "P",
        {"rid": "created_rel"},
        lambda w: {"display_name": "Renamed request"},
        OWN_CONSENT,
    ),
    ("POST", "tenants/<str:tid>/delegated-admin-relationships/<str:rid>/requests"): (
        "C",
        {"rid": "active_rel"},
        lambda w: {"action": "terminate"},
        OWN_CONSENT,
    ),
    ("POST", "tenants/<str:tid>/delegated-admin-relationships/<str:rid>/access-assignments"): (
        "P",
        {"rid": "active_rel"},
        lambda w: {
            "access_container": {
                "access_container_id": str(w.spare_group.pk),
                "access_container_type": "securityGroup",
            },
            "access_details": {"unified_roles": [{"role_definition_id": GA}]},
        },
        OWN_CONSENT,
    ),
    (
        "DELETE",
        "tenants/<str:tid>/delegated-admin-relationships/<str:rid>/access-assignments/<str:aid>",
    ): ("P", {"rid": "active_rel", "aid": "assignment"}, None, OWN_CONSENT),
    (
        "PATCH",
        "tenants/<str:tid>/delegated-admin-relationships/<str:rid>/access-assignments/<str:aid>",
    ): (
        "P",
        {"rid": "active_rel", "aid": "assignment"},
        lambda w: {"access_details": {"unified_roles": [{"role_definition_id": GA}]}},
        OWN_CONSENT,
    ),
    ("DELETE", "tenants/<str:tid>/delegated-admin-relationships/<str:rid>"): (
        "P",
        {"rid": "created_rel"},
        None,
        OWN_CONSENT,
    ),
    ("POST", "invitations/<str:token>/accept"): (
        "-",
        {"token": "invitation_token"},
        lambda w: {"tenant_id": str(w.customer.pk), "accept_agreement": True},
        OWN_CONSENT,
    ),
    ("POST", "invitations/<str:token>/decline"): (
        "-",
        {"token": "invitation_token"},
        lambda w: {"tenant_id": str(w.customer.pk)},
        OWN_CONSENT,
    ),
    ("POST", "tenants/<str:tid>/invitations"): (
        "P",
        {},
        lambda w: {"email": "new@customer.example", "relationship_types": ["reseller"]},
        OWN_CONSENT,
    ),
    ("PATCH", "tenants/<str:tid>/invitations/<str:iid>"): (
        "P",
        {"iid": "invitation"},
        lambda w: {"reference": "Deal 42"},
        OWN_CONSENT,
    ),
    ("POST", "tenants/<str:tid>/invitations/bulk-cancel"): (
        "P",
        {},
        lambda w: {"invitation_ids": [str(w.invitation.pk)]},
        OWN_CONSENT,
    ),
    ("POST", "tenants/<str:tid>/delegated-admin-relationships/auto-extend"): (
        "P",
        {},
        lambda w: {"relationship_ids": [str(w.active_rel.pk)], "auto_extend_duration": "PT0S"},
        OWN_CONSENT,
    ),
    ("POST", "tenants/<str:tid>/invitations/<str:iid>/resend"): (
        "P",
        {"iid": "invitation"},
        None,
        OWN_CONSENT,
    ),
    ("POST", "tenants/<str:tid>/invitations/<str:iid>/cancel"): (
        "P",
        {"iid": "invitation"},
        None,
        OWN_CONSENT,
    ),
    ("POST", "tenants/<str:tid>/customers/<str:customer_id>/end-types"): (
        "P",
        {"customer_id": "customer"},
        lambda w: {"relationship_types": ["reseller"]},
        OWN_CONSENT,
    ),
    ("POST", "tenants/<str:tid>/partner-relationships/<str:partner_id>/remove-roles"): (
        "C",
        {"partner_id": "partner"},
        None,
        OWN_CONSENT,
    ),
    ("POST", "tenants/<str:tid>/partner-relationships/<str:partner_id>/request-end"): (
        "C",
        {"partner_id": "partner"},
        lambda w: {"message": "Please end it"},
        OWN_CONSENT,
    ),
    ("POST", "tenants/<str:tid>/subscriptions"): (
        "C",
        {},
        lambda w: {"product_id": str(w.product.pk), "quantity": 1},
        BILLING,
    ),
    ("PATCH", "tenants/<str:tid>/subscriptions/<str:sid>"): (
        "C",
        {"sid": "subscription"},
        lambda w: {"quantity": 3},
        BILLING,
    ),
    ("PATCH", "tenants/<str:tid>/settings"): (
        "C",
        {},
        lambda w: {"mpsa_share_purchases": True},
        BILLING,
    ),
    ("POST", "tenants/<str:tid>/autopilot-devices"): (
        "C",
        {},
        lambda w: __import__("tests.devices.conftest", fromlist=["x"]).device_body(900),
        DEVICES,
    ),
    ("PATCH", "tenants/<str:tid>/autopilot-devices/<str:device_id>"): (
        "C",
        {"device_id": "device"},
        lambda w: {"group_tag": "Sales"},
        DEVICES,
    ),
    ("DELETE", "tenants/<str:tid>/autopilot-devices/<str:device_id>"): (
        "C",
        {"device_id": "device"},
        None,
        DEVICES,
    ),
    ("POST", "tenants/<str:tid>/industry-apps"): (
        "C",
        {},
        lambda w: {"name": "App", "version": "1", "summary": "s", "link": "https://a.example"},
        NOBODY,  # only an industry partner's managers submit: none of these actors
    ),
    ("POST", "tenants/<str:tid>/industry-apps/<str:app_id>/approve"): (
        "C",
        {"app_id": "app"},
        None,
        OWN_GLOBAL,
    ),
    ("POST", "tenants/<str:tid>/industry-apps/<str:app_id>/reject"): (
        "C",
        {"app_id": "app"},
        None,
        OWN_GLOBAL,
    ),
    ("POST", "tenants/<str:tid>/support-requests"): (
        "C",
        {},
        lambda w: {"title": "Printer", "description": "Broken"},
        SUPPORT,
    ),
    ("POST", "tenants/<str:tid>/support-requests/<str:rid>/comments"): (
        "C",
        {"rid": "support_request"},
        lambda w: {"body": "More"},
        SUPPORT,
    ),
    ("POST", "tenants/<str:tid>/support-requests/<str:rid>/close"): (
        "C",
        {"rid": "support_request"},
        None,
        SUPPORT,
    ),
    ("POST", "tenants/<str:tid>/support-requests/<str:rid>/reopen"): (
        "C",
        {"rid": "closed_request"},
        None,
        SUPPORT,
    ),
}


def _write_endpoints():
    found = set()
    for route, pattern in api_endpoints():
        view = getattr(pattern.callback, "cls", None)
        if view is None or not route.startswith(("tenants", "me", "invitations", "directory")):
            continue
        for method in UNSAFE:
            if hasattr(view, method.lower()):
                found.add((method, route))
    return found


def test_every_write_endpoint_has_a_row():
    endpoints = _write_endpoints()
    missing = sorted(endpoints - set(MATRIX))
    stale = sorted(set(MATRIX) - endpoints)
    assert not missing, f"write endpoints without a row in MATRIX: {missing}"
    assert not stale, f"MATRIX rows for endpoints that are gone: {stale}"


class World:
    """Fabrikam (customer) and Contoso (partner), their people, and an object of each kind."""

    def __init__(self):
        from agreements.defaults import publish_default
        from agreements.models import AgreementVersion
        from billing.models import Product, Subscription
        from industry.models import IndustryApp
        from partners.models import Industry, Lead, OrganizationSize
        from people.models import MembershipInvitation
        from relationships import tokens
        from relationships.models import Invitation, PartnerRelationship
        from support.models import SupportRequest
        from tenants import services as tenant_services
        from tests.devices.conftest import make_device

        publish_default(AgreementVersion)
        self.customer = TenantFactory(name="Fabrikam", slug="fabrikam", country="DE")
        self.partner = TenantFactory(name="Contoso", slug="contoso", country="US")
        self.people = {}
        for side, tenant, domain in (("C", self.customer, "fabrikam"), ("P", self.partner, "co")):
            self.people[side] = {
                "global": member(tenant, "Global Administrator", email=f"ga@{domain}.example"),
                "user_admin": member(tenant, "User Administrator", email=f"ua@{domain}.example"),
                "helpdesk": member(tenant, "Helpdesk Administrator", email=f"hd@{domain}.example"),
                "billing": member(tenant, "Billing Administrator", email=f"ba@{domain}.example"),
                "member": member(tenant, email=f"m@{domain}.example"),
            }
        self.listing = make_listing(
            "Contoso",
            tenant=self.partner,
            relationship_types=("gdap", "reseller", "partner_user_account", "industry_partner"),
        )
        PartnerRelationship.objects.create(
            customer=self.customer,
            partner=self.partner,
            types=["gdap", "reseller", "industry_partner"],
        )
        # Contoso's agent: Global Administrator in Fabrikam through GDAP.
        owner_agent = member(self.partner, email="agent@co.example")
        self.assignment = grant(self.partner, self.customer, owner_agent, "Global Administrator")
        self.active_rel = self.assignment.relationship
        self.spare_group = SecurityGroupFactory(tenant=self.partner, name="Spare")
        # Rival: a delegated Global Administrator in both tenants.
        rival = TenantFactory(name="Rival", slug="rival")
        rival_agent = member(rival, email="agent@rival.example")
        grant(rival, self.customer, rival_agent, "Global Administrator")
        grant(rival, self.partner, rival_agent, "Global Administrator")
        # Umbrella: a partner of Contoso with delegated Global Administrator there.
        umbrella = TenantFactory(name="Umbrella", slug="umbrella")
        umbrella_agent = member(umbrella, email="agent@umbrella.example")
        grant(umbrella, self.partner, umbrella_agent, "Global Administrator")
        self.delegated = {
            "C": {"delegated_owner": owner_agent, "delegated_other": rival_agent},
            "P": {"delegated_owner": umbrella_agent, "delegated_other": rival_agent},
        }
        self.staff = UserFactory(email="sam@liaison.example", is_staff=True)
        self.read_tokens = {
            side: tenant_services.create_api_token(
                by=self.people[side]["global"], name="read", scopes=["Liaison.Read"]
            )[1]
            for side in ("C", "P")
        }
        self.ga_token = tenant_services.create_api_token(
            by=self.people["C"]["global"], name="mine"
        )[0]
        # Objects.
        self.victim = member(self.customer, email="victim@fabrikam.example")
        self.group = SecurityGroupFactory(tenant=self.customer, name="Sales")
        self.created_rel = DelegatedAdminRelationshipFactory(
            partner=self.partner, customer=self.customer, status="created", display_name="Draft"
        )
        raw, token_hash = tokens.new_token()
        self.invitation_token = raw
        self.invitation = Invitation.objects.create(
            partner=self.partner,
            email="ga@fabrikam.example",
            customer=self.customer,
            relationship_types=["reseller"],
            token_hash=token_hash,
            expires_at=tokens.default_expiry(),
        )
        self.org_size = OrganizationSize.objects.first().slug
        self.industry = Industry.objects.first().slug
        self.lead = Lead.objects.create(
            partner=self.partner,
            customer=self.customer,
            submitted_by=self.people["C"]["global"],
            country="DE",
            city="Berlin",
            contact_name="Ann",
            email="ann@fabrikam.example",
            org_name="Fabrikam",
            org_size=OrganizationSize.objects.first(),
            industry=Industry.objects.first(),
            business_needs="Help",
        )
        self.product = Product.objects.filter(is_active=True).first()
        self.subscription = Subscription.objects.create(
            tenant=self.customer,
            product=self.product,
            quantity=1,
            bought_by=self.people["C"]["global"],
            channel=Subscription.Channel.DIRECT,
            renewal_date=self.customer.created_at.date() + timedelta(days=365),
        )
        self.device = make_device(self.customer, 1, by=self.people["C"]["global"])
        self.app = IndustryApp.objects.create(
            tenant=self.customer,
            partner=self.partner,
            name="App",
            version="1",
            summary="s",
            link="https://app.example",
        )
        self.support_request = SupportRequest.objects.create(
            tenant=self.customer, title="Open", description="d"
        )
        self.closed_request = SupportRequest.objects.create(
            tenant=self.customer,
            title="Closed",
            description="d",
            status=SupportRequest.Status.CLOSED,
        )
        elsewhere = TenantFactory(name="Elsewhere", slug="elsewhere")
        self.membership_invitation = MembershipInvitation.objects.create(
            tenant=elsewhere,
            user=self.people["C"]["member"],
            expires_at=self.device.registered_at + timedelta(days=30),
        )

    def tenant(self, side):
        return {"C": self.customer, "P": self.partner}.get(side)

    def client(self, side, actor) -> APIClient:
        client = APIClient()
        if actor == "anonymous":
            return client
        if actor == "read_token":
            token = self.read_tokens["P" if side == "P" else "C"]
            client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
            return client
        if actor == "staff":
            user = self.staff
        elif actor.startswith("delegated"):
            user = self.delegated[side if side in ("C", "P") else "C"][actor]
        else:
            user = self.people[side if side in ("C", "P") else "C"][actor]
        client.force_login(user)
        return client


def _path(world, route, side, params) -> str:
    values = {"tid": world.tenant(side).pk if side in ("C", "P") else None}
    for name, attr in params.items():
        value = getattr(world, attr)
        values[name] = getattr(value, "pk", value)
    for name, value in values.items():
        for kind in ("str", "uuid"):
            route = route.replace(f"<{kind}:{name}>", str(value))
    return "/api/v1/" + route


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("method", "route"), sorted(MATRIX), ids=[f"{m} {r}" for m, r in sorted(MATRIX)]
)
def test_write_endpoint_against_every_actor(method, route):
    side, params, body, allowed = MATRIX[(method, route)]
    world = World()
    path = _path(world, route, side, params)
    outcomes = {}
    for actor in ACTORS:
        with transaction.atomic():
            events = AuditEvent.objects.count()
            client = world.client(side, actor)
            data = body(world) if body else {}
            response = getattr(client, method.lower())(path, data, format="json")
            status = response.status_code
            assert status < 500, f"{actor}: {status} {response.content[:300]!r}"
            got_through = status not in (401, 403, 404)
            outcomes[actor] = got_through
            if not got_through:
                assert AuditEvent.objects.count() == events, f"{actor} left an audit event"
            transaction.set_rollback(True)
    wrong = {
        a: ("through" if ok else "refused") for a, ok in outcomes.items() if ok != (a in allowed)
    }
    assert not wrong, f"{method} {path}: {wrong}"
