"""HTML forms of the support pages. They validate input only; services do the writes."""

from django import forms
from django.utils.translation import gettext_lazy as _

from support.models import SupportRequest
from support.services import TEXT_MAX, TITLE_MAX


class SupportRequestForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX)
    description = forms.CharField(
        label=_("Description"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("What happened, what you expected, and who is affected."),
    )
    severity = forms.ChoiceField(
        label=_("Severity"),
        choices=SupportRequest.Severity.choices,
        initial=SupportRequest.Severity.NORMAL,
    )


class SupportCommentForm(forms.Form):
    body = forms.CharField(
        label=_("Add a comment"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 4})
    )
