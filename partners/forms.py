"""HTML forms of the partner pages. They render and parse input only; the services
(partners.services, roles.services, agreements.services) hold the rules and write.

The directory's: the partner profile, "Contact me", the leads filter. The relationships':
invitations, accepting one, ending types, asking to end, the customer agreement.
"""

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from partners import relationship_types as types


def _country_choices(blank: bool = False):
    choices = [(code, name) for code, name in countries]
    return [("", _("Choose a country")), *choices] if blank else choices


def _choices(items, blank: str | None = None):
    choices = [(c.value, c.label) for c in items]
    return [("", blank), *choices] if blank else choices


class PartnerProfileForm(forms.Form):
    name = forms.CharField(label=_("Name in the directory"), max_length=200)
    summary = forms.CharField(
        label=_("Summary"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What you do and for whom, in a few sentences (plain text)."),
    )
    website = forms.CharField(
        label=_("Website"),
        max_length=300,
        required=False,
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
    )
    headquarters_country = forms.ChoiceField(label=_("Headquarters"))
    countries = forms.MultipleChoiceField(
        label=_("Countries served"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Hold Ctrl (or ⌘) to choose several."),
    )
    industries = forms.MultipleChoiceField(
        label=_("Industries"), required=False, widget=forms.CheckboxSelectMultiple
    )
    products = forms.MultipleChoiceField(
        label=_("Products"), required=False, widget=forms.CheckboxSelectMultiple
    )
    services = forms.MultipleChoiceField(
        label=_("Services"), required=False, widget=forms.CheckboxSelectMultiple
    )
    org_sizes = forms.MultipleChoiceField(
        label=_("Organisation sizes served"), required=False, widget=forms.CheckboxSelectMultiple
    )
    relationship_types = forms.MultipleChoiceField(
        label=_("Relationship types offered"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=types.CHOICES,
    )
    lead_email = forms.EmailField(
        label=_("Lead email"),
        help_text=_('Where "Contact me" requests from customers are sent.'),
    )

    def __init__(self, *args, labels: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["headquarters_country"].choices = _country_choices(blank=True)
        self.fields["countries"].choices = _country_choices()
        for name, dim in (
            ("industries", "industry"),
            ("products", "product"),
            ("services", "service"),
            ("org_sizes", "org_size"),
        ):
            self.fields[name].choices = _choices(labels[dim])

    @staticmethod
    def initial_from(profile) -> dict:
        if profile is None:
            return {}
        return {
            "name": profile.name,
            "summary": profile.summary,
            "website": profile.website,
            "headquarters_country": profile.headquarters_country.code,
            "countries": [c.code for c in profile.countries],
            "industries": [i.slug for i in profile.industries.all()],
            "products": [i.slug for i in profile.products.all()],
            "services": [i.slug for i in profile.services.all()],
            "org_sizes": [i.slug for i in profile.org_sizes.all()],
            "relationship_types": profile.relationship_type_codes,
            "lead_email": profile.lead_email,
        }


class ContactForm(forms.Form):
    """The "Contact me" fields of the seed, pre-filled from the user and tenant."""

    tenant_id = forms.ChoiceField(label=_("On behalf of"))
    contact_name = forms.CharField(label=_("Your name"), max_length=150)
    email = forms.EmailField(label=_("Email"))
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    org_name = forms.CharField(label=_("Organisation name"), max_length=200)
    org_size = forms.ChoiceField(label=_("Organisation size"))
    industry = forms.ChoiceField(label=_("Industry"))
    country = forms.ChoiceField(label=_("Country"))
    city = forms.CharField(label=_("City"), max_length=100)
    business_needs = forms.CharField(
        label=_("Business needs"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What you would like the partner to help with."),
    )

    def __init__(self, *args, tenants, labels: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tenant_id"].choices = [(str(t.pk), t.name) for t in tenants]
        self.fields["org_size"].choices = _choices(labels["org_size"], blank=_("Choose a size"))
        self.fields["industry"].choices = _choices(
            labels["industry"], blank=_("Choose an industry")
        )
        self.fields["country"].choices = _country_choices(blank=True)

    @staticmethod
    def initial_for(user, tenant) -> dict:
        return {
            "tenant_id": str(tenant.pk) if tenant else "",
            "contact_name": user.display_name,
            "email": user.email,
            "org_name": tenant.name if tenant else "",
            "country": tenant.country.code if tenant and tenant.country else "",
        }
