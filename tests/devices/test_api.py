"""The device registry API: who registers, who sees what, refusals, and isolation."""

import pytest

from audit.models import AuditEvent
from devices.models import AutopilotDevice
from notifications.models import OutboxMessage
from roles.access import resolve
from tests.devices.conftest import device_body, devices_url, fill, hw_hash, make_device, relate
from tests.factories import TenantFactory, member
from tests.urlwalk import api_endpoints

pytestmark = pytest.mark.django_db


# Registering -----------------------------------------------------------------------------


def test_oem_registers_a_device_for_its_customer(api_as, customer, customer_admin, oem_admin):
    response = api_as(oem_admin).post(devices_url(customer), device_body(1), format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["serial_number"] == "SN-1"
    assert body["registered_by"]["email"] == oem_admin.email
    assert body["registered_by_partner"]["name"] == "Contoso"
    assert "hardware_hash" not in body and len(body["hash_digest"]) == 64
    device = AutopilotDevice.objects.get()
    assert device.tenant == customer and device.registered_by_partner.name == "Contoso"
    (event,) = AuditEvent.objects.all()
    assert event.action == "autopilot_device.registered"
    assert event.target_tenant_id == customer.pk
    assert event.acting_tenant.name == "Contoso"
    # The customer's device admins hear of it.
    assert OutboxMessage.objects.filter(
        to=customer_admin.email, template="device_registered"
    ).exists()


def test_the_oem_gets_no_role_in_the_customer(customer, oem_admin):
    tenant_access = resolve(oem_admin, customer)

    assert not tenant_access.is_member and not tenant_access.grants
    assert tenant_access.permissions == frozenset()
    assert tenant_access.has("devices.register")


def test_customer_device_admin_registers_without_a_partner(api_as, customer):
    intune = member(customer, "Intune Administrator")

    response = api_as(intune).post(devices_url(customer), device_body(1), format="json")

    assert response.status_code == 201, response.json()
    assert response.json()["registered_by_partner"] is None
    assert AuditEvent.objects.get().acting_tenant_id == customer.pk
    assert not OutboxMessage.objects.filter(template="device_registered").exists()


def test_a_single_refused_device_is_400_with_the_reason(api_as, customer, oem_admin):
    response = api_as(oem_admin).post(
        devices_url(customer), device_body(1, hardware_hash="not base64!"), format="json"
    )

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid" and "hardware_hash" in body["errors"]
    assert not AutopilotDevice.objects.exists() and not AuditEvent.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        "just text",
        123,
        [],
        {"serial_number": ["a"], "hardware_hash": {"x": 1}},
        {"serial_number": "x" * 129, "hardware_hash": hw_hash(1)},
        {"serial_number": "SN\x00", "hardware_hash": hw_hash(1)},
        {"serial_number": "SN-1", "hardware_hash": "QUJD"},  # too short to be a hash
        {"serial_number": "", "hardware_hash": hw_hash(1)},
    ],
)
def test_bad_input_is_400_json_never_500(api_as, customer, customer_admin, body):
    response = api_as(customer_admin).post(devices_url(customer), body, format="json")

    assert response.status_code == 400, response.content
    assert {"detail", "code"} <= set(response.json())
    assert not AutopilotDevice.objects.exists()


def test_too_long_a_list_is_400(api_as, customer, customer_admin):
    items = [device_body(n) for n in range(501)]

    response = api_as(customer_admin).post(devices_url(customer), items, format="json")

    assert response.status_code == 400
    assert not AutopilotDevice.objects.exists()


def test_a_list_returns_results_per_item_and_keeps_the_good_ones(
    api_as, customer, customer_admin, outsider
):
    make_device(outsider, 9)
    items = [
        device_body(1),
        {"serial_number": "SN-2"},  # no hash
        device_body(3, hardware_hash="@@@"),
        device_body(4),
        device_body(5, hardware_hash=hw_hash(1)),  # same hash as item 0
        device_body(6, hardware_hash=hw_hash(9)),  # registered in another tenant
        "not an object",
    ]

    response = api_as(customer_admin).post(devices_url(customer), items, format="json")

    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["accepted"], body["refused"]) == (2, 5)
    results = body["results"]
    assert [r["index"] for r in results] == list(range(7))
    assert [r["status"] for r in results] == [
        "accepted",
        "refused",
        "refused",
        "accepted",
        "refused",
        "refused",
        "refused",
    ]
    assert [r.get("code") for r in results] == [
        None,
        "missing_field",
        "invalid_hash",
        None,
        "duplicate_in_upload",
        "already_registered",
        "invalid",
    ]
    assert results[0]["id"] and "reason" not in results[0] and "id" not in results[1]
    assert set(
        AutopilotDevice.objects.filter(tenant=customer).values_list("serial_number", flat=True)
    ) == {"SN-1", "SN-4"}
    (event,) = AuditEvent.objects.all()
    assert event.action == "autopilot_devices.imported"
    assert event.after["accepted"] == 2 and event.after["refused"] == 5


# Duplicates across tenants ---------------------------------------------------------------


def test_a_hash_registered_to_another_tenant_is_refused_without_saying_which(
    api_as, customer, customer_admin, outsider
):
    make_device(outsider, 1)
    make_device(customer, 2)

    elsewhere = api_as(customer_admin).post(devices_url(customer), device_body(1), format="json")
    here = api_as(customer_admin).post(
        devices_url(customer), device_body(3, hardware_hash=hw_hash(2)), format="json"
    )

    assert elsewhere.status_code == 400 and here.status_code == 400
    assert elsewhere.json()["code"] == "already_registered"
    # The same answer whether the hash is this tenant's or another's: nothing to tell apart.
    assert elsewhere.json() == here.json()
    text = elsewhere.content.decode()
    assert "Northwind" not in text and str(outsider.pk) not in text
    assert AutopilotDevice.objects.count() == 2


# Who sees what ---------------------------------------------------------------------------


@pytest.fixture
def three_devices(customer, customer_admin, partner_tenant, oem_admin):
    """One of Contoso's, one of the customer's admins, one of another OEM."""
    other_oem = TenantFactory(name="Litware Devices")
    relate(customer, other_oem, "oem")
    return {
        "own": make_device(customer, 1, by=oem_admin, partner=partner_tenant),
        "customer": make_device(customer, 2, by=customer_admin),
        "other": make_device(customer, 3, partner=other_oem),
    }


def test_oem_sees_only_the_devices_it_registered(api_as, customer, oem_admin, three_devices):
    api = api_as(oem_admin)

    listed = api.get(devices_url(customer))

    assert listed.status_code == 200
    assert [d["id"] for d in listed.json()["results"]] == [str(three_devices["own"].pk)]
    for key in ("customer", "other"):
        assert api.get(devices_url(customer, three_devices[key].pk)).status_code == 404
        assert api.delete(devices_url(customer, three_devices[key].pk)).status_code == 404
    assert AutopilotDevice.objects.count() == 3


def test_customer_admin_sees_every_device_with_who_registered_it(
    api_as, customer, customer_admin, three_devices
):
    response = api_as(customer_admin).get(devices_url(customer))

    assert response.status_code == 200
    rows = {r["serial_number"]: r for r in response.json()["results"]}
    assert set(rows) == {"SN-1", "SN-2", "SN-3"}
    assert rows["SN-1"]["registered_by_partner"]["name"] == "Contoso"
    assert rows["SN-2"]["registered_by_partner"] is None
    assert rows["SN-2"]["registered_by"]["email"] == customer_admin.email
    assert rows["SN-3"]["registered_by_partner"]["name"] == "Litware Devices"


def test_oem_deregisters_its_own_device(api_as, customer, oem_admin, three_devices):
    response = api_as(oem_admin).delete(devices_url(customer, three_devices["own"].pk))

    assert response.status_code == 204
    assert not AutopilotDevice.objects.filter(pk=three_devices["own"].pk).exists()
    (event,) = AuditEvent.objects.all()
    assert event.action == "autopilot_device.deregistered"
    assert event.acting_tenant.name == "Contoso"


def test_oem_cannot_change_a_group_tag(api_as, customer, oem_admin, three_devices):
    response = api_as(oem_admin).patch(
        devices_url(customer, three_devices["own"].pk), {"group_tag": "X"}, format="json"
    )

    assert response.status_code == 403
    assert not AuditEvent.objects.exists()


def _tenant_routes():
    for route, pattern in api_endpoints():
        view = getattr(pattern.callback, "cls", None)
        if route.startswith("tenants/<str:tid>/") and view is not None:
            for method in ("get", "post", "put", "patch", "delete"):
                if hasattr(view, method):
                    yield route, method.upper(), view.required.get(method.upper())


# Endpoints an OEM may call about itself in the customer tenant: none (a capability alone
# does not open the tenant: /me and the home page refuse it too).
SELF_ONLY: set[str] = set()
OEM_ROUTES = {
    "tenants/<str:tid>/autopilot-devices",
    "tenants/<str:tid>/autopilot-devices/<str:device_id>",
}
OTHER_ROUTES = [
    (route, method, perm)
    for route, method, perm in _tenant_routes()
    if route not in SELF_ONLY | OEM_ROUTES
]


@pytest.mark.parametrize(("route", "method", "_perm"), OTHER_ROUTES)
def test_oem_reads_and_changes_nothing_else_of_the_tenant(
    api_as, customer, customer_admin, oem_admin, route, method, _perm
):
    events = AuditEvent.objects.count()
    url = fill(route, tid=customer.pk, uid=customer_admin.pk)

    response = getattr(api_as(oem_admin), method.lower())(url, {}, format="json")

    assert response.status_code in (403, 404), (route, method, response.status_code)
    assert AuditEvent.objects.count() == events


def test_oem_gets_403_on_users_and_audit(api_as, customer, oem_admin):
    api = api_as(oem_admin)

    assert api.get(f"/api/v1/tenants/{customer.pk}/users").status_code == 403
    assert api.get(f"/api/v1/tenants/{customer.pk}/audit-events").status_code == 403
    assert api.get(f"/api/v1/tenants/{customer.pk}/partner-relationships").status_code == 403


def test_the_oem_is_not_one_of_the_tenants_people(api_as, customer, oem_admin):
    response = api_as(oem_admin).get(f"/api/v1/tenants/{customer.pk}/me")

    assert response.status_code == 403


# Without the capability ------------------------------------------------------------------


def test_partner_agent_without_partners_manage_gets_nothing(
    api_as, customer, oem, partner_agent, three_devices
):
    api = api_as(partner_agent)

    assert api.get(devices_url(customer)).status_code == 404
    assert api.post(devices_url(customer), device_body(7), format="json").status_code == 404
    assert api.delete(devices_url(customer, three_devices["own"].pk)).status_code == 404
    assert AutopilotDevice.objects.count() == 3


def test_an_ended_oem_type_gives_no_access(api_as, customer, oem, oem_admin, three_devices):
    oem.types = []
    oem.save()
    api = api_as(oem_admin)

    assert api.get(devices_url(customer)).status_code == 404
    assert api.post(devices_url(customer), device_body(7), format="json").status_code == 404
    assert api.delete(devices_url(customer, three_devices["own"].pk)).status_code == 404


def test_another_type_in_force_does_not_register_devices(
    api_as, customer, partner_tenant, partner_admin
):
    relate(customer, partner_tenant, "reseller")

    response = api_as(partner_admin).post(devices_url(customer), device_body(1), format="json")

    assert response.status_code in (403, 404)
    assert not AutopilotDevice.objects.exists()


def test_plain_member_gets_403(api_as, customer, plain_member):
    assert api_as(plain_member).get(devices_url(customer)).status_code == 403


def test_someone_managing_two_oems_names_the_partner(api_as, customer, oem_admin):
    second = TenantFactory(name="Second OEM")
    member_of_second = member(second, "Global Administrator", email=oem_admin.email)
    assert member_of_second == oem_admin
    relate(customer, second, "oem")
    api = api_as(oem_admin)

    unnamed = api.post(devices_url(customer), device_body(1), format="json")
    named = api.post(
        devices_url(customer) + f"?partner_tenant_id={second.pk}", device_body(1), format="json"
    )
    foreign = api.post(
        devices_url(customer) + f"?partner_tenant_id={customer.pk}", device_body(2), format="json"
    )

    assert unnamed.status_code == 400 and "partner_tenant_id" in unnamed.json()["errors"]
    assert (
        named.status_code == 201 and named.json()["registered_by_partner"]["name"] == "Second OEM"
    )
    assert foreign.status_code == 403


# Customer changes ------------------------------------------------------------------------


def test_customer_changes_the_group_tag(api_as, customer, customer_admin, three_devices):
    device = three_devices["own"]
    api = api_as(customer_admin)

    response = api.patch(devices_url(customer, device.pk), {"group_tag": "Kiosk"}, format="json")
    again = api.patch(devices_url(customer, device.pk), {"group_tag": "Kiosk"}, format="json")

    assert response.status_code == 200 and response.json()["group_tag"] == "Kiosk"
    assert again.status_code == 200
    device.refresh_from_db()
    assert device.group_tag == "Kiosk"
    (event,) = AuditEvent.objects.all()  # the second, unchanged, records nothing
    assert event.action == "autopilot_device.group_tag_changed"
    assert event.before == {"group_tag": "Sales"} or event.before == {"group_tag": ""}
    assert event.after == {"group_tag": "Kiosk"}


def test_a_bad_group_tag_is_400(api_as, customer, customer_admin, three_devices):
    response = api_as(customer_admin).patch(
        devices_url(customer, three_devices["own"].pk), {"group_tag": "x" * 129}, format="json"
    )

    assert response.status_code == 400


def test_customer_deregisters_any_device(api_as, customer, customer_admin, three_devices):
    response = api_as(customer_admin).delete(devices_url(customer, three_devices["other"].pk))

    assert response.status_code == 204
    assert AutopilotDevice.objects.count() == 2
    (event,) = AuditEvent.objects.all()
    assert event.action == "autopilot_device.deregistered"
    assert event.acting_tenant_id == customer.pk


def test_the_detail_has_the_hash(api_as, customer, customer_admin, three_devices):
    response = api_as(customer_admin).get(devices_url(customer, three_devices["own"].pk))

    assert response.status_code == 200
    assert response.json()["hardware_hash"] == hw_hash(1)


# Isolation -------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["get", "patch", "delete"])
def test_foreign_tenant_device_ids_are_404(api_as, customer, outsider, outsider_admin, method):
    theirs = make_device(customer, 1)

    response = getattr(api_as(outsider_admin), method)(
        devices_url(outsider, theirs.pk), {"group_tag": "x"}, format="json"
    )

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert AutopilotDevice.objects.filter(pk=theirs.pk, group_tag="").exists()


@pytest.mark.parametrize("method", ["get", "patch", "delete"])
def test_malformed_device_ids_are_404(api_as, customer, customer_admin, method):
    response = getattr(api_as(customer_admin), method)(
        devices_url(customer, "not-a-uuid"), {"group_tag": "x"}, format="json"
    )

    assert response.status_code == 404


def test_the_list_costs_the_same_queries_for_many_devices(
    api_as, customer, customer_admin, partner_tenant, oem_admin, django_assert_max_num_queries
):
    api = api_as(customer_admin)
    for n in range(3):
        make_device(customer, n, by=oem_admin, partner=partner_tenant)
    with django_assert_max_num_queries(10) as few:
        api.get(devices_url(customer))
    for n in range(3, 40):
        make_device(
            customer,
            n,
            by=customer_admin if n % 2 else oem_admin,
            partner=None if n % 2 else partner_tenant,
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = api.get(devices_url(customer) + "?page_size=100")
    assert response.json()["count"] == 40


def test_the_oem_list_costs_the_same_queries_for_many_devices(
    api_as, customer, partner_tenant, oem_admin, django_assert_max_num_queries
):
    api = api_as(oem_admin)
    make_device(customer, 0, by=oem_admin, partner=partner_tenant)
    with django_assert_max_num_queries(10) as few:
        api.get(devices_url(customer))
    for n in range(1, 30):
        make_device(customer, n, by=oem_admin, partner=partner_tenant)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = api.get(devices_url(customer))
    assert response.json()["count"] == 30
