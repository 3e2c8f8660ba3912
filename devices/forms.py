"""HTML forms of the device pages. They validate input shape only; services do the rest."""

from django import forms
from django.utils.translation import gettext_lazy as _

from devices.services import LIMITS


class DeviceForm(forms.Form):
    serial_number = forms.CharField(
        label=_("Device serial number"), max_length=LIMITS["serial_number"]
    )
    hardware_hash = forms.CharField(
        label=_("Hardware hash"),
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false", "class": "mono"}),
        help_text=_("The base64 text Windows reports (Get-WindowsAutopilotInfo)."),
    )
    product_key_id = forms.CharField(
        label=_("Windows product ID"), max_length=LIMITS["product_key_id"], required=False
    )
    manufacturer = forms.CharField(
        label=_("Manufacturer"), max_length=LIMITS["manufacturer"], required=False
    )
    model = forms.CharField(label=_("Model"), max_length=LIMITS["model"], required=False)
    group_tag = forms.CharField(
        label=_("Group tag"), max_length=LIMITS["group_tag"], required=False
    )


class DeviceUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Autopilot CSV file"),
        help_text=_("At most 5,000 devices and 5 MB; the first row is the Autopilot header."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )


class GroupTagForm(forms.Form):
    group_tag = forms.CharField(
        label=_("Group tag"), max_length=LIMITS["group_tag"], required=False
    )
