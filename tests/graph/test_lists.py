"""OData on /graph/v1.0 lists: $select, $filter, $orderby, $top, $count and keyset paging
with an absolute @odata.nextLink; anything unsupported is a 400, never ignored."""

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.utils import timezone

from relationships.models import DelegatedAdminRelationship
from tests.factories import TenantFactory
from tests.gdap_factories import DelegatedAdminRelationshipFactory
from tests.graph.conftest import CUSTOMERS, RELATIONSHIPS
from tests.graph.test_auth import assert_graph_error

pytestmark = pytest.mark.django_db
Status = DelegatedAdminRelationship.Status


@pytest.fixture
def rels(partner_tenant, customer, outsider):
    """Five relationships of Contoso, created a minute apart: Alpha..Echo."""
    start = timezone.now() - timedelta(hours=1)
    made = {}
    for i, (name, status, cust) in enumerate(
        [
            ("Alpha", Status.ACTIVE, customer),
            ("Bravo", Status.CREATED, None),
            ("Charlie", Status.APPROVAL_PENDING, outsider),
            ("Delta", Status.TERMINATED, customer),
            ("Echo", Status.DECLINED, outsider),
        ]
    ):
        with time_machine.travel(start + timedelta(minutes=i), tick=False):
            made[name] = DelegatedAdminRelationshipFactory(
                partner=partner_tenant, customer=cust, display_name=name, status=status
            )
    return made


def names(response):
    assert response.status_code == 200, response.content
    return [row["displayName"] for row in response.json()["value"]]


def test_default_order_is_oldest_first(graph, rels):
    assert names(graph.get(RELATIONSHIPS)) == ["Alpha", "Bravo", "Charlie", "Delta", "Echo"]


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("status eq 'active'", ["Alpha"]),
        ("status ne 'terminated'", ["Alpha", "Bravo", "Charlie"]),
        ("status eq 'terminated'", ["Delta", "Echo"]),
        ("status in ('created', 'approvalPending')", ["Bravo", "Charlie"]),
        ("displayName eq 'Delta'", ["Delta"]),
        ("startswith(displayName, 'Ch')", ["Charlie"]),
        ("status eq 'terminated' and displayName ne 'Echo'", ["Delta"]),
        ("displayName eq 'Alpha' or displayName eq 'Echo'", ["Alpha", "Echo"]),
        ("customer/displayName eq 'Northwind'", ["Charlie", "Echo"]),
        ("customer/tenantId eq null", ["Bravo"]),
        ("status eq 'expiring'", []),
    ],
)
def test_filter(graph, rels, expression, expected):
    assert names(graph.get(RELATIONSHIPS, {"$filter": expression})) == expected


def test_filter_on_customer_tenant_id_and_dates(graph, rels, customer):
    by_customer = graph.get(RELATIONSHIPS, {"$filter": f"customer/tenantId eq '{customer.pk}'"})
    cutoff = rels["Charlie"].created_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    since = graph.get(RELATIONSHIPS, {"$filter": f"createdDateTime ge {cutoff}"})
    before = graph.get(RELATIONSHIPS, {"$filter": f"createdDateTime lt {cutoff}"})

    assert names(by_customer) == ["Alpha", "Delta"]
    assert names(since) == ["Charlie", "Delta", "Echo"]
    assert names(before) == ["Alpha", "Bravo"]


@pytest.mark.parametrize(
    ("orderby", "expected"),
    [
        ("displayName desc", ["Echo", "Delta", "Charlie", "Bravo", "Alpha"]),
        ("createdDateTime desc", ["Echo", "Delta", "Charlie", "Bravo", "Alpha"]),
        ("status,displayName", ["Alpha", "Charlie", "Bravo", "Delta", "Echo"]),
    ],
)
def test_orderby(graph, rels, orderby, expected):
    assert names(graph.get(RELATIONSHIPS, {"$orderby": orderby})) == expected


def test_select_keeps_only_what_was_asked(graph, rels):
    response = graph.get(RELATIONSHIPS, {"$select": "id,status"})

    body = response.json()
    assert body["@odata.context"].endswith("#delegatedAdminRelationships(id,status)")
    assert all(
        {key for key in row if not key.startswith("@")} == {"id", "status"} for row in body["value"]
    )


def test_count_counts_every_match_not_the_page(graph, rels):
    body = graph.get(RELATIONSHIPS, {"$count": "true", "$top": "2"}).json()

    assert body["@odata.count"] == 5
    assert len(body["value"]) == 2


def test_paging_follows_an_absolute_next_link_and_keeps_the_options(graph, rels):
    first = graph.get(RELATIONSHIPS, {"$top": "2", "$orderby": "displayName desc"}).json()
    link = first["@odata.nextLink"]
    parts = urlsplit(link)

    assert parts.scheme == "http" and parts.netloc == "testserver"
    assert parts.path == RELATIONSHIPS
    query = parse_qs(parts.query)
    assert query["$top"] == ["2"] and query["$orderby"] == ["displayName desc"]
    seen = [row["displayName"] for row in first["value"]]
    while link:
        page = graph.get(link).json()
        seen += [row["displayName"] for row in page["value"]]
        link = page.get("@odata.nextLink")
    assert seen == ["Echo", "Delta", "Charlie", "Bravo", "Alpha"]


def test_pages_stay_stable_when_rows_arrive_between_them(graph, rels, partner_tenant):
    first = graph.get(RELATIONSHIPS, {"$top": "2"}).json()
    # One older than everything, one newer: neither shifts the pages still to come.
    with time_machine.travel(timezone.now() - timedelta(days=1), tick=False):
        DelegatedAdminRelationshipFactory(partner=partner_tenant, display_name="Aardvark")
    DelegatedAdminRelationshipFactory(partner=partner_tenant, display_name="Zulu")

    rest = []
    link = first["@odata.nextLink"]
    while link:
        page = graph.get(link).json()
        rest += [row["displayName"] for row in page["value"]]
        link = page.get("@odata.nextLink")

    assert [r["displayName"] for r in first["value"]] == ["Alpha", "Bravo"]
    assert rest == ["Charlie", "Delta", "Echo", "Zulu"]


def test_a_skiptoken_of_another_query_or_tenant_is_refused(graph, outsider_graph, rels):
    link = graph.get(RELATIONSHIPS, {"$top": "2"}).json()["@odata.nextLink"]
    token = parse_qs(urlsplit(link).query)["$skiptoken"][0]

    other_query = graph.get(
        RELATIONSHIPS, {"$top": "2", "$orderby": "displayName", "$skiptoken": token}
    )
    other_tenant = outsider_graph.get(link)

    assert_graph_error(other_query, 400, "BadRequest")
    assert_graph_error(other_tenant, 400, "BadRequest")


@pytest.mark.parametrize(
    "params",
    [
        {"$top": "301"},
        {"$top": "0"},
        {"$top": "ten"},
        {"$skip": "2"},
        {"$expand": "accessAssignments"},
        {"$search": "Alpha"},
        {"$filter": "nope eq 1"},
        {"$filter": "status eq 'declined'"},
        {"$filter": "displayName eq"},
        {"$filter": "contains(displayName, 'A')"},
        {"$filter": "createdDateTime ge 'yesterday'"},
        {"$orderby": "accessDetails"},
        {"$select": "partner"},
        {"$count": "maybe"},
        {"$skiptoken": "forged"},
    ],
)
def test_unsupported_options_are_400_never_ignored(graph, rels, params):
    assert_graph_error(graph.get(RELATIONSHIPS, params), 400, "BadRequest")


def test_top_300_is_allowed(graph, rels):
    assert graph.get(RELATIONSHIPS, {"$top": "300"}).status_code == 200


def test_the_list_makes_the_same_queries_for_3_rows_or_30(
    graph, partner_tenant, customer, django_assert_max_num_queries
):
    for _ in range(3):
        DelegatedAdminRelationshipFactory(partner=partner_tenant, customer=customer)
    graph.get(RELATIONSHIPS)  # warm the token's last-use touch and caches

    with django_assert_max_num_queries(9) as few:
        assert len(graph.get(RELATIONSHIPS).json()["value"]) == 3
    for _ in range(27):
        DelegatedAdminRelationshipFactory(
            partner=partner_tenant, customer=TenantFactory(), roles=["User Administrator"]
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(graph.get(RELATIONSHIPS).json()["value"]) == 30


def test_customers_list_takes_the_same_options(graph, partner_tenant, customer, outsider):
    DelegatedAdminRelationshipFactory(partner=partner_tenant, customer=customer)
    DelegatedAdminRelationshipFactory(partner=partner_tenant, customer=outsider)

    body = graph.get(CUSTOMERS, {"$orderby": "displayName desc", "$count": "true"}).json()
    filtered = graph.get(CUSTOMERS, {"$filter": "displayName eq 'Fabrikam'"}).json()

    assert [row["displayName"] for row in body["value"]] == ["Northwind", "Fabrikam"]
    assert body["@odata.count"] == 2
    assert [row["tenantId"] for row in filtered["value"]] == [str(customer.pk)]
