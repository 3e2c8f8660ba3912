"""Every list of /api/v1 answers the paginated envelope its schema declares, refuses a bad
page or page size in the error shape, and refuses an unknown status filter with a 400
(issue 15). Rows come from Fabrikam's fixed-id world (tests/api_world.py)."""

import pytest
from rest_framework.test import APIClient

from tests.api_world import ADMIN, RELATIONSHIP, TENANT
from tests.openapi import assert_conforms, document

pytestmark = pytest.mark.django_db

T = f"/api/v1/tenants/{TENANT}"
LISTS = [
    "/api/v1/directory/partners",
    "/api/v1/me/membership-invitations",
    "/api/v1/me/tokens",
    "/api/v1/products",
    f"{T}/audit-events",
    f"{T}/autopilot-devices",
    f"{T}/customers",
    f"{T}/delegated-admin-relationships",
    f"{T}/delegated-admin-relationships/{RELATIONSHIP}/access-assignments",
    f"{T}/delegated-admin-relationships/expiring",
    f"{T}/industry-apps",
    f"{T}/invitations",
    f"{T}/leads",
    f"{T}/partner-relationships",
    f"{T}/security-groups",
    f"{T}/subscriptions",
    f"{T}/support-requests",
    f"{T}/users",
]
STATUS_FILTERED = [
    f"{T}/delegated-admin-relationships",
    f"{T}/industry-apps",
    f"{T}/invitations",
    f"{T}/leads",
    f"{T}/subscriptions",
    f"{T}/support-requests",
]


@pytest.fixture
def admin(fuzz_world):
    """Fabrikam's Global Administrator, signed in by session (tokens cannot list tokens)."""
    from tenants.models import User

    client = APIClient(raise_request_exception=False)
    client.force_login(User.objects.get(pk=ADMIN))
    return client


def test_the_schema_declares_exactly_these_lists_paginated():
    paginated = {
        path.replace("{tid}", str(TENANT)).replace("{rid}", str(RELATIONSHIP))
        for path, operations in document()["paths"].items()
        if "get" in operations
        and "Paginated"
        in str(operations["get"]["responses"]["200"]["content"].get("application/json"))
    }

    assert paginated == set(LISTS)


@pytest.mark.parametrize("url", LISTS)
def test_a_list_answers_the_envelope(admin, url):
    response = admin.get(url, {"page_size": 2})

    assert response.status_code == 200, response.json()
    assert set(response.json()) == {"count", "next", "previous", "results"}
    assert_conforms(response)


@pytest.mark.parametrize("url", LISTS)
def test_a_bad_page_size_is_a_400(admin, url):
    response = admin.get(url, {"page_size": "0"})

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert_conforms(response)


@pytest.mark.parametrize("url", LISTS)
def test_a_page_past_the_end_is_a_404(admin, url):
    response = admin.get(url, {"page": "9999"})

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert_conforms(response)


@pytest.mark.parametrize("url", STATUS_FILTERED)
def test_an_unknown_status_is_a_400_on_every_list(admin, url):
    response = admin.get(url, {"status": "bogus"})

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["status"]
    assert_conforms(response)


@pytest.mark.parametrize("url", STATUS_FILTERED)
def test_the_status_filter_takes_every_status_the_schema_lists(admin, url):
    parameters = document()["paths"][url.replace(str(TENANT), "{tid}")]["get"]["parameters"]
    statuses = next(p for p in parameters if p["name"] == "status")["schema"]["enum"]

    for status in statuses:
        response = admin.get(url, {"status": status})
        assert response.status_code == 200, (status, response.json())
        assert {row["status"] for row in response.json()["results"]} <= {status}
