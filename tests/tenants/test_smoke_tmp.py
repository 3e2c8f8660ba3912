def test_smoke(api_as, customer_admin, customer, outsider_admin, django_assert_max_num_queries):
    api = api_as(customer_admin)
    r = api.get("/api/v1/me")
    assert r.status_code == 200, r.content
    print(r.json())
    r = api.post("/api/v1/tenants", {"name": "New Co", "country": "DE"}, format="json")
    assert r.status_code == 201, r.content
    r = api.get(f"/api/v1/tenants/{customer.id}/me")
    assert r.status_code == 200, r.content
    print(r.json())
    r = api.post(
        f"/api/v1/tenants/{customer.id}/users",
        {"email": "x@y.example", "role_definition_ids": ["62e90394-69f5-4237-9190-012177145e10"]},
        format="json",
    )
    assert r.status_code == 201, r.content
    with django_assert_max_num_queries(12):
        r = api.get(f"/api/v1/tenants/{customer.id}/users")
    assert r.status_code == 200, r.content
    print(r.json())
    r = api_as(outsider_admin).get(f"/api/v1/tenants/{customer.id}/users")
    assert r.status_code == 404, r.content
    print(r.json())
    r = api.get(f"/api/v1/tenants/{customer.id}/audit-events")
    print(r.json())
    r = api.get("/api/v1/roles")
    assert r.status_code == 200
    r = api.get("/api/v1/schema/")
    assert r.status_code == 200, r.content[:2000]
