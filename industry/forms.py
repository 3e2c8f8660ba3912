"""HTML forms of the industry app pages. They validate input shape only; services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from industry.services import LIMITS, NOTE_MAX


class IndustryAppForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=LIMITS["name"])
    version = forms.CharField(label=_("Version"), max_length=LIMITS["version"])
    summary = forms.CharField(
        label=_("Summary"),
        max_length=LIMITS["summary"],
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the app does and for whom."),
    )
    link = forms.URLField(
        label=_("Link"),
        max_length=LIMITS["link"],
        assume_scheme="https",
        help_text=_("Where the customer can read about or get the app."),
    )


class DecisionForm(forms.Form):
    note = forms.CharField(
        label=_("Note to the partner"),
        max_length=NOTE_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
