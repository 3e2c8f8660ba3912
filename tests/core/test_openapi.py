"""The OpenAPI schema is valid, generates without a warning (names, fields, enums), and
tells the truth about every operation (issue 15): the error answers, the list envelopes,
the bodies, the enums and the required inputs. tests/test_api_fuzz.py checks the answers
themselves against it."""

from django.core.management import call_command

from tests.openapi import document


def test_schema_is_valid_and_warning_free(tmp_path, db):
    out = tmp_path / "schema.yml"

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))

    text = out.read_text()
    for path in (
        "/api/v1/tenants/{tid}/delegated-admin-relationships",
        "/api/v1/invitations/{token}/accept",
        "/api/v1/directory/partners",
        "/api/v1/tenants/{tid}/subscriptions",
        "/api/v1/tenants/{tid}/autopilot-devices",
    ):
        assert path + ":" in text


# The schema tells the truth (issue 15) ---------------------------------------------------

ERROR_REF = "#/components/schemas/Error"
PUBLIC = {
    ("get", "/api/v1/directory/facets"),
    ("get", "/api/v1/directory/partners"),
    ("get", "/api/v1/directory/partners/{partner_id}"),
}


def operations():
    for path, methods in document()["paths"].items():
        for method, operation in methods.items():
            yield method, path, operation


def json_schema(response: dict) -> dict:
    return response.get("content", {}).get("application/json", {}).get("schema", {})


def component(name: str) -> dict:
    return document()["components"]["schemas"][name]


def test_every_error_answer_is_the_one_error_component():
    error = component("Error")
    assert error["required"] == ["code", "detail"]
    assert set(error["properties"]) == {"detail", "code", "errors"}
    for method, path, operation in operations():
        responses = operation["responses"]
        for status in ("401", "429", "503"):
            assert status in responses, (method, path, status)
        if (method, path) not in PUBLIC:
            assert "403" in responses, (method, path)
        if "{" in path:
            assert "404" in responses, (method, path)
        if "requestBody" in operation:
            assert {"400", "413", "415"} <= set(responses), (method, path)
        for status, response in responses.items():
            if int(status) >= 400:
                assert json_schema(response) == {"$ref": ERROR_REF}, (method, path, status)


def test_lists_keep_their_operation_ids_and_only_roles_is_a_bare_array():
    for method, path, operation in operations():
        ok = json_schema(operation["responses"].get("200", {}))
        names = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
        if "Paginated" in str(ok):
            assert operation["operationId"].endswith("_list"), path
            assert {"page", "page_size"} <= names, path
            envelope = component(ok["$ref"].rsplit("/", 1)[-1])
            assert set(envelope["properties"]) == {"count", "next", "previous", "results"}
        elif ok.get("type") == "array":
            assert (method, path) == ("get", "/api/v1/roles")


def test_answers_that_were_declared_empty_have_their_bodies():
    paths = document()["paths"]
    accept = paths["/api/v1/invitations/{token}/accept"]["post"]["responses"]["200"]
    request_end = paths["/api/v1/tenants/{tid}/partner-relationships/{partner_id}/request-end"]
    end_types = paths["/api/v1/tenants/{tid}/customers/{customer_id}/end-types"]["post"]

    assert json_schema(accept) == {"$ref": "#/components/schemas/PartnerRelationship"}
    created = json_schema(request_end["post"]["responses"]["201"])["$ref"].rsplit("/", 1)[-1]
    assert set(component(created)["properties"]) == {"id", "status"}
    assert {"200", "204"} <= set(end_types["responses"])
    assert "relationship_status" in component("RelationshipRequestResult")["properties"]


def test_statuses_are_enums():
    enum_of = {
        "Lead": "LeadStatusEnum",
        "Invitation": "InvitationStatusEnum",
        "InvitationPreview": "InvitationStatusEnum",
        "Relationship": "RelationshipStatusEnum",
        "GdapSummary": "RelationshipStatusEnum",
        "GdapRequest": "RelationshipStatusEnum",
        "Subscription": "SubscriptionStatusEnum",
        "SupportRequest": "SupportRequestStatusEnum",
        "IndustryApp": "IndustryAppStatusEnum",
        "LeadCreated": "LeadStatusEnum",
        "EndRequestCreated": "EndRequestStatusEnum",
        "RelationshipRequestResult": "RelationshipRequestResultStatusEnum",
    }
    for name, enum in enum_of.items():
        status = component(name)["properties"]["status"]
        assert f"#/components/schemas/{enum}" in str(status), (name, status)
    assert "enum" in component("RelationshipStatusEnum")


def test_inputs_say_what_is_required_and_what_is_allowed():
    lead = component("LeadCreateInputRequest")
    profile = component("PartnerProfileInputRequest")
    invitation = component("InvitationCreateInputRequest")
    relationship = component("RelationshipInputRequest")

    assert set(lead["required"]) == set(lead["properties"]) - {"phone"}
    assert set(profile["required"]) == {"name", "headquarters_country", "lead_email"}
    types = invitation["properties"]["relationship_types"]["items"]["$ref"].rsplit("/", 1)[-1]
    assert {"gdap", "industry_partner"} <= set(component(types)["enum"])
    customer = relationship["properties"]["customer"]
    customer_ref = next(s["$ref"] for s in customer.get("allOf", [customer]) if "$ref" in s)
    assert component(customer_ref.rsplit("/", 1)[-1])["required"] == ["tenant_id"]


def test_devices_take_json_or_csv():
    body = document()["paths"]["/api/v1/tenants/{tid}/autopilot-devices"]["post"]["requestBody"]

    assert set(body["content"]) == {"application/json", "text/csv"}
