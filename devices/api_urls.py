from django.urls import path

from devices import api

urlpatterns = [
    path(
        "tenants/<str:tid>/autopilot-devices",
        api.AutopilotDevicesView.as_view(),
        name="api-autopilot-devices",
    ),
    path(
        "tenants/<str:tid>/autopilot-devices/<str:device_id>",
        api.AutopilotDeviceView.as_view(),
        name="api-autopilot-device",
    ),
]
