"""REST endpoints of the device registry: list and register Autopilot devices (JSON, or an
Autopilot CSV file as the page takes), change a group tag, deregister. The tenant's device
admins see every device; an OEM partner's managers see, and may deregister, only the
devices their partner registered."""

import io

from django.utils.translation import gettext as _
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    PolymorphicProxySerializer,
)
from rest_framework import serializers, status
from rest_framework.parsers import BaseParser, JSONParser
from rest_framework.response import Response

from core.api import (
    NOT_FOUND_EXAMPLE,
    RequestTooLarge,
    TenantAPIView,
    paginate,
    tenant_schema,
    validated,
)
from core.errors import ValidationError
from core.filters import filter_or_400
from core.serializers import TenantRefSerializer, UserRefSerializer, ref
from devices import selectors, services
from devices.filters import DeviceFilter
from roles.permissions import DEVICES_MANAGE, DEVICES_REGISTER

READ_OR_REGISTER = (DEVICES_MANAGE, DEVICES_REGISTER)

HASH_EXAMPLE = "T0FBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFB"
DEVICE_INPUT_EXAMPLE = {
    "serial_number": "NWD-5CG1234XYZ",
    "product_key_id": "00330-80000-00000-AA123",
    "hardware_hash": HASH_EXAMPLE,
    "manufacturer": "Northwind Devices",
    "model": "Surface Laptop 6",
    "group_tag": "Sales",
}
DEVICE_EXAMPLE = {
    "id": "9a2f0c7e-53c1-4c43-9b0a-6f3a1d1e5b21",
    "serial_number": "NWD-5CG1234XYZ",
    "product_key_id": "00330-80000-00000-AA123",
    "manufacturer": "Northwind Devices",
    "model": "Surface Laptop 6",
    "group_tag": "Sales",
    "hash_digest": "3f79bb7b435b05321651daefd374cdc681dc06faa65e374e38337b88ca046dea",
    "registered_by": {
        "id": "2b9d2a52-1f7e-4f53-8d7c-1c0e2c8f4e11",
        "email": "oem@northwind.example",
    },
    "registered_by_partner": {
        "tenant_id": "c1b6a5d4-8e2f-4a3b-9c7d-0e1f2a3b4c5d",
        "name": "Northwind Devices",
    },
    "registered_at": "2026-11-24T10:00:00Z",
    "updated_at": "2026-11-24T10:00:00Z",
}


AutopilotDeviceUserRefSerializer = ref(UserRefSerializer, "AutopilotDeviceUserRef")


AutopilotDevicePartnerRefSerializer = ref(TenantRefSerializer, "AutopilotDevicePartnerRef")


class AutopilotDeviceSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    serial_number = serializers.CharField()
    product_key_id = serializers.CharField()
    manufacturer = serializers.CharField()
    model = serializers.CharField()
    group_tag = serializers.CharField()
    hash_digest = serializers.CharField(help_text="SHA-256 of the decoded hardware hash")
    registered_by = AutopilotDeviceUserRefSerializer(allow_null=True)
    registered_by_partner = AutopilotDevicePartnerRefSerializer(
        allow_null=True, help_text="The OEM partner that registered it; null: the tenant's admins"
    )
    registered_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class AutopilotDeviceDetailSerializer(AutopilotDeviceSerializer):
    hardware_hash = serializers.CharField()


class AutopilotDeviceInputSerializer(serializers.Serializer):
    """For the schema only: the service validates (a list's bad items are refused one by one)."""

    serial_number = serializers.CharField(max_length=128)
    hardware_hash = serializers.CharField(help_text="Base64, as Windows reports it")
    product_key_id = serializers.CharField(max_length=64, required=False, allow_blank=True)
    manufacturer = serializers.CharField(max_length=128, required=False, allow_blank=True)
    model = serializers.CharField(max_length=128, required=False, allow_blank=True)
    group_tag = serializers.CharField(max_length=128, required=False, allow_blank=True)


class AutopilotDeviceResultSerializer(serializers.Serializer):
    index = serializers.IntegerField(
        source="row", help_text="Position in the request list (or among a file's devices), from 0"
    )
    row = serializers.IntegerField(
        source="file_row",
        required=False,
        help_text="CSV uploads only: the device's row in the file (the header is row 1)",
    )
    serial_number = serializers.CharField()
    status = serializers.ChoiceField(choices=["accepted", "refused"])
    id = serializers.UUIDField(source="device_id", allow_null=True, required=False)
    code = serializers.CharField(
        required=False,
        help_text="missing_field, invalid, invalid_hash, duplicate_in_upload, already_registered",
    )
    reason = serializers.CharField(required=False)

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if instance.accepted:
            data.pop("code", None)
            data.pop("reason", None)
        else:
            data.pop("id", None)
        return data


class AutopilotDeviceBatchResultSerializer(serializers.Serializer):
    accepted = serializers.IntegerField()
    refused = serializers.IntegerField()
    results = AutopilotDeviceResultSerializer(many=True)


class CsvUpload(io.BytesIO):
    """A text/csv request body, read as the file the page's upload form takes."""

    name = ""


class AutopilotCsvParser(BaseParser):
    """text/csv: an Autopilot CSV file as the body; larger than the page allows is a 413."""

    media_type = "text/csv"

    def parse(self, stream, media_type=None, parser_context=None):
        data = stream.read(services.MAX_UPLOAD_BYTES + 1) if stream is not None else b""
        if len(data) > services.MAX_UPLOAD_BYTES:
            raise RequestTooLarge(
                _("The file is larger than %(mb)d MB; split it.")
                % {"mb": services.MAX_UPLOAD_BYTES // (1024 * 1024)}
            )
        return CsvUpload(data)


CSV_EXAMPLE = ",".join(services.CSV_HEADER) + f"\r\nNWD-5CG1234XYZ,,{HASH_EXAMPLE},,,Sales\r\n"


PARTNER_PARAMETER = OpenApiParameter(
    "partner_tenant_id",
    str,
    description="Register as this OEM partner (needed only by someone who manages more than "
    "one OEM partner of the tenant)",
)


class AutopilotDevicesView(TenantAPIView):
    required = {"GET": READ_OR_REGISTER, "POST": READ_OR_REGISTER}
    parser_classes = [JSONParser, AutopilotCsvParser]

    @tenant_schema(
        parameters=[OpenApiParameter("q", str, description="Serial, manufacturer, model or tag")],
        page_of=AutopilotDeviceSerializer,
        summary="Registered Autopilot devices (an OEM sees only its own registrations)",
        examples=[OpenApiExample("A device", value=DEVICE_EXAMPLE, response_only=True)],
    )
    def get(self, request, tid):
        rows = filter_or_400(
            DeviceFilter, request.query_params, selectors.visible_devices(self.tenant, self.access)
        )
        return paginate(self, rows, AutopilotDeviceSerializer)

    @tenant_schema(
        parameters=[PARTNER_PARAMETER],
        request={
            "application/json": PolymorphicProxySerializer(
                component_name="AutopilotDeviceRegistration",
                serializers=[
                    AutopilotDeviceInputSerializer,
                    AutopilotDeviceInputSerializer(many=True),
                ],
                resource_type_field_name=None,
                many=False,
            ),
            "text/csv": {"type": "string", "example": CSV_EXAMPLE},
        },
        responses={
            201: AutopilotDeviceSerializer,
            200: AutopilotDeviceBatchResultSerializer,
        },
        errors={
            400: "A single device refused (with the reason's code), a list that is empty or "
            f"longer than {services.MAX_LIST_ITEMS}, a file that is not an Autopilot CSV, "
            "or bad input",
            404: "partner_tenant_id names no OEM partner the caller manages here",
            413: f"A CSV file larger than {services.MAX_UPLOAD_BYTES // (1024 * 1024)} MB, or "
            "a JSON body larger than the server takes (too_large)",
        },
        summary="Register one device (201, or 400 with the reason), a list or a CSV file "
        "(200, per item)",
        description=(
            "One device object: 201 with the device, or 400 with the reason. A list (at most "
            f"{services.MAX_LIST_ITEMS}): 200 with a result per item, the good ones registered. "
            "An Autopilot CSV file as a `text/csv` body (the header row of "
            "Get-WindowsAutopilotInfo; at most "
            f"{services.MAX_ROWS} devices): 200 with a result per device row, each with its "
            "row in the file. A hardware hash registered already, in this tenant or any "
            "other, is refused with code `already_registered`, which does not say where."
        ),
        examples=[
            OpenApiExample("One device", value=DEVICE_INPUT_EXAMPLE, request_only=True),
            OpenApiExample(
                "A list",
                value=[DEVICE_INPUT_EXAMPLE, {"serial_number": "NWD-2", "hardware_hash": ""}],
                request_only=True,
            ),
            OpenApiExample(
                "Registered", value=DEVICE_EXAMPLE, response_only=True, status_codes=["201"]
            ),
            OpenApiExample(
                "Results of a list",
                value={
                    "accepted": 1,
                    "refused": 1,
                    "results": [
                        {
                            "index": 0,
                            "serial_number": "NWD-5CG1234XYZ",
                            "status": "accepted",
                            "id": DEVICE_EXAMPLE["id"],
                        },
                        {
                            "index": 1,
                            "serial_number": "NWD-2",
                            "status": "refused",
                            "code": "missing_field",
                            "reason": "Missing Hardware Hash.",
                        },
                    ],
                },
                response_only=True,
                status_codes=["200"],
            ),
            OpenApiExample(
                "Already registered",
                value={
                    "detail": "This hardware hash is already registered.",
                    "code": "already_registered",
                    "errors": {"hardware_hash": ["This hardware hash is already registered."]},
                },
                response_only=True,
                status_codes=["400"],
            ),
        ],
    )
    def post(self, request, tid):
        partner_id = request.query_params.get("partner_tenant_id") or None
        data = request.data
        if isinstance(data, CsvUpload):
            outcome = services.register_devices_csv(
                by=request.user, tenant=self.tenant, file=data, partner_tenant_id=partner_id
            )
            for index, result in enumerate(outcome.results):
                result.file_row, result.row = result.row, index
            body = AutopilotDeviceBatchResultSerializer(outcome).data
            return Response(body, status=status.HTTP_200_OK)
        if isinstance(data, list):
            outcome = services.register_devices(
                by=request.user, tenant=self.tenant, items=data, partner_tenant_id=partner_id
            )
            body = AutopilotDeviceBatchResultSerializer(outcome).data
            return Response(body, status=status.HTTP_200_OK)
        if not hasattr(data, "get"):
            raise ValidationError("Send one device object or a list of them.")
        fields = {name: data.get(name) for name in services.FIELDS}
        device = services.register_device(
            by=request.user, tenant=self.tenant, partner_tenant_id=partner_id, **fields
        )
        return Response(AutopilotDeviceSerializer(device).data, status=status.HTTP_201_CREATED)


class AutopilotDeviceView(TenantAPIView):
    required = {"GET": READ_OR_REGISTER, "PATCH": DEVICES_MANAGE, "DELETE": READ_OR_REGISTER}

    class AutopilotDeviceGroupTagInputSerializer(serializers.Serializer):
        group_tag = serializers.CharField(max_length=128, allow_blank=True)

    @tenant_schema(
        responses=AutopilotDeviceDetailSerializer,
        summary="One device, with its hardware hash",
        examples=[NOT_FOUND_EXAMPLE],
    )
    def get(self, request, tid, device_id):
        device = selectors.get_device_or_404(self.tenant, device_id, self.access)
        return Response(AutopilotDeviceDetailSerializer(device).data)

    @tenant_schema(
        request=AutopilotDeviceGroupTagInputSerializer,
        responses=AutopilotDeviceSerializer,
        summary="Change the group tag (devices.manage)",
        examples=[
            OpenApiExample("New tag", value={"group_tag": "Kiosk"}, request_only=True),
            NOT_FOUND_EXAMPLE,
        ],
    )
    def patch(self, request, tid, device_id):
        data = validated(self.AutopilotDeviceGroupTagInputSerializer, request)
        device = services.change_group_tag(
            by=request.user, tenant=self.tenant, device_id=device_id, group_tag=data["group_tag"]
        )
        device = selectors.get_device_or_404(self.tenant, device.pk, self.access)
        return Response(AutopilotDeviceSerializer(device).data)

    @tenant_schema(
        request=None,
        responses={204: None},
        summary="Deregister a device (device admins; an OEM only its own registrations)",
        examples=[NOT_FOUND_EXAMPLE],
    )
    def delete(self, request, tid, device_id):
        services.deregister(by=request.user, tenant=self.tenant, device_id=device_id)
        return Response(status=status.HTTP_204_NO_CONTENT)
