from tests.relationships.conftest import GLOBAL_ADMIN, HELPDESK, USER_ADMIN, token_of


def test_gdap_invitation_flow(send, api_as, customer, customer_admin, partner_tenant, partner_admin,
                              django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=True):
        r = send(relationship_types=["gdap", "reseller"], gdap={
            "display_name": "Contoso helpdesk", "duration": "P90D",
            "role_definition_ids": [HELPDESK, USER_ADMIN], "auto_extend_duration": "P180D"})
    assert r.status_code == 201, r.json()
    token = token_of(r)
    assert len(mailoutbox) == 1
    api = api_as(customer_admin)
    r = api.get(f"/api/v1/invitations/{token}")
    assert r.status_code == 200, r.json()
    r = api.post(f"/api/v1/invitations/{token}/accept", {"tenant_id": str(customer.id)}, format="json")
    assert r.status_code == 400 and r.json()["code"] == "agreement_required", r.json()
    with django_capture_on_commit_callbacks(execute=True):
        r = api.post(f"/api/v1/invitations/{token}/accept", {"tenant_id": str(customer.id), "accept_agreement": True, "approved_role_definition_ids": [HELPDESK]}, format="json")
    assert r.status_code == 200, r.json()
    body = r.json()
    assert body["relationship_types"] == ["gdap", "reseller"]
    assert [x["name"] for x in body["admin_roles"]] == ["Helpdesk Administrator"]
    r = api.post(f"/api/v1/invitations/{token}/accept", {"tenant_id": str(customer.id), "accept_agreement": True}, format="json")
    assert r.status_code == 409, r.json()
    r = api.get(f"/api/v1/tenants/{customer.id}/partner-relationships")
    assert r.status_code == 200 and r.json()["count"] == 1, r.json()
    r = api.get(f"/api/v1/tenants/{customer.id}/partner-relationships/{partner_tenant.id}")
    assert r.status_code == 200, r.json()
    print(r.json()["history"])
    r = api_as(partner_admin).get(f"/api/v1/tenants/{partner_tenant.id}/customers")
    assert r.status_code == 200 and r.json()["results"][0]["agreement_accepted"] is True, r.json()
    api = api_as(customer_admin)
    r = api.get(f"/api/v1/tenants/{customer.id}/agreement")
    assert r.json()["accepted"] is True
    r = api.post(f"/api/v1/tenants/{customer.id}/partner-relationships/{partner_tenant.id}/remove-roles")
    assert r.status_code == 200 and r.json()["admin_roles"] == [], r.json()
    assert r.json()["relationship_types"] == ["gdap", "reseller"]
