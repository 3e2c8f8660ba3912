"""Tenant isolation on every API endpoint under /api/v1/tenants/{tid}/.

The endpoints are found by walking config.api_urls, so an endpoint added later is covered
without touching this file: an outsider gets 404 on the customer's tenant, a foreign
object id inside the outsider's own tenant gets 404, and a plain member gets 403 wherever
a permission is required.
"""

import re
import uuid

import pytest

from audit.models import AuditEvent
from core.api import TenantAPIView
from tenants.models import Membership, SecurityGroup
from tests.factories import SecurityGroupFactory
from tests.urlwalk import api_endpoints

PARAM = re.compile(r"<(?:\w+:)?(\w+)>")
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


def _tenant_endpoints():
    rows = []
    for route, pattern in api_endpoints():
        view_class = getattr(pattern.callback, "cls", None)
        if "<" not in route or "tid" not in PARAM.findall(route):
            continue
        assert view_class is not None and issubclass(view_class, TenantAPIView), route
        for method in METHODS:
            if hasattr(view_class, method.lower()):
                rows.append((route, method, view_class.required.get(method)))
    return rows


ENDPOINTS = _tenant_endpoints()


def test_the_walk_finds_the_tenant_endpoints():
    routes = {route for route, _m, _p in ENDPOINTS}
    assert "tenants/<str:tid>/users" in routes
    assert "tenants/<str:tid>/security-groups/<str:gid>/members" in routes
    assert "tenants/<str:tid>/audit-events" in routes


def _url(route: str, **values) -> str:
    def fill(match):
        name = match.group(1)
        return str(values.get(name, uuid.uuid4()))

    return "/api/v1/" + PARAM.sub(fill, route)


def _call(api, method, url, body=None):
    return getattr(api, method.lower())(url, body or {}, format="json")


# A body that passes validation, so the lookup (not the input) decides the answer.
VALID_BODIES = {
    ("tenants/<str:tid>/users/<str:uid>/roles", "PUT"): {"role_definition_ids": []},
    ("tenants/<str:tid>/security-groups/<str:gid>", "PATCH"): {"name": "Renamed"},
    ("tenants/<str:tid>/security-groups/<str:gid>/members", "PUT"): {"user_ids": []},
}


@pytest.fixture
def customer_group(customer, customer_admin):
    return SecurityGroupFactory(tenant=customer, name="Helpdesk", members=[customer_admin])


def _assert_json_error(response, status, code):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) >= {"detail", "code"}
    assert body["code"] == code
    assert isinstance(body["detail"], str) and body["detail"]


@pytest.mark.parametrize(("route", "method", "_perm"), ENDPOINTS)
def test_outsider_admin_gets_404_on_the_customers_tenant(
    api_as, customer, customer_admin, customer_group, outsider_admin, route, method, _perm
):
    url = _url(route, tid=customer.pk, uid=customer_admin.pk, gid=customer_group.pk)
    events_before = AuditEvent.objects.count()

    response = _call(api_as(outsider_admin), method, url, VALID_BODIES.get((route, method)))

    _assert_json_error(response, 404, "not_found")
    assert AuditEvent.objects.count() == events_before
    assert SecurityGroup.objects.filter(pk=customer_group.pk, name="Helpdesk").exists()
    assert Membership.objects.filter(tenant=customer, user=customer_admin).exists()


OBJECT_ENDPOINTS = [
    (route, method, perm)
    for route, method, perm in ENDPOINTS
    if set(PARAM.findall(route)) - {"tid"} and set(PARAM.findall(route)) <= {"tid", "uid", "gid"}
]


@pytest.mark.parametrize(("route", "method", "_perm"), OBJECT_ENDPOINTS)
def test_foreign_object_id_in_own_tenant_gets_404(
    api_as, customer, customer_admin, customer_group, outsider, outsider_admin, route, method, _perm
):
    url = _url(route, tid=outsider.pk, uid=customer_admin.pk, gid=customer_group.pk)

    response = _call(api_as(outsider_admin), method, url, VALID_BODIES.get((route, method)))

    _assert_json_error(response, 404, "not_found")
    assert SecurityGroup.objects.filter(pk=customer_group.pk, name="Helpdesk").exists()
    assert customer_group.members.filter(pk=customer_admin.pk).exists()
    assert Membership.objects.filter(tenant=customer, user=customer_admin).exists()
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize(("route", "method", "_perm"), OBJECT_ENDPOINTS)
def test_malformed_object_id_gets_404(api_as, customer, customer_admin, route, method, _perm):
    url = _url(route, tid=customer.pk, uid="not-a-uuid", gid="12345")

    response = _call(api_as(customer_admin), method, url, VALID_BODIES.get((route, method)))

    _assert_json_error(response, 404, "not_found")


@pytest.mark.parametrize(("route", "method", "_perm"), ENDPOINTS)
@pytest.mark.parametrize("tid", ["not-a-uuid", "0", str(uuid.uuid4()), "%20"])
def test_malformed_or_unknown_tenant_id_gets_404_json(
    api_as, customer_admin, route, method, _perm, tid
):
    response = _call(api_as(customer_admin), method, _url(route, tid=tid))

    _assert_json_error(response, 404, "not_found")


GUARDED = [(route, method, perm) for route, method, perm in ENDPOINTS if perm]


@pytest.mark.parametrize(("route", "method", "perm"), GUARDED)
def test_plain_member_gets_403_where_a_permission_is_needed(
    api_as, customer, customer_admin, customer_group, plain_member, route, method, perm
):
    url = _url(route, tid=customer.pk, uid=customer_admin.pk, gid=customer_group.pk)

    response = _call(api_as(plain_member), method, url, VALID_BODIES.get((route, method)))

    _assert_json_error(response, 403, "permission_denied")
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize(("route", "method", "_perm"), ENDPOINTS)
def test_signed_out_visitor_gets_401(api, customer, route, method, _perm):
    response = _call(api, method, _url(route, tid=customer.pk))

    _assert_json_error(response, 401, "not_authenticated")
