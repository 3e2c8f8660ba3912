"""An ISV is listed among the customer's partners and can do nothing in the tenant.

Every endpoint under /api/v1/tenants/{customer}/ is found by walking config.api_urls, so
an endpoint added later is covered too: reads and writes answer 403 or 404, none 2xx,
and nothing is written.
"""

import pytest

from audit.models import AuditEvent
from roles.access import resolve
from tests.devices.conftest import fill, make_device, relate
from tests.industry.test_api import make_app
from tests.urlwalk import api_endpoints

pytestmark = pytest.mark.django_db


def _routes():
    for route, pattern in api_endpoints():
        view = getattr(pattern.callback, "cls", None)
        if route.startswith("tenants/<str:tid>/") and view is not None:
            for method in ("get", "post", "put", "patch", "delete"):
                if hasattr(view, method):
                    yield route, method


ROUTES = sorted(set(_routes()))


@pytest.fixture
def isv(customer, partner_tenant):
    return relate(customer, partner_tenant, "isv")


@pytest.fixture
def customer_objects(customer, customer_admin, partner_tenant):
    """Something of the customer's behind each kind of id."""
    return {
        "uid": customer_admin.pk,
        "device_id": make_device(customer, 1).pk,
        "app_id": make_app(customer, partner_tenant).pk,
    }


def test_the_isv_holds_nothing_in_the_customer(customer, isv, partner_admin):
    tenant_access = resolve(partner_admin, customer)

    assert tenant_access.can_act is False
    assert tenant_access.permissions == frozenset() and tenant_access.capabilities == ()


def test_the_isv_is_listed_among_the_customers_partners(api_as, customer, customer_admin, isv):
    response = api_as(customer_admin).get(f"/api/v1/tenants/{customer.pk}/partner-relationships")

    assert response.status_code == 200
    (row,) = response.json()["results"] if "results" in response.json() else response.json()
    assert row["relationship_types"] == ["isv"]


def test_the_walk_covers_the_new_endpoints():
    routes = {route for route, _method in ROUTES}
    assert "tenants/<str:tid>/autopilot-devices" in routes
    assert "tenants/<str:tid>/industry-apps/<str:app_id>/approve" in routes
    assert "tenants/<str:tid>/users" in routes


@pytest.mark.parametrize(("route", "method"), ROUTES)
def test_the_isv_manager_reads_and_changes_nothing(
    api_as, customer, isv, partner_admin, customer_objects, route, method
):
    events = AuditEvent.objects.count()
    url = fill(route, tid=customer.pk, **customer_objects)

    response = getattr(api_as(partner_admin), method)(url, {}, format="json")

    assert response.status_code in (403, 404), (route, method, response.status_code)
    assert AuditEvent.objects.count() == events
