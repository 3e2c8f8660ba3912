"""CSV uploads: good rows kept, bad rows reported with their reasons, one audit event."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from audit.models import AuditEvent
from core.errors import PermissionDenied, ValidationError
from devices import services
from devices.models import AutopilotDevice
from notifications.models import OutboxMessage
from tests.devices.conftest import csv_file, csv_row, hw_hash, make_device

pytestmark = pytest.mark.django_db


def test_good_rows_are_kept_and_bad_rows_reported_with_reasons(
    customer, customer_admin, outsider, oem_admin
):
    make_device(outsider, 50)
    rows = [
        csv_row(1),
        csv_row(2, serial=""),  # no serial number
        csv_row(3, hardware_hash="%%% not base64"),
        csv_row(4),
        csv_row(5, hardware_hash=hw_hash(1)),  # same hash as row 2
        csv_row(6, hardware_hash=hw_hash(50)),  # registered to another tenant
        csv_row(7, hardware_hash=""),
        csv_row(8, tag="x" * 200),
    ]

    outcome = services.register_devices_csv(by=oem_admin, tenant=customer, file=csv_file(rows))

    assert (outcome.accepted, outcome.refused) == (2, 6)
    by_row = {r.row: r for r in outcome.results}
    assert [r.row for r in outcome.results] == list(range(2, 10))  # the header is row 1
    assert by_row[2].accepted and by_row[5].accepted
    assert (by_row[3].code, by_row[3].serial_number) == ("missing_field", "")
    assert "Serial" in by_row[3].reason
    assert by_row[4].code == "invalid_hash"
    assert by_row[6].code == "duplicate_in_upload" and "row 2" in by_row[6].reason
    assert by_row[7].code == "already_registered"
    assert by_row[7].reason == "This hardware hash is already registered."
    assert by_row[8].code == "missing_field" and "Hardware Hash" in by_row[8].reason
    assert by_row[9].code == "invalid"
    kept = AutopilotDevice.objects.filter(tenant=customer)
    assert set(kept.values_list("serial_number", flat=True)) == {"SN-1", "SN-4"}
    assert {d.registered_by_partner.name for d in kept} == {"Contoso"}
    (event,) = AuditEvent.objects.all()
    assert event.action == "autopilot_devices.imported"
    assert event.acting_tenant.name == "Contoso"
    assert event.after["source"] == "csv" and event.after["file_name"] == "devices.csv"
    assert (event.after["rows"], event.after["accepted"], event.after["refused"]) == (8, 2, 6)
    assert event.after["serial_numbers"] == ["SN-1", "SN-4"]
    mail = OutboxMessage.objects.get(to=customer_admin.email, template="device_registered")
    assert "2 devices" in mail.subject


def test_headers_match_case_insensitively_and_as_api_names(customer, customer_admin):
    upper = [h.upper() for h in services.CSV_HEADER]
    snake = list(services.FIELDS)

    first = services.register_devices_csv(
        by=customer_admin, tenant=customer, file=csv_file([csv_row(1)], upper)
    )
    second = services.register_devices_csv(
        by=customer_admin, tenant=customer, file=csv_file([csv_row(2)], snake)
    )

    assert first.accepted == second.accepted == 1
    device = AutopilotDevice.objects.get(serial_number="SN-2")
    assert (device.manufacturer, device.model, device.group_tag) == (
        "Contoso Devices",
        "Laptop 7",
        "Sales",
    )


def test_semicolons_blank_lines_and_a_bom_are_fine(customer, customer_admin):
    upload = csv_file([csv_row(1), ["", "", "", "", "", ""], csv_row(2)], delimiter=";")
    upload = SimpleUploadedFile("d.csv", b"\xef\xbb\xbf" + upload.read())

    outcome = services.register_devices_csv(by=customer_admin, tenant=customer, file=upload)

    assert outcome.accepted == 2 and [r.row for r in outcome.results] == [2, 4]


def test_utf16_files_from_windows_are_read(customer, customer_admin):
    upload = csv_file([csv_row(1)], encoding="utf-16")

    outcome = services.register_devices_csv(by=customer_admin, tenant=customer, file=upload)

    assert outcome.accepted == 1


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"", "header"),
        (b"Serial,Hash\r\nA,B\r\n", "header"),
        (b"Device Serial Number,Hardware Hash\r\n", "no devices"),
        (b"\xff\xfe\x00\xd8", "text"),  # broken UTF-16
        (b"Device Serial Number,Hardware Hash\r\n\x80\x81,abc\r\n", "text"),
        (b'Device Serial Number,Hardware Hash\r\n"unterminated,' + b"x" * 200000, "CSV"),
    ],
)
def test_a_file_that_is_not_an_autopilot_csv_is_refused_whole(
    customer, customer_admin, content, says
):
    with pytest.raises(ValidationError) as refused:
        services.register_devices_csv(
            by=customer_admin, tenant=customer, file=SimpleUploadedFile("x.csv", content)
        )

    assert says in refused.value.detail
    assert "file" in refused.value.errors
    assert not AutopilotDevice.objects.exists() and not AuditEvent.objects.exists()


def test_more_than_5000_rows_are_refused(customer, customer_admin):
    rows = [[f"S{n}", "", "QUJD", "", "", ""] for n in range(services.MAX_ROWS + 1)]

    with pytest.raises(ValidationError) as refused:
        services.register_devices_csv(by=customer_admin, tenant=customer, file=csv_file(rows))

    assert "5,000" in refused.value.detail


def test_a_file_over_5_mb_is_refused(customer, customer_admin, settings):
    big = SimpleUploadedFile("big.csv", b"a" * (services.MAX_UPLOAD_BYTES + 1))

    with pytest.raises(ValidationError) as refused:
        services.register_devices_csv(by=customer_admin, tenant=customer, file=big)

    assert "5 MB" in refused.value.detail


def test_5000_rows_register_in_a_few_queries(
    customer, customer_admin, django_assert_max_num_queries
):
    rows = [csv_row(n) for n in range(services.MAX_ROWS)]

    with django_assert_max_num_queries(200):  # batched inserts, not one per row
        outcome = services.register_devices_csv(
            by=customer_admin, tenant=customer, file=csv_file(rows)
        )

    assert outcome.accepted == services.MAX_ROWS
    assert AutopilotDevice.objects.count() == services.MAX_ROWS


def test_a_concurrent_registration_refuses_only_its_row(customer, customer_admin, monkeypatch):
    """A hash registered between the check and the insert: the chunk is retried row by row."""
    rows = [csv_row(1), csv_row(2), csv_row(3)]
    real_filter = AutopilotDevice.objects.filter

    def racing_filter(*args, **kwargs):
        if "hash_digest__in" in kwargs and not AutopilotDevice.objects.exists():
            make_device(customer, 2)  # arrives after the check
            return real_filter(pk__in=[])  # the check saw nothing
        return real_filter(*args, **kwargs)

    monkeypatch.setattr(AutopilotDevice.objects, "filter", racing_filter)
    outcome = services.register_devices_csv(by=customer_admin, tenant=customer, file=csv_file(rows))

    assert [r.status for r in outcome.results] == ["accepted", "refused", "accepted"]
    assert outcome.results[1].code == "already_registered"


def test_someone_without_the_right_cannot_upload(customer, plain_member):
    with pytest.raises(PermissionDenied):
        services.register_devices_csv(by=plain_member, tenant=customer, file=csv_file([csv_row(1)]))
    assert not AutopilotDevice.objects.exists()
