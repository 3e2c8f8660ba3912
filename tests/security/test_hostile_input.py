"""Hostile input never gives a 5xx (issue 12, finding 9), fuzzed with Hypothesis.

Every query parameter and every top-level body field of every operation in the OpenAPI
schema gets NUL bytes, huge numbers, deep nesting, very long text and wrong types, as the
customer's Global Administrator and against real objects (the permission matrix's world),
so the requests reach the handlers. Each request runs in a transaction rolled back after it.
"""

import pytest
from django.db import transaction
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.security.test_permission_matrix import World, _path


def _nested(depth: int):
    value: list = []
    for _ in range(depth):
        value = [value]
    return value


HOSTILE = st.one_of(
    st.text(alphabet=st.sampled_from("a\x00\u0000\ud7ff\uffff🙂'\"%;"), min_size=1, max_size=40),
    st.just("\x00"),
    st.just("a" * 100_000),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.floats(allow_nan=False, allow_infinity=False),
    st.just(10**400),
    st.just("P99999999999D"),
    st.just("9" * 400),
    st.recursive(
        st.none() | st.booleans() | st.text(max_size=3), lambda c: st.lists(c, max_size=3)
    ).map(lambda v: [v] * 3),
    st.just(_nested(64)),
    st.dictionaries(st.text(max_size=5), st.text(max_size=5), max_size=3),
    st.none(),
    st.booleans(),
)


def _operations():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    components = schema.get("components", {}).get("schemas", {})
    rows = []
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            query = [p["name"] for p in operation.get("parameters", []) if p["in"] == "query"]
            body = []
            content = operation.get("requestBody", {}).get("content", {})
            ref = content.get("application/json", {}).get("schema", {}).get("$ref", "")
            if ref:
                body = list(components.get(ref.rsplit("/", 1)[-1], {}).get("properties", {}))
            for name in query:
                rows.append((method, path, "query", name))
            for name in body:
                rows.append((method, path, "body", name))
    return rows


OPERATIONS = _operations()
PATH_VALUES = {
    "tid": "customer",
    "uid": "victim",
    "gid": "group",
    "rid": "active_rel",
    "aid": "assignment",
    "iid": "invitation",
    "sid": "subscription",
    "device_id": "device",
    "app_id": "app",
    "lead_id": "lead",
    "partner_id": "partner",
    "customer_id": "customer",
    "token": "invitation_token",
    "token_id": "ga_token",
    "invitation_id": "membership_invitation",
}


def test_the_fuzzer_reaches_every_operation():
    paths = {(m, p) for m, p, _where, _name in OPERATIONS}
    assert len(paths) >= 35
    assert any(where == "body" for *_rest, where, _name in OPERATIONS)


@pytest.mark.django_db
@settings(
    max_examples=int(__import__("os").environ.get("LIAISON_FUZZ_EXAMPLES", "400")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_hostile_values_never_give_a_5xx(data):
    world = _world()
    method, path, where, name = data.draw(st.sampled_from(OPERATIONS))
    value = data.draw(HOSTILE)
    route = path.removeprefix("/api/v1/")
    for param in PATH_VALUES:
        route = route.replace("{" + param + "}", "<str:" + param + ">")
    url = _path(world, route, "C", {p: a for p, a in PATH_VALUES.items() if p != "tid"})
    client = world.client("C", "global")
    with transaction.atomic():
        if where == "query":
            response = getattr(client, method)(url, {name: _as_text(value)})
        else:
            response = getattr(client, method)(url, {name: value}, format="json")
        transaction.set_rollback(True)
    assert response.status_code < 500, (method, url, where, name, repr(value)[:200])
    if response.status_code >= 400:
        assert response["Content-Type"].startswith("application/json")


def _as_text(value) -> str:
    return value if isinstance(value, str) else repr(value)


_WORLD: dict = {}


def _world():
    """One world per test run: the database survives between examples (each request rolls
    back), so it is built once."""
    from tenants.models import Tenant

    world = _WORLD.get("world")
    if world is None or not Tenant.objects.filter(pk=world.customer.pk).exists():
        world = _WORLD["world"] = World()
    return world
