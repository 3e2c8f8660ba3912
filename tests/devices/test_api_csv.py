"""The API takes an Autopilot CSV file as a text/csv body, with the same per-row results as
the page's upload (issue 15: it answered 415 while its own error said to upload a CSV)."""

import pytest

from devices import services
from devices.models import AutopilotDevice
from tests.devices.conftest import CSV_HEADER, csv_row, devices_url
from tests.openapi import assert_conforms

pytestmark = pytest.mark.django_db


def csv_body(rows, header=CSV_HEADER) -> str:
    return "\r\n".join([",".join(header)] + [",".join(row) for row in rows]) + "\r\n"


def post_csv(api, tenant, body, content_type="text/csv"):
    return api.generic("POST", devices_url(tenant), body, content_type=content_type)


def test_customer_uploads_a_csv_and_gets_a_result_per_row(api_as, customer, customer_admin):
    body = csv_body([csv_row(1), csv_row(2, hardware_hash=""), csv_row(3)])

    response = post_csv(api_as(customer_admin), customer, body)

    assert response.status_code == 200, response.json()
    result = response.json()
    assert (result["accepted"], result["refused"]) == (2, 1)
    rows = result["results"]
    assert [(r["index"], r["row"], r["status"]) for r in rows] == [
        (0, 2, "accepted"),
        (1, 3, "refused"),
        (2, 4, "accepted"),
    ]
    assert rows[1]["code"] == "missing_field"
    assert AutopilotDevice.objects.filter(tenant=customer).count() == 2
    assert_conforms(response)


def test_a_json_list_keeps_its_results_without_file_rows(api_as, customer, customer_admin):
    from tests.devices.conftest import device_body

    response = api_as(customer_admin).post(
        devices_url(customer), [device_body(1), device_body(2)], format="json"
    )

    assert response.status_code == 200, response.json()
    assert [(r["index"], "row" in r) for r in response.json()["results"]] == [
        (0, False),
        (1, False),
    ]
    assert_conforms(response)


def test_the_oem_uploads_a_csv_with_a_charset(api_as, customer, oem_admin, partner_tenant):
    response = post_csv(
        api_as(oem_admin), customer, csv_body([csv_row(1)]), "text/csv; charset=utf-8"
    )

    assert response.status_code == 200, response.json()
    assert AutopilotDevice.objects.get().registered_by_partner_id == partner_tenant.pk


def test_a_file_that_is_not_an_autopilot_csv_is_a_400(api_as, customer, customer_admin):
    response = post_csv(api_as(customer_admin), customer, "Serial,Hash\r\nA,B\r\n")

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert "file" in response.json()["errors"]
    assert_conforms(response)


def test_an_empty_csv_body_is_a_400(api_as, customer, customer_admin):
    response = post_csv(api_as(customer_admin), customer, "")

    assert response.status_code == 400
    assert_conforms(response)


def test_a_file_larger_than_the_page_takes_is_a_413(api_as, customer, customer_admin):
    response = post_csv(api_as(customer_admin), customer, "a" * (services.MAX_UPLOAD_BYTES + 1))

    assert response.status_code == 413
    assert response.json()["code"] == "too_large"
    assert "5 MB" in response.json()["detail"]
    assert AutopilotDevice.objects.count() == 0
    assert_conforms(response)


def test_a_file_up_to_5_mb_is_read_past_the_json_body_limit(api_as, customer, customer_admin):
    body = "Serial,Hash\r\n" + "x" * (3 * 1024 * 1024)  # over DATA_UPLOAD_MAX_MEMORY_SIZE

    response = post_csv(api_as(customer_admin), customer, body)

    assert response.status_code == 400  # read whole, and refused for its header
    assert "file" in response.json()["errors"]


def test_someone_without_the_right_cannot_upload(api_as, customer, plain_member):
    response = post_csv(api_as(plain_member), customer, csv_body([csv_row(1)]))

    assert response.status_code == 403
    assert AutopilotDevice.objects.count() == 0
    assert_conforms(response)


def test_other_media_types_are_still_415(api_as, customer, customer_admin):
    response = api_as(customer_admin).generic(
        "POST", devices_url(customer), "x", content_type="application/xml"
    )

    assert response.status_code == 415
    assert response.json()["code"] == "unsupported_media_type"
    assert_conforms(response)
