"""The API contract of shared/API.md: errors, auth, pagination, tokens, and the endpoints."""

import hashlib
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from rest_framework.test import APIClient

from audit.models import AuditEvent
from audit.services import record
from roles.permissions import PERMISSIONS, role_id
from tenants.models import ApiToken, Membership, SecurityGroup, User
from tests.factories import MembershipFactory, SecurityGroupFactory, UserFactory, member

GA = str(role_id("Global Administrator"))
BILLING = str(role_id("Billing Administrator"))
READER = str(role_id("Directory Readers"))


def assert_error(response, status, code):
    assert response.status_code == status, response.content
    body = response.json()
    assert isinstance(body["detail"], str) and body["detail"]
    assert body["code"] == code
    return body


# Errors and authentication ---------------------------------------------------------------


def test_signed_out_caller_gets_401_with_bearer_challenge(api, db):
    response = api.get("/api/v1/me")

    body = assert_error(response, 401, "not_authenticated")
    assert set(body) == {"detail", "code"}
    assert response["WWW-Authenticate"] == "Bearer"


def test_unknown_tenant_gets_404_in_the_error_shape(api_as, plain_member):
    response = api_as(plain_member).get(
        "/api/v1/tenants/00000000-0000-0000-0000-000000000000/users"
    )

    body = assert_error(response, 404, "not_found")
    assert set(body) == {"detail", "code"}


def test_field_errors_carry_an_errors_map(api_as, plain_member):
    response = api_as(plain_member).post(
        "/api/v1/tenants", {"name": "", "country": "XX"}, format="json"
    )

    body = assert_error(response, 400, "invalid")
    assert set(body["errors"]) == {"name", "country"}
    assert all(isinstance(m, str) for msgs in body["errors"].values() for m in msgs)


def test_malformed_json_gets_400(api_as, plain_member):
    response = api_as(plain_member).post(
        "/api/v1/tenants", data="{not json", content_type="application/json"
    )

    assert_error(response, 400, "invalid")


def test_unsupported_method_gets_405(api_as, plain_member):
    response = api_as(plain_member).delete("/api/v1/me")

    assert_error(response, 405, "method_not_allowed")


def test_session_writes_need_the_csrf_token(customer, customer_admin):
    api = APIClient(enforce_csrf_checks=True)
    api.force_login(customer_admin)

    response = api.post(
        f"/api/v1/tenants/{customer.pk}/security-groups", {"name": "X"}, format="json"
    )

    assert_error(response, 403, "permission_denied")
    assert not SecurityGroup.objects.exists()


# Pagination -----------------------------------------------------------------------------


@pytest.fixture
def many_groups(customer):
    SecurityGroup.objects.bulk_create(
        SecurityGroup(tenant=customer, name=f"Group {n:03}") for n in range(105)
    )


def test_lists_are_paginated(api_as, customer, customer_admin, many_groups):
    api = api_as(customer_admin)
    url = f"/api/v1/tenants/{customer.pk}/security-groups"

    first = api.get(url)
    page = api.get(url, {"page": 2, "page_size": 50})
    last = api.get(url, {"page": 3, "page_size": 50})

    assert first.status_code == 200
    assert set(first.json()) == {"count", "next", "previous", "results"}
    assert first.json()["count"] == 105
    assert len(first.json()["results"]) == 20
    assert first.json()["previous"] is None
    assert "page=2" in first.json()["next"]
    assert page.status_code == 200
    assert [g["name"] for g in page.json()["results"]][:2] == ["Group 050", "Group 051"]
    assert page.json()["next"] and page.json()["previous"]
    assert last.status_code == 200
    assert len(last.json()["results"]) == 5
    assert last.json()["next"] is None


def test_page_size_is_capped_at_100(api_as, customer, customer_admin, many_groups):
    response = api_as(customer_admin).get(
        f"/api/v1/tenants/{customer.pk}/security-groups", {"page_size": 1000}
    )

    assert response.status_code == 200
    assert len(response.json()["results"]) == 100


@pytest.mark.parametrize("size", ["abc", "0", "-3", "1.5"])
def test_bad_page_size_gets_400(api_as, customer, customer_admin, size):
    response = api_as(customer_admin).get(
        f"/api/v1/tenants/{customer.pk}/security-groups", {"page_size": size}
    )

    body = assert_error(response, 400, "invalid")
    assert "page_size" in body["errors"]


def test_page_past_the_end_gets_404(api_as, customer, customer_admin):
    response = api_as(customer_admin).get(
        f"/api/v1/tenants/{customer.pk}/security-groups", {"page": 9}
    )

    assert_error(response, 404, "not_found")


# Personal access tokens -------------------------------------------------------------------


def _bearer(raw: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


@pytest.fixture
def token(api_as, plain_member):
    response = api_as(plain_member).post("/api/v1/me/tokens", {"name": "CI"}, format="json")
    assert response.status_code == 201, response.content
    return response.json()


def test_created_token_is_shown_once_and_stored_hashed(api_as, plain_member, token):
    raw = token["token"]
    stored = ApiToken.objects.get(pk=token["api_token"]["id"])

    assert raw.startswith("lia_")
    assert stored.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in {stored.name, stored.prefix, stored.token_hash}
    assert raw.startswith(stored.prefix)
    listed = api_as(plain_member).get("/api/v1/me/tokens").json()["results"]
    assert [t["id"] for t in listed] == [token["api_token"]["id"]]
    assert "token" not in listed[0] and "token_hash" not in listed[0]
    assert AuditEvent.objects.get().action == "api_token.created"


def test_bearer_token_signs_in(plain_member, token):
    response = _bearer(token["token"]).get("/api/v1/me")

    assert response.status_code == 200
    assert response.json()["email"] == plain_member.email
    assert ApiToken.objects.get(pk=token["api_token"]["id"]).last_used_at is not None


def test_bearer_token_reaches_tenant_endpoints(customer, plain_member, token):
    response = _bearer(token["token"]).get(f"/api/v1/tenants/{customer.pk}/me")

    assert response.status_code == 200


def test_revoked_token_gets_401(api_as, plain_member, token):
    revoked = api_as(plain_member).delete(f"/api/v1/me/tokens/{token['api_token']['id']}")
    assert revoked.status_code == 204

    response = _bearer(token["token"]).get("/api/v1/me")

    assert_error(response, 401, "authentication_failed")
    assert response["WWW-Authenticate"] == "Bearer"
    assert [e.action for e in AuditEvent.objects.order_by("occurred_at")] == [
        "api_token.created",
        "api_token.revoked",
    ]


def test_revoking_someone_elses_token_gets_404(api_as, customer_admin, token):
    response = api_as(customer_admin).delete(f"/api/v1/me/tokens/{token['api_token']['id']}")

    assert_error(response, 404, "not_found")
    assert ApiToken.objects.get(pk=token["api_token"]["id"]).revoked_at is None


def test_expired_token_gets_401(api_as, plain_member):
    expires = timezone.now() + timedelta(hours=1)
    created = api_as(plain_member).post(
        "/api/v1/me/tokens", {"name": "Short", "expires_at": expires.isoformat()}, format="json"
    )
    assert created.status_code == 201
    raw = created.json()["token"]
    assert _bearer(raw).get("/api/v1/me").status_code == 200

    with time_machine.travel(expires + timedelta(minutes=1)):
        response = _bearer(raw).get("/api/v1/me")

    assert_error(response, 401, "authentication_failed")


def test_token_expiring_in_the_past_is_refused(api_as, plain_member):
    response = api_as(plain_member).post(
        "/api/v1/me/tokens",
        {"name": "Old", "expires_at": (timezone.now() - timedelta(days=1)).isoformat()},
        format="json",
    )

    body = assert_error(response, 400, "invalid")
    assert "expires_at" in body["errors"]


@pytest.mark.parametrize("header", ["Bearer garbage", "Bearer lia_nope", "Bearer", "Bearer a b"])
def test_garbage_bearer_token_gets_401(db, header):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)

    response = client.get("/api/v1/me")

    assert_error(response, 401, "authentication_failed")


def test_token_of_a_deactivated_user_gets_401(plain_member, token):
    User.objects.filter(pk=plain_member.pk).update(is_active=False)

    assert _bearer(token["token"]).get("/api/v1/me").status_code == 401


# Who am I, and tenants ---------------------------------------------------------------------


def test_me_lists_the_tenants_the_user_can_act_in(api_as, customer, customer_admin, outsider):
    MembershipFactory(user=customer_admin, tenant=outsider, roles=["Billing Administrator"])

    response = api_as(customer_admin).get("/api/v1/me")

    assert response.status_code == 200
    body = response.json()
    assert body["id"] == str(customer_admin.pk)
    assert body["email"] == customer_admin.email
    assert [t["name"] for t in body["tenants"]] == ["Fabrikam", "Northwind"]
    fabrikam, northwind = body["tenants"]
    assert fabrikam == {
        "id": str(customer.pk),
        "name": "Fabrikam",
        "is_partner": False,
        "roles": ["Global Administrator"],
        "permissions": sorted(PERMISSIONS),
        "via": "member",
    }
    assert northwind["roles"] == ["Billing Administrator"]
    assert "users.read" not in northwind["permissions"]


def test_signed_in_user_creates_a_tenant_and_becomes_its_global_administrator(api_as, plain_member):
    api = api_as(plain_member)

    response = api.post(
        "/api/v1/tenants",
        {"name": "Litware", "country": "FR", "domain": "Litware.example"},
        format="json",
    )

    assert response.status_code == 201, response.content
    tenant = response.json()
    assert tenant["name"] == "Litware"
    assert tenant["country"] == "FR"
    assert tenant["primary_domain"] == "litware.example"
    me = api.get(f"/api/v1/tenants/{tenant['id']}/me")
    assert me.status_code == 200
    assert me.json()["roles"] == [
        {
            "role_definition_id": GA,
            "name": "Global Administrator",
            "source": "member",
            "relationship_id": None,
            "end_at": None,
        }
    ]
    assert me.json()["permissions"] == sorted(PERMISSIONS)


@pytest.mark.parametrize(
    "body", [{"name": "X", "country": "Narnia"}, {"name": "X"}, {"country": "DE"}]
)
def test_creating_a_tenant_with_bad_input_gets_400(api_as, plain_member, body):
    response = api_as(plain_member).post("/api/v1/tenants", body, format="json")

    errors = assert_error(response, 400, "invalid")["errors"]
    assert set(errors) <= {"name", "country"} and errors
    assert not Membership.objects.exclude(user=plain_member).filter(user=plain_member).exists()


def test_tenant_me_for_a_plain_member_has_no_permissions(api_as, customer, plain_member):
    response = api_as(plain_member).get(f"/api/v1/tenants/{customer.pk}/me")

    assert response.status_code == 200
    assert response.json() == {"roles": [], "permissions": []}


# Users -----------------------------------------------------------------------------------


def test_user_admin_lists_members_with_their_roles(api_as, customer, customer_admin, plain_member):
    reader = member(customer, "Directory Readers")

    response = api_as(reader).get(f"/api/v1/tenants/{customer.pk}/users")

    assert response.status_code == 200
    rows = response.json()["results"]
    assert [r["email"] for r in rows] == sorted(
        [customer_admin.email, plain_member.email, reader.email]
    )
    admin_row = next(r for r in rows if r["email"] == customer_admin.email)
    assert admin_row["id"] == str(customer_admin.pk)
    assert admin_row["display_name"] == customer_admin.display_name
    assert admin_row["roles"] == [{"role_definition_id": GA, "name": "Global Administrator"}]


def test_admin_adds_a_member(api_as, customer, customer_admin):
    response = api_as(customer_admin).post(
        f"/api/v1/tenants/{customer.pk}/users",
        {"email": "dave@fabrikam.example", "display_name": "Dave", "role_definition_ids": [READER]},
        format="json",
    )

    assert response.status_code == 201, response.content
    row = response.json()
    assert row["email"] == "dave@fabrikam.example"
    assert row["display_name"] == "Dave"
    assert row["roles"] == [{"role_definition_id": READER, "name": "Directory Readers"}]
    assert Membership.objects.filter(tenant=customer, user_id=row["id"]).exists()


def test_user_admin_cannot_add_a_global_administrator(api_as, customer):
    user_admin = member(customer, "User Administrator")

    response = api_as(user_admin).post(
        f"/api/v1/tenants/{customer.pk}/users",
        {"email": "eve@fabrikam.example", "role_definition_ids": [GA]},
        format="json",
    )

    assert_error(response, 403, "permission_denied")
    assert not User.objects.filter(email="eve@fabrikam.example").exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"email": "not-an-email"}, "email"),
        ({}, "email"),
        ({"email": "x@fabrikam.example", "role_definition_ids": ["nope"]}, "role_definition_ids"),
        (
            {"email": "x@fabrikam.example", "role_definition_ids": [str(timezone.now().year)]},
            "role_definition_ids",
        ),
        (
            {
                "email": "x@fabrikam.example",
                "role_definition_ids": ["00000000-0000-0000-0000-000000000001"],
            },
            "role_definition_ids",
        ),
    ],
)
def test_adding_a_member_with_bad_input_gets_400(api_as, customer, customer_admin, body, field):
    response = api_as(customer_admin).post(
        f"/api/v1/tenants/{customer.pk}/users", body, format="json"
    )

    errors = assert_error(response, 400, "invalid")["errors"]
    assert field in errors


def test_adding_an_existing_member_gets_400(api_as, customer, customer_admin, plain_member):
    response = api_as(customer_admin).post(
        f"/api/v1/tenants/{customer.pk}/users", {"email": plain_member.email}, format="json"
    )

    assert assert_error(response, 400, "invalid")["errors"] == {"email": ["Already a member."]}


def test_admin_reads_one_member(api_as, customer, customer_admin, billing_admin):
    response = api_as(customer_admin).get(f"/api/v1/tenants/{customer.pk}/users/{billing_admin.pk}")

    assert response.status_code == 200
    assert response.json()["roles"] == [
        {"role_definition_id": BILLING, "name": "Billing Administrator"}
    ]


def test_admin_sets_a_members_roles(api_as, customer, customer_admin, plain_member):
    response = api_as(customer_admin).put(
        f"/api/v1/tenants/{customer.pk}/users/{plain_member.pk}/roles",
        {"role_definition_ids": [BILLING]},
        format="json",
    )

    assert response.status_code == 200, response.content
    assert response.json()["roles"] == [
        {"role_definition_id": BILLING, "name": "Billing Administrator"}
    ]
    assert AuditEvent.objects.get().action == "membership.roles_changed"


def test_setting_roles_without_the_list_gets_400(api_as, customer, customer_admin, plain_member):
    response = api_as(customer_admin).put(
        f"/api/v1/tenants/{customer.pk}/users/{plain_member.pk}/roles", {}, format="json"
    )

    assert "role_definition_ids" in assert_error(response, 400, "invalid")["errors"]


def test_demoting_the_last_global_administrator_gets_409(api_as, customer, customer_admin):
    response = api_as(customer_admin).put(
        f"/api/v1/tenants/{customer.pk}/users/{customer_admin.pk}/roles",
        {"role_definition_ids": [BILLING]},
        format="json",
    )

    assert_error(response, 409, "invalid_state")
    assert customer_admin.memberships.get(tenant=customer).roles.filter(pk=GA).exists()
    assert not AuditEvent.objects.exists()


def test_removing_the_last_global_administrator_gets_409(api_as, customer, customer_admin):
    response = api_as(customer_admin).delete(
        f"/api/v1/tenants/{customer.pk}/users/{customer_admin.pk}"
    )

    assert_error(response, 409, "invalid_state")
    assert Membership.objects.filter(tenant=customer, user=customer_admin).exists()


def test_admin_removes_a_member(api_as, customer, customer_admin, plain_member):
    response = api_as(customer_admin).delete(
        f"/api/v1/tenants/{customer.pk}/users/{plain_member.pk}"
    )

    assert response.status_code == 204
    assert not Membership.objects.filter(tenant=customer, user=plain_member).exists()
    plain_member.refresh_from_db()  # losing the last membership signed the account out
    assert api_as(plain_member).get(f"/api/v1/tenants/{customer.pk}/me").status_code == 404


# Security groups ---------------------------------------------------------------------------


def test_admin_manages_a_security_group(api_as, customer, customer_admin, billing_admin):
    api = api_as(customer_admin)
    base = f"/api/v1/tenants/{customer.pk}/security-groups"

    created = api.post(base, {"name": "Tier 1", "description": "First line"}, format="json")
    assert created.status_code == 201, created.content
    gid = created.json()["id"]
    assert created.json()["members"] == []

    renamed = api.patch(f"{base}/{gid}", {"name": "Service desk"}, format="json")
    assert renamed.status_code == 200
    assert renamed.json()["name"] == "Service desk"
    assert renamed.json()["description"] == "First line"

    members = api.put(f"{base}/{gid}/members", {"user_ids": [str(billing_admin.pk)]}, format="json")
    assert members.status_code == 200
    assert [m["email"] for m in members.json()["members"]] == [billing_admin.email]
    assert members.json()["member_count"] == 1

    listed = api.get(base)
    assert listed.status_code == 200
    assert [g["name"] for g in listed.json()["results"]] == ["Service desk"]

    detail = api.get(f"{base}/{gid}")
    assert detail.status_code == 200

    deleted = api.delete(f"{base}/{gid}")
    assert deleted.status_code == 204
    assert not SecurityGroup.objects.exists()
    assert api.get(f"{base}/{gid}").status_code == 404
    assert [e.action for e in AuditEvent.objects.order_by("occurred_at")] == [
        "security_group.created",
        "security_group.renamed",
        "security_group.members_changed",
        "security_group.deleted",
    ]


def test_group_members_must_be_members_of_the_tenant(
    api_as, customer, customer_admin, outsider_admin
):
    group = SecurityGroupFactory(tenant=customer)

    response = api_as(customer_admin).put(
        f"/api/v1/tenants/{customer.pk}/security-groups/{group.pk}/members",
        {"user_ids": [str(outsider_admin.pk)]},
        format="json",
    )

    assert "user_ids" in assert_error(response, 400, "invalid")["errors"]
    assert not group.members.exists()


def test_creating_a_group_with_a_taken_name_gets_400(api_as, customer, customer_admin):
    SecurityGroupFactory(tenant=customer, name="Tier 1")

    response = api_as(customer_admin).post(
        f"/api/v1/tenants/{customer.pk}/security-groups", {"name": "tier 1"}, format="json"
    )

    assert "name" in assert_error(response, 400, "invalid")["errors"]


def test_global_reader_reads_groups_but_cannot_create_one(api_as, customer):
    reader = member(customer, "Global Reader")
    api = api_as(reader)

    assert api.get(f"/api/v1/tenants/{customer.pk}/security-groups").status_code == 200
    response = api.post(
        f"/api/v1/tenants/{customer.pk}/security-groups", {"name": "X"}, format="json"
    )

    assert_error(response, 403, "permission_denied")


# Constant queries on every list --------------------------------------------------------------


def _members(tenant, n):
    for _ in range(n):
        member(tenant, "Directory Readers", "Billing Administrator")


def _groups(tenant, n):
    users = [member(tenant) for _ in range(2)]
    for _ in range(n):
        SecurityGroupFactory(tenant=tenant, members=users)


def _events(tenant, n):
    actor = UserFactory()
    for i in range(n):
        record("tenant.touched", actor=actor, target_tenant=tenant, after={"i": i})


def _tokens(user, n):
    from tenants import services

    for i in range(n):
        services.create_api_token(by=user, name=f"T{i}")


LISTS = {
    "users": (lambda t, u: f"/api/v1/tenants/{t.pk}/users", lambda t, u, n: _members(t, n)),
    "security-groups": (
        lambda t, u: f"/api/v1/tenants/{t.pk}/security-groups",
        lambda t, u, n: _groups(t, n),
    ),
    "audit-events": (
        lambda t, u: f"/api/v1/tenants/{t.pk}/audit-events",
        lambda t, u, n: _events(t, n),
    ),
    "me/tokens": (lambda t, u: "/api/v1/me/tokens", lambda t, u, n: _tokens(u, n)),
}
LIST_QUERY_BOUND = 10


@pytest.mark.parametrize("name", sorted(LISTS))
def test_list_endpoints_make_a_constant_number_of_queries(
    api_as, customer, customer_admin, django_assert_max_num_queries, name
):
    url_for, fill = LISTS[name]
    api = api_as(customer_admin)
    url = url_for(customer, customer_admin)
    counts = []
    for rows in (3, 30):
        fill(customer, customer_admin, rows if not counts else rows - 3)
        with django_assert_max_num_queries(LIST_QUERY_BOUND) as ctx:
            response = api.get(url, {"page_size": 100})
        assert response.status_code == 200
        assert response.json()["count"] >= rows
        counts.append(len(ctx.captured_queries))

    assert counts[0] == counts[1], counts


# OpenAPI ---------------------------------------------------------------------------------


def test_openapi_schema_is_served(api_as, plain_member):
    response = api_as(plain_member).get("/api/v1/schema/", {"format": "json"})

    assert response.status_code == 200, response.content[:2000]
    schema = response.json()
    assert "/api/v1/tenants/{tid}/users" in schema["paths"]
    assert "personalAccessToken" in schema["components"]["securitySchemes"]


def test_swagger_ui_uses_no_cdn(client_as, plain_member):
    response = client_as(plain_member).get("/api/v1/docs/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html
    assert "cdn." not in html and "unpkg" not in html
