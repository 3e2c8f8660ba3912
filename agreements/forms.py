"""HTML form of the customer agreement page."""

from django import forms


class AgreementForm(forms.Form):
    version = forms.CharField(widget=forms.HiddenInput)
    attest = forms.BooleanField(required=False)

    def __init__(self, *args, attestation="", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attest"].label = attestation
