"""Expiring relationships, both sides: tiles and filters (ending within 30, 7 and 1 days,
after 30 days, expired in the last year), search, CSV, and switching auto-extend on or off
for many at once (each change its own service call and audit event). Global Administrator
relationships say why they cannot auto-extend."""

import csv
import io
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from audit.models import AuditEvent
from relationships.models import DelegatedAdminRelationship
from tests.factories import TenantFactory, member
from tests.gdap_factories import DelegatedAdminRelationshipFactory

pytestmark = pytest.mark.django_db

Status = DelegatedAdminRelationship.Status
AUTO_EXTEND = timedelta(days=180)


def make(partner, customer, name, *, ends_in=None, status=Status.ACTIVE, roles=None, **kw):
    now = timezone.now()
    rel = DelegatedAdminRelationshipFactory(
        partner=partner,
        customer=customer,
        display_name=name,
        status=status,
        roles=roles or ["Helpdesk Administrator"],
        **kw,
    )
    if ends_in is not None:
        rel.end_at = now + ends_in
        rel.activated_at = rel.end_at - rel.duration
        if status in (Status.EXPIRED, Status.TERMINATED):
            rel.ended_at = rel.end_at
        rel.save()
    return rel


@pytest.fixture
def book(partner_tenant, customer):
    """Contoso's relationships: with Fabrikam and with Tailspin, at every distance."""
    tailspin = TenantFactory(name="Tailspin Toys")
    return {
        "hours": make(partner_tenant, customer, "Fabrikam helpdesk", ends_in=timedelta(hours=12)),
        "days5": make(partner_tenant, tailspin, "Tailspin users", ends_in=timedelta(days=5)),
        "days20": make(partner_tenant, customer, "Fabrikam billing", ends_in=timedelta(days=20)),
        "global": make(
            partner_tenant,
            tailspin,
            "Tailspin global",
            ends_in=timedelta(days=20),
            roles=["Global Administrator"],
        ),
        "later": make(partner_tenant, customer, "Fabrikam devices", ends_in=timedelta(days=90)),
        "expired": make(
            partner_tenant,
            customer,
            "Fabrikam old",
            ends_in=-timedelta(days=10),
            status=Status.EXPIRED,
        ),
        "long_ago": make(
            partner_tenant,
            tailspin,
            "Tailspin ancient",
            ends_in=-timedelta(days=400),
            status=Status.EXPIRED,
        ),
        "terminated": make(
            partner_tenant,
            customer,
            "Fabrikam ended",
            ends_in=-timedelta(days=3),
            status=Status.TERMINATED,
        ),
        "tailspin": tailspin,
    }


def api_url(tenant, suffix=""):
    return f"/api/v1/tenants/{tenant.pk}/delegated-admin-relationships{suffix}"


def names(response):
    assert response.status_code == 200, response.json()
    return sorted(r["display_name"] for r in response.json()["results"])


# Tiles and filters -------------------------------------------------------------------------


def test_tiles_count_each_window(api_as, partner_admin, partner_tenant, book):
    response = api_as(partner_admin).get(api_url(partner_tenant, "/expiring/summary"))

    assert response.status_code == 200
    assert response.json() == {
        "within_1_day": 1,
        "within_7_days": 2,
        "within_30_days": 4,
        "after_30_days": 1,
        "expired_last_year": 1,
    }


@pytest.mark.parametrize(
    ("window", "expected"),
    [
        ("1d", ["Fabrikam helpdesk"]),
        ("7d", ["Fabrikam helpdesk", "Tailspin users"]),
        ("30d", ["Fabrikam billing", "Fabrikam helpdesk", "Tailspin global", "Tailspin users"]),
        ("later", ["Fabrikam devices"]),
        ("expired", ["Fabrikam old"]),
    ],
)
def test_window_filter(api_as, partner_admin, partner_tenant, book, window, expected):
    response = api_as(partner_admin).get(api_url(partner_tenant, f"/expiring?window={window}"))

    assert names(response) == expected


def test_search_by_customer_or_relationship_name_and_bad_input(
    api_as, partner_admin, partner_tenant, book
):
    api = api_as(partner_admin)

    by_customer = api.get(api_url(partner_tenant, "/expiring?q=tailspin%20toys"))
    by_name = api.get(api_url(partner_tenant, "/expiring?q=billing"))
    bad = api.get(api_url(partner_tenant, "/expiring?window=2d"))

    assert names(by_customer) == ["Tailspin global", "Tailspin users"]
    assert names(by_name) == ["Fabrikam billing"]
    assert bad.status_code == 400 and "window" in bad.json()["errors"]


def test_global_administrator_rows_say_why_they_cannot_auto_extend(
    api_as, partner_admin, partner_tenant, book
):
    rows = api_as(partner_admin).get(api_url(partner_tenant, "/expiring?q=global")).json()

    (row,) = rows["results"]
    assert row["auto_extend_available"] is False
    assert "Global Administrator" in row["auto_extend_unavailable_reason"]


def test_the_customer_sees_its_own_incoming_relationships(api_as, customer, customer_admin, book):
    api = api_as(customer_admin)

    response = api.get(api_url(customer, "/expiring?window=30d"))

    assert names(response) == ["Fabrikam billing", "Fabrikam helpdesk"]
    summary = api.get(api_url(customer, "/expiring/summary")).json()
    assert summary["within_30_days"] == 2 and summary["expired_last_year"] == 1


def test_outsiders_see_nothing(api_as, outsider, outsider_admin, partner_tenant, book):
    assert api_as(outsider_admin).get(api_url(partner_tenant, "/expiring")).status_code == 404
    assert names(api_as(outsider_admin).get(api_url(outsider, "/expiring"))) == []


# Switching auto-extend ---------------------------------------------------------------------


def test_partner_switches_auto_extend_on_and_off_through_patch(
    api_as,
    partner_admin,
    partner_tenant,
    customer_admin,
    book,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    rel = book["days20"]
    end = rel.end_at
    api = api_as(partner_admin)

    with django_capture_on_commit_callbacks(execute=True):
        on = api.patch(
            api_url(partner_tenant, f"/{rel.pk}"), {"auto_extend_duration": "P180D"}, format="json"
        )
    same = api.patch(
        api_url(partner_tenant, f"/{rel.pk}"), {"auto_extend_duration": "P180D"}, format="json"
    )

    assert on.status_code == 200, on.json()
    assert on.json()["auto_extend_duration"] == "P180D"
    assert same.status_code == 200
    rel.refresh_from_db()
    assert (rel.auto_extend_duration, rel.end_at) == (AUTO_EXTEND, end)
    (event,) = AuditEvent.objects.filter(action="gdap.auto_extend_changed")
    assert event.after["auto_extend_days"] == 180 and event.target_tenant_id == rel.customer_id
    # The customer's admins are told.
    assert [m.subject for m in mailoutbox if m.to == [customer_admin.email]] == [
        "Auto-extend switched on: Fabrikam billing"
    ]

    off = api.patch(
        api_url(partner_tenant, f"/{rel.pk}"), {"auto_extend_duration": "PT0S"}, format="json"
    )
    assert off.status_code == 200 and off.json()["auto_extend_duration"] == "PT0S"
    assert AuditEvent.objects.filter(action="gdap.auto_extend_changed").count() == 2


def test_global_administrator_blocks_auto_extend(api_as, partner_admin, partner_tenant, book):
    rel = book["global"]

    response = api_as(partner_admin).patch(
        api_url(partner_tenant, f"/{rel.pk}"), {"auto_extend_duration": "P180D"}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["code"] == "auto_extend_blocked"
    assert "Global Administrator" in response.json()["detail"]
    assert not AuditEvent.objects.exists()


def test_only_an_active_relationship_switches(api_as, partner_admin, partner_tenant, book):
    response = api_as(partner_admin).patch(
        api_url(partner_tenant, f"/{book['terminated'].pk}"),
        {"auto_extend_duration": "P180D"},
        format="json",
    )

    assert response.status_code == 409


def test_customers_own_admin_switches_its_incoming_relationship(
    api_as, customer, customer_admin, partner_tenant, book
):
    rel = book["later"]
    rel.auto_extend_duration = AUTO_EXTEND
    rel.save()
    delegated_reader = member(customer, "Global Reader")

    off = api_as(customer_admin).patch(
        api_url(customer, f"/{rel.pk}"), {"auto_extend_duration": "PT0S"}, format="json"
    )
    by_reader = api_as(delegated_reader).patch(
        api_url(customer, f"/{rel.pk}"), {"auto_extend_duration": "P180D"}, format="json"
    )

    assert off.status_code == 200, off.json()
    assert by_reader.status_code == 403
    rel.refresh_from_db()
    assert rel.auto_extend_duration == timedelta(0)
    event = AuditEvent.objects.get(action="gdap.auto_extend_changed")
    assert event.after["by"] == "customer"


def test_switching_off_keeps_an_end_that_auto_extend_already_moved(
    api_as, partner_admin, partner_tenant, customer
):
    rel = make(partner_tenant, customer, "Lagging", ends_in=-timedelta(hours=1))
    rel.auto_extend_duration = AUTO_EXTEND
    rel.save()  # the sweep has not moved the end yet

    response = api_as(partner_admin).patch(
        api_url(partner_tenant, f"/{rel.pk}"), {"auto_extend_duration": "PT0S"}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["status"] == "active"
    rel.refresh_from_db()
    assert rel.end_at > timezone.now() + timedelta(days=170)


def test_bulk_switch_reports_per_relationship(api_as, partner_admin, partner_tenant, book):
    ids = [str(book[k].pk) for k in ("hours", "days5", "global", "terminated")] + ["nope"]

    response = api_as(partner_admin).post(
        api_url(partner_tenant, "/auto-extend"),
        {"relationship_ids": ids, "auto_extend_duration": "P180D"},
        format="json",
    )

    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["changed"], body["refused"]) == (2, 3)
    by_id = {r["id"]: r for r in body["results"]}
    assert by_id[str(book["global"].pk)]["code"] == "auto_extend_blocked"
    assert by_id[str(book["terminated"].pk)]["code"] == "invalid_state"
    assert by_id["nope"]["code"] == "not_found"
    assert AuditEvent.objects.filter(action="gdap.auto_extend_changed").count() == 2


# CSV ---------------------------------------------------------------------------------------


def read_csv(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    return list(
        csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")))
    )


def test_csv_download_through_the_api_and_the_page(
    api_as, client_as, partner_admin, partner_tenant, book
):
    book["days5"].reference = "=HYPERLINK(evil)"  # a formula must not reach a spreadsheet
    book["days5"].save()

    from_api = read_csv(
        api_as(partner_admin).get(api_url(partner_tenant, "/expiring/export?window=7d"))
    )
    from_page = read_csv(
        client_as(partner_admin).get(f"/t/{partner_tenant.pk}/gdap/expiring/csv/?window=7d")
    )

    assert [r["Relationship"] for r in from_api] == ["Fabrikam helpdesk", "Tailspin users"]
    assert from_page == from_api
    row = from_api[1]
    assert row["Customer"] == "Tailspin Toys" and row["Auto-extend"] == "off"
    assert row["Internal reference"] == "'=HYPERLINK(evil)"


# The page ----------------------------------------------------------------------------------


def test_page_shows_tiles_rows_and_why_global_cannot_extend(
    client_as, partner_admin, partner_tenant, book, django_assert_max_num_queries
):
    client = client_as(partner_admin)
    url = f"/t/{partner_tenant.pk}/gdap/expiring/"
    client.get(url)

    with django_assert_max_num_queries(20):
        response = client.get(url + "?window=30d")

    html = response.content.decode()
    assert response.status_code == 200
    assert re.search(r"\b2\s+Ending within 7 days", re.sub(r"<[^>]+>", " ", html))
    assert "Tailspin global" in html and "Fabrikam devices" not in html
    assert "Global Administrator" in html and "cannot extend automatically" in html
    assert 'name="relationships"' in html


def test_page_queries_do_not_grow(
    client_as, partner_admin, partner_tenant, customer, django_assert_max_num_queries
):
    client = client_as(partner_admin)
    url = f"/t/{partner_tenant.pk}/gdap/expiring/"
    for i in range(3):
        make(partner_tenant, customer, f"A{i}", ends_in=timedelta(days=i + 1))
    with django_assert_max_num_queries(20) as few:
        client.get(url)
    for i in range(30):
        make(partner_tenant, customer, f"B{i}", ends_in=timedelta(days=i + 1))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def test_bulk_without_javascript_switches_all_and_says_so(
    client_as, partner_admin, partner_tenant, book
):
    ids = [str(book["hours"].pk), str(book["global"].pk)]

    response = client_as(partner_admin).post(
        f"/t/{partner_tenant.pk}/gdap/expiring/auto-extend/",
        {"relationships": ids, "enabled": "1"},
        follow=True,
    )

    (message,) = response.context["messages"]
    assert "Auto-extend switched on for 1 relationship" in str(message)
    assert "1 could not" in str(message)
    book["hours"].refresh_from_db()
    assert book["hours"].auto_extend_duration == AUTO_EXTEND


def test_bulk_with_htmx_runs_in_chunks_with_progress(
    client_as, partner_admin, partner_tenant, customer
):
    rels = [make(partner_tenant, customer, f"R{i}", ends_in=timedelta(days=10)) for i in range(23)]
    client = client_as(partner_admin)
    url = f"/t/{partner_tenant.pk}/gdap/expiring/auto-extend/"
    data = {"relationships": [str(r.pk) for r in rels], "enabled": "1"}

    steps = 0
    while True:
        response = client.post(url, data, headers={"HX-Request": "true"})
        assert response.status_code == 200
        html = response.content.decode()
        steps += 1
        progress = re.search(r'<progress[^>]*value="(\d+)"[^>]*max="(\d+)"', html)
        assert progress, html
        if 'hx-trigger="load"' not in html:
            break
        # The next chunk: what the fragment's form would post.
        form = re.search(r"<form[^>]*hx-trigger=\"load\".*?</form>", html, re.S).group(0)
        data = {}
        for name, value in re.findall(r'name="([^"]+)" value="([^"]*)"', form):
            data.setdefault(name, []).append(value)
    assert steps == 3  # 10 + 10 + 3
    assert progress.groups() == ("23", "23")
    assert "23 switched on" in html
    assert AuditEvent.objects.filter(action="gdap.auto_extend_changed").count() == 23
