"""HTML form of the API tokens page. It validates input only; services do the writes."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import forms as core_forms
from core.forms import DateInput, midnight
from tenants import tokens

# Field names the services use in ValidationError.errors, mapped to the form's fields.
SERVICE_FIELD_ALIASES = {"expires_at": "expires_on", "tenant_id": "tenant"}


class ApiTokenForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    expires_on = forms.DateField(
        label=_("Expires on"),
        required=False,
        widget=DateInput(),
        help_text=_("Optional. The token stops working at the start of this day (UTC)."),
    )

    tenant = forms.ChoiceField(
        label=_("Tenant"),
        required=False,
        help_text=_("Optional. A token bound to one tenant opens no other."),
    )
    scopes = forms.MultipleChoiceField(
        label=_("Scopes"),
        choices=list(tokens.SCOPES.items()),
        initial=list(tokens.DEFAULT_SCOPES),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "None ticked means Liaison.ReadWrite. Read scopes allow reading only; "
            "the Graph scopes need a tenant."
        ),
    )

    def __init__(self, *args, tenants=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tenant"].choices = [
            ("", _("Every tenant I work in")),
            *[(str(t.pk), t.name) for t in tenants],
        ]

    def clean_expires_on(self):
        day = self.cleaned_data.get("expires_on")
        if day and day <= timezone.localdate():
            raise forms.ValidationError(_("Choose a day after today."))
        return day

    def expires_at(self) -> datetime.datetime | None:
        day = self.cleaned_data.get("expires_on")
        return midnight(day) if day else None


def apply_domain_error(form, exc) -> None:
    """The shared helper with this module's field names."""
    core_forms.apply_domain_error(form, exc, SERVICE_FIELD_ALIASES)
