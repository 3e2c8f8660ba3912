"""HTML forms of the GDAP pages. They validate input only; relationships.services writes."""

from datetime import timedelta

from django import forms
from django.utils.translation import gettext_lazy as _

from core import forms as core_forms
from core.errors import NotFound, ValidationError
from core.forms import as_uuid
from relationships.rules import (
    AUTO_EXTEND,
    DISPLAY_NAME_MAX,
    MAX_DURATION,
    MIN_DURATION,
    validate_request,
)
from relationships.selectors import customer_choices
from roles import catalog
from tenants.selectors import get_tenant

QUICK_DURATIONS = (30, 90, 180, 365, 730)

# Field names in the services' ValidationError.errors, mapped to the forms' fields.
SERVICE_FIELD_ALIASES = {
    "duration": "duration_days",
    "role_definition_ids": "roles",
    "auto_extend_duration": "auto_extend",
    "access_details": "roles",
    "access_container": "group",
}


def assignable_role_choices():
    """Roles a partner may request through GDAP, as (id, name), in catalog order."""
    return [
        (str(role.id), role.display_name)
        for role in catalog.get_roles(catalog.roles_by_id())
        if role.gdap_assignable
    ]


def check_request(form, aliases: dict, **request) -> None:
    """The GDAP request rules (relationships.rules) on a form's fields: each message by the
    field it concerns, unless that field already failed on its own."""
    try:
        validate_request(**request)
    except ValidationError as exc:
        for field, messages in exc.errors.items():
            name = aliases.get(field, field)
            if name in form.fields and name not in form.errors:
                for message in messages:
                    form.add_error(name, message)


class RelationshipForm(forms.Form):
    """Create (or, while created, edit) a GDAP relationship."""

    display_name = forms.CharField(
        label=_("Display name"),
        max_length=DISPLAY_NAME_MAX,
        help_text=_(
            "At most 50 characters; unique among your relationships. The customer sees it."
        ),
    )
    customer = forms.CharField(
        label=_("Customer tenant id"),
        required=False,
        help_text=_("Optional. Without it, whoever accepts the approval link chooses the tenant."),
    )
    duration_days = forms.IntegerField(
        label=_("Duration in days"),
        min_value=MIN_DURATION.days,
        max_value=MAX_DURATION.days,
        initial=730,
        help_text=_("From 1 to 730 days, counted from the customer's approval."),
        widget=forms.NumberInput(attrs={"list": "gdap-durations", "data-duration": ""}),
    )
    roles = forms.TypedMultipleChoiceField(
        label=_("Roles"),
        choices=assignable_role_choices,
        coerce=as_uuid,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one role.")},
    )
    auto_extend = forms.BooleanField(
        label=_("Extend automatically by 180 days at the end"),
        required=False,
        help_text=_("Not available when Global Administrator is requested."),
        widget=forms.CheckboxInput(attrs={"data-auto-extend": ""}),
    )

    def __init__(self, *args, partner, **kwargs):
        super().__init__(*args, **kwargs)
        self.partner = partner
        self.fields["customer"] = forms.ChoiceField(
            label=_("Customer"),
            required=False,
            choices=[("", _("Any customer (chosen on approval)")), *customer_choices(partner)],
            help_text=_("Optional. Your customers; leave empty to let the approver choose."),
        )

    def clean_customer(self):
        value = (self.cleaned_data.get("customer") or "").strip()
        if not value:
            return None
        try:
            tenant = get_tenant(value)
        except NotFound:
            raise forms.ValidationError(_("No tenant has this id.")) from None
        if tenant.pk == self.partner.pk:
            raise forms.ValidationError(_("A partner cannot ask for roles in its own tenant."))
        return tenant

    def clean(self):
        data = super().clean()
        check_request(self, SERVICE_FIELD_ALIASES, **self._request(data))
        return data

    @staticmethod
    def _request(data) -> dict:
        days = data.get("duration_days")
        return {
            "display_name": data.get("display_name"),
            "duration": timedelta(days=days) if days is not None else None,
            "role_ids": data.get("roles") or [],
            "auto_extend_duration": AUTO_EXTEND if data.get("auto_extend") else timedelta(0),
        }

    def service_kwargs(self) -> dict:
        return {**self._request(self.cleaned_data), "customer": self.cleaned_data["customer"]}

    @classmethod
    def initial_for(cls, rel) -> dict:
        return {
            "display_name": rel.display_name,
            "customer": str(rel.customer_id) if rel.customer_id else "",
            "duration_days": rel.duration.days,
            "roles": [str(r.id) for r in rel.requested_roles.all()],
            "auto_extend": bool(rel.auto_extend_duration),
        }


class LockForApprovalForm(forms.Form):
    email = forms.EmailField(
        label=_("Send the approval link to (optional)"),
        required=False,
        help_text=_(
            "A Global or Billing Administrator of the customer. You can also copy the link."
        ),
    )


class AccessAssignmentForm(forms.Form):
    """A partner security group and some of the relationship's approved roles."""

    group = forms.TypedChoiceField(label=_("Security group"), coerce=as_uuid)
    roles = forms.TypedMultipleChoiceField(
        label=_("Roles"),
        coerce=as_uuid,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one role.")},
    )

    def __init__(self, *args, groups=(), approved_roles=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = [
            ("", _("Choose a group")),
            *[(str(g.pk), g.name) for g in groups],
        ]
        self.fields["roles"].choices = [(str(r.id), r.display_name) for r in approved_roles]


def apply_domain_error(form, exc) -> None:
    """The shared helper with this module's field names."""
    core_forms.apply_domain_error(form, exc, SERVICE_FIELD_ALIASES)
