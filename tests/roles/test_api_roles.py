"""GET /api/v1/roles: the catalog, by template id."""

GLOBAL_ADMIN_ID = "62e90394-69f5-4237-9190-012177145e10"


def test_signed_in_user_lists_the_role_catalog(api_as, plain_member):
    response = api_as(plain_member).get("/api/v1/roles")

    assert response.status_code == 200
    roles = response.json()
    assert len(roles) == 123
    assert {"id", "name", "description", "is_privileged", "gdap_assignable"} <= set(roles[0])
    by_id = {r["id"]: r for r in roles}
    assert by_id[GLOBAL_ADMIN_ID]["name"] == "Global Administrator"
    assert by_id[GLOBAL_ADMIN_ID]["is_privileged"] is True
    assert by_id[GLOBAL_ADMIN_ID]["gdap_assignable"] is True
    assert [r["name"] for r in roles] == sorted(r["name"] for r in roles)


def test_tenant_creator_role_is_not_gdap_assignable(api_as, plain_member):
    roles = api_as(plain_member).get("/api/v1/roles").json()

    assert {r["name"]: r["gdap_assignable"] for r in roles}["Tenant Creator"] is False


def test_signed_out_visitor_cannot_list_roles(api, db):
    response = api.get("/api/v1/roles")

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
