"""HTML forms of the invitation and relationship pages. They render and parse input only;
relationships.services holds the rules and writes."""

from datetime import timedelta

from django import forms
from django.utils.translation import gettext_lazy as _

from core import forms as core_forms
from core.forms import as_uuid
from partners import relationship_types as types
from relationships.forms.gdap import assignable_role_choices, check_request
from relationships.models import REFERENCE_MAX
from relationships.rules import AUTO_EXTEND, DISPLAY_NAME_MAX, MAX_DURATION, MIN_DURATION

# Field names in the services' ValidationError.errors, mapped to these forms' fields.
SERVICE_FIELD_ALIASES = {
    "customer_tenant_id": "customer",
    "lead_id": "lead",
    "gdap": "gdap_roles",
    "display_name": "gdap_display_name",
    "duration": "gdap_duration_days",
    "role_definition_ids": "gdap_roles",
    "auto_extend_duration": "gdap_auto_extend",
    "approved_role_definition_ids": "roles",
    "tenant_id": "tenant",
}


def offered_types(profile) -> list[types.RelationshipType]:
    """The types a partner may invite for: offered by its profile and assignable."""
    offered = set(profile.relationship_type_codes) if profile else set()
    return [t for t in types.TYPES if t.code in offered and t.assignable]


class InvitationForm(forms.Form):
    """Invite a customer by email, optionally asking for GDAP roles."""

    email = forms.EmailField(
        label=_("Email address"),
        help_text=_("A Global or Billing Administrator of the customer receives the link."),
    )
    customer = forms.ChoiceField(
        label=_("Customer"),
        required=False,
        help_text=_("Optional: one of your customers. Then only that tenant can accept."),
    )
    relationship_types = forms.MultipleChoiceField(
        label=_("Relationship types"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one relationship type.")},
    )
    message = forms.CharField(
        label=_("Message"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Shown to the customer with the invitation. At most 2,000 characters."),
    )
    lead = forms.UUIDField(required=False, widget=forms.HiddenInput)
    gdap_display_name = forms.CharField(
        label=_("Display name"),
        required=False,
        max_length=DISPLAY_NAME_MAX,
        help_text=_("At most 50 characters; unique among your GDAP relationships."),
    )
    gdap_duration_days = forms.IntegerField(
        label=_("Duration in days"),
        required=False,
        min_value=MIN_DURATION.days,
        max_value=MAX_DURATION.days,
        initial=730,
        help_text=_("From 1 to 730 days, counted from the customer's approval."),
    )
    gdap_roles = forms.TypedMultipleChoiceField(
        label=_("Admin roles"),
        required=False,
        choices=assignable_role_choices,
        coerce=as_uuid,
        widget=forms.CheckboxSelectMultiple,
    )
    gdap_auto_extend = forms.BooleanField(
        label=_("Extend automatically by 180 days at the end"),
        required=False,
        help_text=_("Not available when Global Administrator is requested."),
        widget=forms.CheckboxInput(attrs={"data-auto-extend": ""}),
    )

    def __init__(self, *args, profile, customers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.type_rows = offered_types(profile)
        self.fields["relationship_types"].choices = [(t.code, t.label) for t in self.type_rows]
        self.customers = {str(c.pk): c for c in customers}
        self.fields["customer"].choices = [
            ("", _("Not one of my customers yet")),
            *[(pk, c.name) for pk, c in self.customers.items()],
        ]

    def type_choices(self):
        """(bound checkbox, type) pairs, for the template to print each type's `does` line."""
        return list(zip(self["relationship_types"], self.type_rows, strict=True))

    @property
    def asks_for_roles(self) -> bool:
        data = self.cleaned_data
        return bool(data.get("gdap_roles") or (data.get("gdap_display_name") or "").strip())

    def clean(self):
        data = super().clean()
        if not self.asks_for_roles:
            return data
        if not (data.get("gdap_display_name") or "").strip():
            self.add_error("gdap_display_name", _("A display name is required with roles."))
        if not data.get("gdap_roles"):
            self.add_error("gdap_roles", _("Choose at least one role, or clear the GDAP part."))
        if data.get("gdap_duration_days") is None and "gdap_duration_days" not in self.errors:
            self.add_error("gdap_duration_days", _("The duration is required with roles."))
        check_request(self, SERVICE_FIELD_ALIASES, **self._gdap_request(data))
        return data

    @staticmethod
    def _gdap_request(data) -> dict:
        days = data.get("gdap_duration_days")
        return {
            "display_name": data.get("gdap_display_name"),
            "duration": timedelta(days=days) if days is not None else None,
            "role_ids": data.get("gdap_roles") or [],
            "auto_extend_duration": AUTO_EXTEND if data.get("gdap_auto_extend") else timedelta(0),
        }

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        gdap_request = self._gdap_request(data) if self.asks_for_roles else None
        return {
            "email": data["email"],
            "relationship_types": data["relationship_types"],
            "customer": self.customers.get(data.get("customer") or ""),
            "message": data.get("message", ""),
            "lead_id": data.get("lead"),
            "gdap_request": gdap_request,
        }


class AcceptForm(forms.Form):
    """Accept & authorise: the tenant, the roles approved, the agreement checkbox."""

    action = forms.CharField(widget=forms.HiddenInput, initial="accept")
    tenant = forms.UUIDField(widget=forms.HiddenInput)
    roles = forms.TypedMultipleChoiceField(
        label=_("Admin roles to approve"),
        required=False,
        coerce=as_uuid,
        widget=forms.CheckboxSelectMultiple,
    )
    accept_agreement = forms.BooleanField(required=False)

    def __init__(self, *args, requested_roles=(), attestation="", **kwargs):
        super().__init__(*args, **kwargs)
        self.requested_roles = list(requested_roles)
        field = self.fields["roles"]
        field.choices = [
            (str(r["role_definition_id"]), r.get("display_name", r["name"]))
            for r in self.requested_roles
        ]
        if self.requested_roles:
            # Nothing ticked would approve nothing; the service reads "none given" as "all".
            field.required = True
            field.error_messages["required"] = _(
                "Approve at least one role, or decline the invitation."
            )
        self.fields["accept_agreement"].label = attestation

    def role_choices(self):
        """(bound checkbox, requested role dict) pairs for the template."""
        return list(zip(self["roles"], self.requested_roles, strict=True))


class EndTypesForm(forms.Form):
    relationship_types = forms.MultipleChoiceField(
        label=_("Relationship types to end"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one type to end.")},
    )

    def __init__(self, *args, codes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["relationship_types"].choices = [(c, types.label(c)) for c in codes]


class RequestEndForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the partner"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional: why, and from when. Support staff see it too."),
    )


class ReferenceForm(forms.Form):
    """The partner's internal reference on an invitation or a GDAP request."""

    reference = forms.CharField(
        label=_("Internal reference"),
        required=False,
        max_length=REFERENCE_MAX,
        help_text=_("Only your organisation sees it: a CRM or ticket number, say."),
    )


class BulkCancelForm(forms.Form):
    """Ticked invitations to cancel (ids; the service says which could not be)."""

    invitations = forms.MultipleChoiceField(
        error_messages={"required": _("Tick the invitations to cancel first.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Any id is accepted here: the service answers "not found" for foreign ones.
        self.fields["invitations"].valid_value = lambda value: len(str(value)) <= 64


# "Last sent" on the invitations page (the API's older_than takes any number of days).
AGE_CHOICES = [
    ("", _("Any time")),
    ("7", _("more than 7 days ago")),
    ("30", _("more than 30 days ago")),
    ("60", _("more than 60 days ago")),
    ("90", _("more than 90 days ago")),
]


def apply_domain_error(form, exc) -> None:
    """The shared helper with this module's field names."""
    core_forms.apply_domain_error(form, exc, SERVICE_FIELD_ALIASES)
