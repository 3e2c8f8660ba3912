"""The audit log page's filter form."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput, midnight


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(label=_("Action"), required=False)
    since = forms.DateField(label=_("From"), required=False, widget=DateInput())
    until = forms.DateField(label=_("To"), required=False, widget=DateInput())

    def __init__(self, *args, actions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", _("All actions"))] + [(a, a) for a in actions]

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", _("The end date is before the start date."))
        return data

    def bounds(self) -> tuple[datetime.datetime | None, datetime.datetime | None]:
        """The date range as aware datetimes: since's midnight, and the midnight after until."""
        since, until = self.cleaned_data.get("since"), self.cleaned_data.get("until")
        return (
            midnight(since) if since else None,
            midnight(until + datetime.timedelta(days=1)) if until else None,
        )
