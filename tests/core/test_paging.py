"""Lists page in SQL with their total in the same statement (issue 16): a page of a
tenant list costs the same queries at any size, the count among them, and what the
envelope says (count, next, 404 past the end) is what Django's counting paginator says."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from tenants.services import create_api_token
from tests.factories import SecurityGroupFactory, member

pytestmark = pytest.mark.django_db


def users_url(tenant, **params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return f"{reverse('api-users', args=[tenant.pk])}?{query}"


@pytest.fixture
def token_client(customer, customer_admin):
    _token, raw = create_api_token(by=customer_admin, name="paging", tenant_id=customer.pk)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


def _queries(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return [q["sql"] for q in ctx.captured_queries]


def test_a_members_page_is_five_queries_at_any_size_and_none_of_them_a_count(
    token_client, customer
):
    """Token, tenant, the caller's roles (a member: no GDAP query), the page with its
    total, the page's roles."""
    url = users_url(customer, page_size=5)
    token_client.get(url)  # the token's last use is written once a minute
    few = _queries(token_client, url)
    for n in range(30):
        member(customer, "Helpdesk Administrator", email=f"m{n}@contoso.example")
    many = _queries(token_client, url)

    assert len(few) == len(many) == 5, many
    assert not any(sql.lstrip().upper().startswith("SELECT COUNT") for sql in many)


def test_the_envelope_counts_and_links_as_before(token_client, customer):
    for n in range(6):
        member(customer, email=f"m{n}@contoso.example")  # with the admin: 7 members

    first = token_client.get(users_url(customer, page_size=3)).json()
    last = token_client.get(users_url(customer, page_size=3, page=3)).json()

    assert first["count"] == last["count"] == 7
    assert len(first["results"]) == 3 and first["previous"] is None and first["next"]
    assert len(last["results"]) == 1 and last["next"] is None and last["previous"]


@pytest.mark.parametrize("page", ["4", "99999999999999999999999999", "0", "-1", "x", "1.5"])
def test_a_page_past_the_end_or_not_a_page_is_a_404(token_client, customer, page):
    response = token_client.get(users_url(customer, page_size=1, page=page))

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_an_empty_list_has_an_empty_first_page(token_client, customer):
    url = reverse("api-security-groups", args=[customer.pk])

    body = token_client.get(url).json()

    assert body == {"count": 0, "next": None, "previous": None, "results": []}


def test_a_grouped_list_counts_its_rows_not_their_groups(token_client, customer, customer_admin):
    """Security groups carry an annotated member count (GROUP BY): the total stays the
    number of groups."""
    for n in range(3):
        SecurityGroupFactory(tenant=customer, name=f"Group {n}", members=[customer_admin])
    url = reverse("api-security-groups", args=[customer.pk])

    body = token_client.get(f"{url}?page_size=2").json()

    assert body["count"] == 3
    assert [g["name"] for g in body["results"]] == ["Group 0", "Group 1"]
