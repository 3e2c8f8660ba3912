"""HTML pages of the device registry.

The customer's Devices page (devices.manage): every registered device with who registered
it, a details pane (group tag, deregister), register one, upload a CSV file. The OEM's
page lives on the partner's own tenant, per customer: the devices it registered there,
register one, upload. Reads go through selectors, writes through services.
"""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from core.errors import PermissionDenied, ValidationError
from core.filters import filter_page, filter_values
from core.forms import apply_domain_error
from core.scoping import get_in_tenant_or_404
from core.views import TenantView, fragment_wanted, request_page, vary_on_htmx
from devices import forms, selectors, services
from devices.filters import DeviceFilter
from partners.relationship_types import OEM
from relationships.selectors import partner_customer_or_404
from roles.permissions import DEVICES_MANAGE, PARTNERS_MANAGE, PARTNERS_READ

DEVICES_PER_PAGE = 25


def _upload_xhr(request) -> bool:
    """static/js/devices.js posts the upload itself and wants the results fragment."""
    return request.headers.get("X-Requested-With") == "XMLHttpRequest"


def _vary(response):
    """Pages answer htmx and devices.js with fragments: caches keep each apart."""
    response = vary_on_htmx(response)
    response["Vary"] += ", X-Requested-With"
    return response


def _register(view, *, customer, partner_id=None):
    """POST of the register-one form; returns (form, ok)."""
    form = forms.DeviceForm(view.request.POST)
    if not form.is_valid():
        return form, False
    try:
        device = services.register_device(
            by=view.request.user, tenant=customer, partner_tenant_id=partner_id, **form.cleaned_data
        )
    except (ValidationError, PermissionDenied) as exc:
        apply_domain_error(form, exc)
        return form, False
    messages.success(
        view.request, _("Device %(serial)s registered.") % {"serial": device.serial_number}
    )
    return form, True


def _upload(view, *, customer, partner_id=None):
    """POST of the upload form; returns (form, outcome or None)."""
    form = forms.DeviceUploadForm(view.request.POST, view.request.FILES)
    if not form.is_valid():
        return form, None
    try:
        outcome = services.register_devices_csv(
            by=view.request.user,
            tenant=customer,
            file=form.cleaned_data["file"],
            partner_tenant_id=partner_id,
        )
    except (ValidationError, PermissionDenied) as exc:
        apply_domain_error(form, exc)
        return form, None
    return form, outcome


def _upload_fragment(view, form, outcome):
    context = view.get_context_data(upload_form=form, outcome=outcome)
    status = 200 if outcome is not None else 400
    return _vary(
        TemplateResponse(view.request, "devices/_upload_results.html", context, status=status)
    )


# Customer side ---------------------------------------------------------------------------


class DevicesView(TenantView):
    """The tenant's devices; with `device_id`, the same page with that device's pane open.
    POST registers one device."""

    required = {"GET": DEVICES_MANAGE, "POST": DEVICES_MANAGE}
    template_name = "devices/devices.html"

    def get(self, request, tid, device_id=None):
        return _devices_page(self, device_id)

    def post(self, request, tid, device_id=None):
        form, ok = _register(self, customer=self.tenant)
        if ok:
            return redirect("devices", tid=self.tenant.pk)
        return _devices_page(self, None, register_form=form, status=400)


def _devices_page(
    view, device_id, *, register_form=None, upload_form=None, outcome=None, status=200
):
    """The Devices page (or, for htmx, a device's pane) with `device_id`'s pane open."""
    request = view.request
    selected = (
        selectors.get_device_or_404(view.tenant, device_id, view.access) if device_id else None
    )
    pane = {"device": selected, "group_tag_form": _group_tag_form(selected)} if selected else {}
    if selected and fragment_wanted(request):
        return _vary(
            TemplateResponse(request, "devices/_device_pane.html", view.get_context_data(**pane))
        )
    filterset, rows = filter_page(
        DeviceFilter, request.GET, selectors.visible_devices(view.tenant, view.access)
    )
    search, q = filterset.form, " ".join(filter_values(filterset).get("q", "").split())
    page = request_page(request, rows, DEVICES_PER_PAGE)
    context = view.get_context_data(
        search=search,
        q=q,
        page=page,
        selected=selected,
        register_form=register_form or forms.DeviceForm(),
        upload_form=upload_form or forms.DeviceUploadForm(),
        outcome=outcome,
        **pane,
    )
    return _vary(TemplateResponse(request, DevicesView.template_name, context, status=status))


def _group_tag_form(device):
    return forms.GroupTagForm(initial={"group_tag": device.group_tag})


class DevicesUploadView(TenantView):
    """POST an Autopilot CSV file: the page (or, for devices.js, the fragment) with the
    per-row results."""

    required = {"POST": DEVICES_MANAGE}

    def post(self, request, tid):
        form, outcome = _upload(self, customer=self.tenant)
        if _upload_xhr(request):
            return _upload_fragment(self, form, outcome)
        status = 200 if outcome is not None else 400
        return _devices_page(self, None, upload_form=form, outcome=outcome, status=status)


class DeviceGroupTagView(TenantView):
    required = {"POST": DEVICES_MANAGE}

    def post(self, request, tid, device_id):
        device = selectors.get_device_or_404(self.tenant, device_id, self.access)
        form = forms.GroupTagForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("A group tag has at most 128 characters."))
            return redirect("device", tid=self.tenant.pk, device_id=device.pk)
        try:
            services.change_group_tag(
                by=request.user,
                tenant=self.tenant,
                device_id=device.pk,
                group_tag=form.cleaned_data["group_tag"],
            )
        except ValidationError as exc:
            messages.error(request, exc.detail)
        else:
            messages.success(
                request, _("Group tag of %(serial)s saved.") % {"serial": device.serial_number}
            )
        return redirect("device", tid=self.tenant.pk, device_id=device.pk)


class DeviceDeregisterView(TenantView):
    """GET: the confirmation page (the dialog's fallback). POST: deregister."""

    required = {"GET": DEVICES_MANAGE, "POST": DEVICES_MANAGE}

    def get(self, request, tid, device_id):
        device = selectors.get_device_or_404(self.tenant, device_id, self.access)
        context = self.get_context_data(
            device=device,
            action=request.path,
            cancel_url=reverse("device", args=[self.tenant.pk, device.pk]),
        )
        return TemplateResponse(request, "devices/device_deregister.html", context)

    def post(self, request, tid, device_id):
        device = selectors.get_device_or_404(self.tenant, device_id, self.access)
        services.deregister(by=request.user, tenant=self.tenant, device_id=device.pk)
        messages.success(
            request, _("Device %(serial)s deregistered.") % {"serial": device.serial_number}
        )
        return redirect("devices", tid=self.tenant.pk)


class DevicesCsvTemplateView(TenantView):
    """The Autopilot CSV header as a file to fill in (not tenant data: any member)."""

    required = {"GET": None}

    def get(self, request, tid):
        response = HttpResponse(
            ",".join(services.CSV_HEADER) + "\r\n", content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = 'attachment; filename="autopilot-devices.csv"'
        return response


# Partner side (the OEM's own tenant) -----------------------------------------------------


class PartnerCustomerDevicesView(TenantView):
    """The devices this partner registered for one customer; register one (POST)."""

    required = {"GET": PARTNERS_READ, "POST": PARTNERS_MANAGE}
    template_name = "devices/partner_customer_devices.html"

    def get(self, request, tid, customer_id):
        customer = partner_customer_or_404(self.tenant, customer_id, OEM)
        return _partner_page(self, customer)

    def post(self, request, tid, customer_id):
        customer = partner_customer_or_404(self.tenant, customer_id, OEM)
        form, ok = _register(self, customer=customer, partner_id=self.tenant.pk)
        if ok:
            return redirect("partner_customer_devices", tid=self.tenant.pk, customer_id=customer.pk)
        return _partner_page(self, customer, register_form=form, status=400)


def _partner_page(
    view, customer, *, register_form=None, upload_form=None, outcome=None, status=200
):
    """The OEM's page of one customer: the devices it registered there."""
    request = view.request
    filterset, rows = filter_page(
        DeviceFilter, request.GET, selectors.devices_registered_by(customer, view.tenant)
    )
    search, q = filterset.form, " ".join(filter_values(filterset).get("q", "").split())
    page = request_page(request, rows, DEVICES_PER_PAGE)
    context = view.get_context_data(
        customer=customer,
        search=search,
        q=q,
        page=page,
        can_manage=view.access.has(PARTNERS_MANAGE),
        register_form=register_form or forms.DeviceForm(),
        upload_form=upload_form or forms.DeviceUploadForm(),
        outcome=outcome,
    )
    return _vary(
        TemplateResponse(request, PartnerCustomerDevicesView.template_name, context, status=status)
    )


class PartnerCustomerDevicesUploadView(TenantView):
    required = {"POST": PARTNERS_MANAGE}

    def post(self, request, tid, customer_id):
        customer = partner_customer_or_404(self.tenant, customer_id, OEM)
        form, outcome = _upload(self, customer=customer, partner_id=self.tenant.pk)
        if _upload_xhr(request):
            return _upload_fragment(self, form, outcome)
        status = 200 if outcome is not None else 400
        return _partner_page(self, customer, upload_form=form, outcome=outcome, status=status)


class PartnerCustomerDeviceDeregisterView(TenantView):
    """GET: the confirmation page. POST: deregister a device this partner registered."""

    required = {"GET": PARTNERS_MANAGE, "POST": PARTNERS_MANAGE}

    def _device(self, customer_id, device_id):
        customer = partner_customer_or_404(self.tenant, customer_id, OEM)
        device = get_in_tenant_or_404(
            selectors.devices_registered_by(customer, self.tenant), customer, pk=device_id
        )
        return customer, device

    def get(self, request, tid, customer_id, device_id):
        customer, device = self._device(customer_id, device_id)
        context = self.get_context_data(
            device=device,
            customer=customer,
            action=request.path,
            cancel_url=reverse("partner_customer_devices", args=[self.tenant.pk, customer.pk]),
        )
        return TemplateResponse(request, "devices/device_deregister.html", context)

    def post(self, request, tid, customer_id, device_id):
        customer, device = self._device(customer_id, device_id)
        try:
            services.deregister(
                by=request.user,
                tenant=customer,
                device_id=device.pk,
                partner_tenant_id=self.tenant.pk,
            )
        except PermissionDenied as exc:
            messages.error(request, exc.detail)
        else:
            messages.success(
                request, _("Device %(serial)s deregistered.") % {"serial": device.serial_number}
            )
        return redirect("partner_customer_devices", tid=self.tenant.pk, customer_id=customer.pk)
