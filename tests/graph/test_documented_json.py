"""Each /graph/v1.0 answer against Microsoft Learn's documented example of it (fields,
types, enums, @odata.context), and against msgraph-sdk's model of the resource: every
property Liaison sends is one Graph's schema has, under the same name."""

import json
import re
import uuid

import pytest
from msgraph.generated.models.delegated_admin_access_assignment import (
    DelegatedAdminAccessAssignment,
)
from msgraph.generated.models.delegated_admin_customer import DelegatedAdminCustomer
from msgraph.generated.models.delegated_admin_relationship import DelegatedAdminRelationship
from msgraph.generated.models.delegated_admin_relationship_operation import (
    DelegatedAdminRelationshipOperation,
)
from msgraph.generated.models.delegated_admin_relationship_request import (
    DelegatedAdminRelationshipRequest,
)
from msgraph.generated.models.delegated_admin_service_management_detail import (
    DelegatedAdminServiceManagementDetail,
)

from core.durations import parse_iso_duration
from tests.factories import SecurityGroupFactory
from tests.gdap_factories import DelegatedAdminRelationshipFactory
from tests.graph.conftest import CUSTOMERS, HELPDESK, RELATIONSHIPS, USER_ADMIN, roles
from tests.graph.documented import EXAMPLES

pytestmark = pytest.mark.django_db

SDK_MODELS = {
    "#microsoft.graph.delegatedAdminRelationship": DelegatedAdminRelationship,
    "#microsoft.graph.delegatedAdminRelationshipRequest": DelegatedAdminRelationshipRequest,
    "#microsoft.graph.delegatedAdminRelationshipOperation": DelegatedAdminRelationshipOperation,
    "#microsoft.graph.delegatedAdminAccessAssignment": DelegatedAdminAccessAssignment,
    "#microsoft.graph.delegatedAdminCustomer": DelegatedAdminCustomer,
    "#microsoft.graph.delegatedAdminServiceManagementDetail": DelegatedAdminServiceManagementDetail,
}
TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,7})?Z")
ETAG = re.compile(r'W/"[A-Za-z0-9+/]+=*"')


def check(value, expected, path: str) -> None:
    """value has the documented type `expected` (see tests/graph/documented.py)."""
    if isinstance(expected, dict):
        assert isinstance(value, dict), f"{path}: {value!r} is not an object"
        assert set(value) == set(expected), f"{path}: {sorted(value)} != {sorted(expected)}"
        for key, inner in expected.items():
            check(value[key], inner, f"{path}.{key}")
    elif isinstance(expected, list):
        assert isinstance(value, list) and value, f"{path}: not a non-empty list"
        for i, item in enumerate(value):
            check(item, expected[0], f"{path}[{i}]")
    elif isinstance(expected, set):
        assert value in expected, f"{path}: {value!r} is not one of Graph's {sorted(expected)}"
    elif expected.startswith("#microsoft.graph."):
        assert value == expected, path
    elif expected == "timestamp?":
        assert value is None or TIMESTAMP.fullmatch(value), f"{path}: {value!r}"
    else:
        assert isinstance(value, str) and value, f"{path}: {value!r} is not a string"
        if expected == "guid":
            uuid.UUID(value)
        elif expected == "timestamp":
            assert TIMESTAMP.fullmatch(value), f"{path}: {value!r}"
        elif expected == "etag":
            assert ETAG.fullmatch(value), f"{path}: {value!r}"
        elif expected == "duration":
            assert parse_iso_duration(value) is not None, f"{path}: {value!r}"
        elif expected == "json-string":
            assert isinstance(json.loads(value), dict), path
        elif expected == "url":
            assert value.startswith(("http://", "https://")), path


def check_item(item: dict, example: dict, path: str) -> None:
    shape, extras = example["shape"], example.get("extras", {})
    documented, ours = set(shape), set(item)
    assert documented <= ours, f"{path}: missing {sorted(documented - ours)}"
    if not example["truncated"]:
        assert ours - documented <= set(extras), (
            f"{path}: not documented {sorted(ours - documented - set(extras))}"
        )
    for key in ours:
        check(item[key], {**example.get("full", shape), **extras}[key], f"{path}.{key}")
    model = SDK_MODELS[item["@odata.type"]]
    known = set(model().get_field_deserializers())
    ours_properties = {key for key in ours if not key.startswith("@") and key not in extras}
    assert ours_properties <= known, f"{path}: unknown to the SDK {ours_properties - known}"


@pytest.fixture
def world(graph, partner_tenant, customer, django_capture_on_commit_callbacks):
    """One of each resource, through the API: an active relationship with an assignment
    whose roles changed (an operation), and a draft created, renamed and locked."""
    rel = DelegatedAdminRelationshipFactory(
        partner=partner_tenant,
        customer=customer,
        roles=["Helpdesk Administrator", "User Administrator"],
        auto_extend_duration=parse_iso_duration("P180D"),
    )
    draft = graph.post(
        RELATIONSHIPS,
        {
            "displayName": "Draft",
            "duration": "P90D",
            "customer": {"tenantId": str(customer.pk)},
            "accessDetails": roles(HELPDESK),
        },
        format="json",
    )
    renamed = graph.patch(
        f"{RELATIONSHIPS}/{draft.json()['id']}",
        {"displayName": "Renamed"},
        format="json",
        HTTP_IF_MATCH=draft.json()["@odata.etag"],
    )
    locked = graph.post(
        f"{RELATIONSHIPS}/{draft.json()['id']}/requests",
        {"action": "lockForApproval"},
        format="json",
    )
    group = SecurityGroupFactory(tenant=partner_tenant)
    with django_capture_on_commit_callbacks(execute=True):  # its task activates it
        assigned = graph.post(
            f"{RELATIONSHIPS}/{rel.pk}/accessAssignments",
            {
                "accessContainer": {
                    "accessContainerId": str(group.pk),
                    "accessContainerType": "securityGroup",
                },
                "accessDetails": roles(HELPDESK),
            },
            format="json",
        )
    assignment_url = f"{RELATIONSHIPS}/{rel.pk}/accessAssignments/{assigned.json()['id']}"
    changed = graph.patch(
        assignment_url,
        {"accessDetails": roles(HELPDESK, USER_ADMIN)},
        format="json",
        HTTP_IF_MATCH="*",
    )
    assert changed.status_code == 202, changed.content
    return {
        "list delegatedAdminRelationships": graph.get(RELATIONSHIPS),
        "create delegatedAdminRelationship": draft,
        "get delegatedAdminRelationship": graph.get(f"{RELATIONSHIPS}/{rel.pk}"),
        "update delegatedAdminRelationship": renamed,
        "create requests": locked,
        "list requests": graph.get(f"{RELATIONSHIPS}/{draft.json()['id']}/requests"),
        "get delegatedAdminRelationshipRequest": graph.get(locked["Location"]),
        "list operations": graph.get(f"{RELATIONSHIPS}/{rel.pk}/operations"),
        "get delegatedAdminRelationshipOperation": graph.get(changed["Location"]),
        "create accessAssignments": assigned,
        "list accessAssignments": graph.get(f"{RELATIONSHIPS}/{rel.pk}/accessAssignments"),
        "get delegatedAdminAccessAssignment": graph.get(assignment_url),
        "list delegatedAdminCustomers": graph.get(CUSTOMERS),
        "get delegatedAdminCustomer": graph.get(f"{CUSTOMERS}/{customer.pk}"),
        "list serviceManagementDetails": graph.get(
            f"{CUSTOMERS}/{customer.pk}/serviceManagementDetails"
        ),
        "customer": customer,
    }


def test_every_documented_example_has_an_answer_here():
    assert len(EXAMPLES) == 15


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_the_json_matches_the_documented_example(world, name):
    example = EXAMPLES[name]
    response = world[name]

    assert response.status_code == example.get("status", 200), response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    context = example["context"].replace("{customer}", str(world["customer"].pk))
    assert body["@odata.context"].endswith(f"/graph/v1.0/tenantRelationships/$metadata#{context}")
    if example.get("collection"):
        assert set(body) <= {"@odata.context", "@odata.count", "@odata.nextLink", "value"}
        assert body["value"], "the example world has rows here"
        for i, item in enumerate(body["value"]):
            check_item(item, example, f"{name}[{i}]")
    else:
        item = {key: value for key, value in body.items() if key != "@odata.context"}
        check_item(item, example, name)
