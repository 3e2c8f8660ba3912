from django.urls import path

from devices import views

urlpatterns = [
    path("t/<str:tid>/devices/", views.DevicesView.as_view(), name="devices"),
    # Before <device_id>/: "upload" and "template.csv" are not device ids.
    path("t/<str:tid>/devices/upload/", views.DevicesUploadView.as_view(), name="devices_upload"),
    path(
        "t/<str:tid>/devices/template.csv",
        views.DevicesCsvTemplateView.as_view(),
        name="devices_csv_template",
    ),
    path("t/<str:tid>/devices/<str:device_id>/", views.DevicesView.as_view(), name="device"),
    path(
        "t/<str:tid>/devices/<str:device_id>/group-tag/",
        views.DeviceGroupTagView.as_view(),
        name="device_group_tag",
    ),
    path(
        "t/<str:tid>/devices/<str:device_id>/deregister/",
        views.DeviceDeregisterView.as_view(),
        name="device_deregister",
    ),
    # Partner side: the OEM's own tenant, per customer
    path(
        "t/<str:tid>/partner/customers/<str:customer_id>/devices/",
        views.PartnerCustomerDevicesView.as_view(),
        name="partner_customer_devices",
    ),
    path(
        "t/<str:tid>/partner/customers/<str:customer_id>/devices/upload/",
        views.PartnerCustomerDevicesUploadView.as_view(),
        name="partner_customer_devices_upload",
    ),
    path(
        "t/<str:tid>/partner/customers/<str:customer_id>/devices/<str:device_id>/deregister/",
        views.PartnerCustomerDeviceDeregisterView.as_view(),
        name="partner_customer_device_deregister",
    ),
]
