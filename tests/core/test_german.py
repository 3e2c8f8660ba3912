"""A German UI that reads as German: Microsoft's German role names, mail in the
recipient's language, locale numbers and dates, the locale's collation, one full stop."""

from datetime import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import translation

from core.text import collation_key, format_money
from roles.models import RoleDefinition
from tests.partners.conftest import make_listing

pytestmark = pytest.mark.django_db


def german(client):
    client.cookies["django_language"] = "de"
    return client


def test_every_role_has_a_german_name_and_the_known_ones_are_microsofts():
    roles = {r.name: r for r in RoleDefinition.objects.all()}
    assert all(r.name_de for r in roles.values())
    assert roles["Global Administrator"].name_de == "Globaler Administrator"
    assert roles["Billing Administrator"].name_de == "Abrechnungsadministrator"
    assert roles["Helpdesk Administrator"].name_de == "Helpdeskadministrator"
    assert roles["Global Reader"].name_de == "Globaler Leser"
    # Every role with an English summary has a German one.
    assert all(r.summary_de for r in roles.values() if r.summary)
    with translation.override("de"):
        assert roles["User Administrator"].display_name == "Benutzeradministrator"
    with translation.override("en"):
        assert roles["User Administrator"].display_name == "User Administrator"


def test_pages_show_german_role_names_and_the_api_keeps_english(
    client_as, api_as, customer, customer_admin
):
    page = german(client_as(customer_admin)).get(f"/t/{customer.pk}/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Globaler Administrator" in body
    assert "Volle Kontrolle über den Mandanten" in body  # the German summary
    assert "Global Administrator" not in body

    roles = api_as(customer_admin).get("/api/v1/roles", HTTP_ACCEPT_LANGUAGE="de").json()
    names = [r["name"] for r in (roles if isinstance(roles, list) else roles["results"])]
    assert "Global Administrator" in names and "Globaler Administrator" not in names


def test_role_picker_sorts_by_the_german_name(client_as, customer, customer_admin):
    body = german(client_as(customer_admin)).get(f"/t/{customer.pk}/users/new/").content.decode()
    # "Abrechnungsadministrator" (Billing) comes before "Anwendungsadministrator" (Application).
    assert body.index("Abrechnungsadministrator") < body.index("Anwendungsadministrator")


def test_prices_and_dates_follow_the_locale():
    with translation.override("de"):
        assert format_money(Decimal("2.00"), "EUR") == "2,00\xa0EUR"
        assert format_money(Decimal("1234.5"), "EUR") == "1.234,50\xa0EUR"
        from django.utils.formats import date_format

        day = datetime(2026, 12, 3, 14, 5)
        assert date_format(day, "DATE_FORMAT") == date_format(day, "SHORT_DATE_FORMAT")
        assert date_format(day, "SHORT_DATE_FORMAT") == "03.12.2026"
        assert date_format(day, "DATETIME_FORMAT") == "03.12.2026, 14:05"
    with translation.override("en"):
        assert format_money(Decimal("2.00"), "EUR") == "2.00\xa0EUR"
        assert date_format(day, "SHORT_DATE_FORMAT") == "3 Dec 2026"
        assert date_format(day, "DATE_FORMAT") == "3 Dec 2026"


def test_billing_shows_german_prices(client_as, customer, billing_admin):
    from tests.billing.conftest import subscription

    item = subscription(customer)
    body = (
        german(client_as(billing_admin))
        .get(f"/t/{customer.pk}/billing/{item.pk}/")
        .content.decode()
    )
    price = item.product.unit_price
    assert format(price, ".2f").replace(".", ",") in body
    assert f"{price:.2f} " not in body


def test_countries_sort_by_the_locales_collation(client, customer_admin):
    for code in ["AT", "OM", "PL", "NO", "DE"]:
        make_listing(f"Partner {code}", countries=[code])
    client.force_login(customer_admin)
    body = german(client).get("/partners/").content.decode()
    order = [body.index(name) for name in ["Norwegen", "Oman", "Österreich", "Polen"]]
    assert order == sorted(order)
    assert collation_key("Österreich") < collation_key("Polen")


def test_seeded_directory_categories_read_in_german(client, customer_admin):
    make_listing("Partner DE", countries=["DE"], industries=["healthcare"])
    client.force_login(customer_admin)
    body = german(client).get("/partners/").content.decode()
    assert "Gesundheitswesen" in body
    assert mail.outbox == []
