"""HTML forms of the billing pages. They validate input only; services do the writes."""

from django import forms
from django.utils.translation import gettext_lazy as _

from billing.services import MAX_QUANTITY
from core import forms as core_forms
from core.text import format_money


class ProductChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return _("%(name)s: %(price)s per licence, %(term)s") % {
            "name": obj.name,
            "price": format_money(obj.unit_price, obj.currency),
            "term": obj.get_term_display().lower(),
        }


class BuyForm(forms.Form):
    product = ProductChoiceField(label=_("Product"), queryset=None, empty_label=_("Choose…"))
    quantity = forms.IntegerField(
        label=_("Quantity"), min_value=1, max_value=MAX_QUANTITY, initial=1
    )
    through = forms.ChoiceField(
        label=_("Bought through"),
        required=False,
        help_text=_("Order directly, or through one of your MPSA purchasing partners."),
    )

    def __init__(self, *args, products, mpsa_partners=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = products
        if mpsa_partners:
            self.fields["through"].choices = [
                ("", _("Directly")),
                *[(str(t.pk), t.name) for t in mpsa_partners],
            ]
        else:
            del self.fields["through"]


class QuantityForm(forms.Form):
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=MAX_QUANTITY)


class MpsaSharingForm(forms.Form):
    mpsa_share_purchases = forms.BooleanField(
        label=_("Let my MPSA partners see purchases made through each other"),
        required=False,
        help_text=_(
            "Off (the default): each MPSA partner sees only the purchases made through "
            "itself. On: each of your MPSA partners sees the purchases made through any of "
            "them. Resellers and your own billing administrators are not affected."
        ),
    )


def apply_domain_error(form, exc) -> None:
    """The shared helper with this module's field names."""
    core_forms.apply_domain_error(
        form, exc, {"product_id": "product", "partner_tenant_id": "through"}
    )
