"""Device pages: the customer's Devices page and the OEM's page per customer."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from audit.models import AuditEvent
from devices.models import AutopilotDevice
from devices.services import CSV_HEADER
from tests.devices.conftest import csv_file, csv_row, device_body, make_device, relate

pytestmark = pytest.mark.django_db


def url(tenant, suffix=""):
    return f"/t/{tenant.pk}/devices/{suffix}"


def partner_url(partner, customer, suffix=""):
    return f"/t/{partner.pk}/partner/customers/{customer.pk}/devices/{suffix}"


@pytest.fixture
def devices(customer, customer_admin, partner_tenant, oem_admin):
    return [
        make_device(customer, 1, by=oem_admin, partner=partner_tenant),
        make_device(customer, 2, by=customer_admin),
    ]


# Customer side ---------------------------------------------------------------------------


def test_customer_sees_every_device_and_who_registered_it(
    client_as, customer, customer_admin, devices
):
    response = client_as(customer_admin).get(url(customer))

    assert response.status_code == 200
    text = response.content.decode()
    assert "SN-1" in text and "SN-2" in text
    assert "OEM Contoso" in text and "pat@contoso.example" in text
    assert f'href="{url(customer)}"' in text  # the navigation item
    assert 'enctype="multipart/form-data"' in text and "<progress" in text
    assert "js/devices.js" in text


def test_the_page_costs_the_same_queries_for_many_devices(
    client_as, customer, customer_admin, partner_tenant, oem_admin, django_assert_max_num_queries
):
    client = client_as(customer_admin)
    make_device(customer, 0, by=oem_admin, partner=partner_tenant)
    with django_assert_max_num_queries(40) as few:
        client.get(url(customer))
    for n in range(1, 25):
        make_device(
            customer,
            n,
            by=customer_admin if n % 2 else oem_admin,
            partner=None if n % 2 else partner_tenant,
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url(customer)).status_code == 200


def test_pane_changes_the_group_tag(client_as, customer, customer_admin, devices):
    client = client_as(customer_admin)
    device = devices[0]

    pane = client.get(url(customer, f"{device.pk}/"), headers={"HX-Request": "true"})
    saved = client.post(url(customer, f"{device.pk}/group-tag/"), {"group_tag": "Kiosk"})

    assert pane.status_code == 200 and "Save group tag" in pane.content.decode()
    assert "<html" not in pane.content.decode()
    assert saved.status_code == 302
    device.refresh_from_db()
    assert device.group_tag == "Kiosk"
    assert AuditEvent.objects.get().action == "autopilot_device.group_tag_changed"


def test_deregister_has_a_confirm_page_and_removes_the_device(
    client_as, customer, customer_admin, devices
):
    client = client_as(customer_admin)
    device = devices[1]

    confirm = client.get(url(customer, f"{device.pk}/deregister/"))
    done = client.post(url(customer, f"{device.pk}/deregister/"))

    assert confirm.status_code == 200 and "Deregister SN-2?" in confirm.content.decode()
    assert done.status_code == 302
    assert not AutopilotDevice.objects.filter(pk=device.pk).exists()
    assert AuditEvent.objects.get().action == "autopilot_device.deregistered"


def test_customer_registers_one_device(client_as, customer, customer_admin):
    response = client_as(customer_admin).post(url(customer), device_body(5))

    assert response.status_code == 302
    assert AutopilotDevice.objects.get().serial_number == "SN-5"


def test_a_refused_device_shows_the_reason_on_the_form(
    client_as, customer, customer_admin, devices
):
    response = client_as(customer_admin).post(
        url(customer), device_body(9, hardware_hash=devices[0].hardware_hash)
    )

    assert response.status_code == 400
    assert "This hardware hash is already registered." in response.content.decode()


def test_csv_upload_without_js_shows_the_results_table(client_as, customer, customer_admin):
    upload = csv_file([csv_row(1), csv_row(2, serial="")])

    response = client_as(customer_admin).post(url(customer, "upload/"), {"file": upload})

    assert response.status_code == 200
    text = response.content.decode()
    assert "1 accepted, 1 refused." in text
    assert "Missing Device Serial Number." in text
    assert "<html" in text


def test_csv_upload_with_js_gets_the_results_fragment(client_as, customer, customer_admin):
    upload = csv_file([csv_row(1)])

    response = client_as(customer_admin).post(
        url(customer, "upload/"), {"file": upload}, headers={"X-Requested-With": "XMLHttpRequest"}
    )

    assert response.status_code == 200
    text = response.content.decode()
    assert "1 accepted, 0 refused." in text and "<html" not in text


def test_a_broken_file_is_a_400_with_the_reason(client_as, customer, customer_admin):
    upload = csv_file([["a", "b"]], header=["Serial", "Hash"])

    response = client_as(customer_admin).post(
        url(customer, "upload/"), {"file": upload}, headers={"X-Requested-With": "XMLHttpRequest"}
    )

    assert response.status_code == 400
    assert "The first row must be the Autopilot header" in response.content.decode()


def test_the_csv_template_has_the_autopilot_header(client_as, customer, customer_admin):
    response = client_as(customer_admin).get(url(customer, "template.csv"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.decode().strip() == ",".join(CSV_HEADER)
    assert (
        "Device Serial Number,Windows Product ID,Hardware Hash,"
        "Manufacturer name,Device model,Group Tag" in response.content.decode()
    )


def test_plain_member_gets_403(client_as, customer, plain_member):
    assert client_as(plain_member).get(url(customer)).status_code == 403


def test_foreign_device_ids_are_404(client_as, customer, outsider, outsider_admin, devices):
    client = client_as(outsider_admin)

    for suffix in ("", "deregister/"):
        assert client.get(url(outsider, f"{devices[0].pk}/{suffix}")).status_code == 404
    assert client.post(url(outsider, f"{devices[0].pk}/deregister/")).status_code == 404
    assert (
        client.post(url(outsider, f"{devices[0].pk}/group-tag/"), {"group_tag": "x"}).status_code
        == 404
    )
    assert AutopilotDevice.objects.count() == 2


# The OEM on the customer's pages: nothing ------------------------------------------------


def _customer_page_routes():
    def walk(resolver, prefix=""):
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                yield prefix + str(pattern.pattern), pattern.name

    return sorted(
        {
            (route, name)
            for route, name in walk(get_resolver())
            if route.startswith("t/<str:tid>/") and "/partner/" not in route
        }
    )


@pytest.mark.parametrize(("route", "name"), _customer_page_routes())
def test_oem_gets_no_customer_page(client_as, customer, customer_admin, oem_admin, route, name):
    path = "/" + re.sub(
        r"<(?:\w+:)?(\w+)>",
        lambda m: str(customer.pk) if m.group(1) == "tid" else str(customer_admin.pk),
        route,
    )

    response = client_as(oem_admin).get(path)

    assert response.status_code in (403, 404, 405), (route, response.status_code)


# Partner side ----------------------------------------------------------------------------


def test_oem_page_lists_only_its_own_devices(
    client_as, customer, partner_tenant, oem_admin, devices
):
    response = client_as(oem_admin).get(partner_url(partner_tenant, customer))

    assert response.status_code == 200
    text = response.content.decode()
    assert "SN-1" in text and "SN-2" not in text
    assert "Upload a CSV file" in text


def test_oem_registers_and_uploads_from_its_page(client_as, customer, partner_tenant, oem_admin):
    client = client_as(oem_admin)

    one = client.post(partner_url(partner_tenant, customer), device_body(1))
    many = client.post(
        partner_url(partner_tenant, customer, "upload/"),
        {"file": csv_file([csv_row(2), csv_row(3, hardware_hash="bad")])},
    )

    assert one.status_code == 302
    assert many.status_code == 200 and "1 accepted, 1 refused." in many.content.decode()
    assert set(AutopilotDevice.objects.values_list("registered_by_partner", flat=True)) == {
        partner_tenant.pk
    }
    assert AutopilotDevice.objects.count() == 2


def test_oem_deregisters_its_own_device_from_its_page(
    client_as, customer, partner_tenant, oem_admin, devices
):
    client = client_as(oem_admin)
    own, customers = devices

    confirm = client.get(partner_url(partner_tenant, customer, f"{own.pk}/deregister/"))
    other = client.post(partner_url(partner_tenant, customer, f"{customers.pk}/deregister/"))
    done = client.post(partner_url(partner_tenant, customer, f"{own.pk}/deregister/"))

    assert confirm.status_code == 200
    assert other.status_code == 404
    assert done.status_code == 302
    assert list(AutopilotDevice.objects.all()) == [customers]


def test_partner_agent_reads_but_cannot_register(
    client_as, customer, partner_tenant, oem, partner_agent
):
    from tests.factories import member

    reader = member(partner_tenant, "Global Reader")
    client = client_as(reader)

    page = client.get(partner_url(partner_tenant, customer))
    post = client.post(partner_url(partner_tenant, customer), device_body(1))

    assert page.status_code == 200 and "Upload a CSV file" not in page.content.decode()
    assert post.status_code == 403
    assert client_as(partner_agent).get(partner_url(partner_tenant, customer)).status_code == 403
    assert not AutopilotDevice.objects.exists()


def test_a_customer_without_the_oem_type_is_404(
    client_as, customer, outsider, partner_tenant, partner_admin
):
    relate(outsider, partner_tenant, "reseller")

    assert client_as(partner_admin).get(partner_url(partner_tenant, outsider)).status_code == 404
    assert client_as(partner_admin).get(partner_url(partner_tenant, customer)).status_code == 404


def test_an_ended_oem_type_closes_the_page(client_as, customer, partner_tenant, oem, oem_admin):
    oem.types = []
    oem.save()

    assert client_as(oem_admin).get(partner_url(partner_tenant, customer)).status_code == 404
