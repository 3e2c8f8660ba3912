"""HTML forms of the users, groups and tenant pages. They validate input only; services write."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from django_countries.fields import LazyTypedChoiceField

from core import forms as core_forms
from core.forms import as_uuid
from roles import catalog

# Field names the services use in ValidationError.errors, mapped to the form's fields.
SERVICE_FIELD_ALIASES = {
    "role_definition_ids": "roles",
    "user_ids": "members",
    "primary_domain": "domain",
}


def role_choices():
    """Every catalog role as (id, name), in catalog order (no query once cached)."""
    return [(str(role.id), role.display_name) for role in catalog.get_roles(catalog.roles_by_id())]


class RoleChoiceField(forms.TypedMultipleChoiceField):
    """Catalog roles as checkboxes; cleans to UUIDs (what the services expect)."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        kwargs.setdefault("choices", role_choices)
        kwargs.setdefault("coerce", as_uuid)
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Roles"))
        super().__init__(**kwargs)


class TenantCreateForm(forms.Form):
    name = forms.CharField(label=_("Organisation name"), max_length=200)
    country = LazyTypedChoiceField(label=_("Country"), choices=countries)
    domain = forms.CharField(
        label=_("Primary domain"),
        max_length=253,
        required=False,
        help_text=_("For example contoso.com. You can leave this empty."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", _("Choose a country")), *countries]


class MemberAddForm(forms.Form):
    email = forms.EmailField(label=_("Email address"))
    display_name = forms.CharField(
        label=_("Display name"),
        max_length=150,
        required=False,
        help_text=_("Used when the account is new."),
    )
    roles = RoleChoiceField()
    partner = forms.TypedChoiceField(
        label=_("Works for a partner"),
        required=False,
        coerce=as_uuid,
        empty_value=None,
        help_text=_(
            "For a partner's person: the account is marked as that partner's and listed "
            "under its admin roles; Remove roles clears it."
        ),
    )

    def __init__(self, *args, partners=(), **kwargs):
        super().__init__(*args, **kwargs)
        if partners:
            self.fields["partner"].choices = [("", _("No, one of our own people"))] + [
                (str(r.partner_id), r.partner.name) for r in partners
            ]
        else:
            del self.fields["partner"]


class MemberRolesForm(forms.Form):
    roles = RoleChoiceField()


class SecurityGroupForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    description = forms.CharField(label=_("Description"), max_length=300, required=False)


class GroupMembersForm(forms.Form):
    members = forms.TypedMultipleChoiceField(
        label=_("Members"), required=False, widget=forms.CheckboxSelectMultiple, coerce=as_uuid
    )

    def __init__(self, *args, memberships=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].choices = [
            (str(m.user_id), f"{m.user.name} <{m.user.email}>") for m in memberships
        ]


def apply_domain_error(form, exc) -> None:
    """The shared helper with this module's field names."""
    core_forms.apply_domain_error(form, exc, SERVICE_FIELD_ALIASES)
