"""The partner's directory listing: the profile form, a preview of the card, certification."""

from django.contrib import messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from core.errors import ValidationError
from core.forms import apply_domain_error
from core.views import TenantView
from partners import forms, selectors, services
from roles.permissions import PARTNERS_MANAGE, PARTNERS_READ


class PartnerProfilePageView(TenantView):
    """The tenant's directory listing: the form, a preview of the card, certification."""

    required = {"GET": PARTNERS_READ, "POST": PARTNERS_MANAGE}
    template_name = "partners/profile.html"

    def get(self, request, tid):
        profile = selectors.profile_of(self.tenant)
        labels = selectors.curated_labels()
        form = forms.PartnerProfileForm(
            initial=forms.PartnerProfileForm.initial_from(profile)
            or {"name": self.tenant.name, "headquarters_country": self.tenant.country.code},
            labels=labels,
        )
        return self.render(profile, form)

    def post(self, request, tid):
        labels = selectors.curated_labels()
        form = forms.PartnerProfileForm(request.POST, labels=labels)
        if form.is_valid():
            try:
                _profile, created = services.save_partner_profile(
                    by=request.user, tenant=self.tenant, data=form.cleaned_data
                )
            except ValidationError as exc:
                apply_domain_error(form, exc)
            else:
                messages.success(
                    request,
                    _("%(name)s is now a partner. Support staff will review the listing.")
                    % {"name": self.tenant.name}
                    if created
                    else _("Partner profile saved."),
                )
                return redirect("partner_profile", tid=self.tenant.pk)
        return self.render(selectors.profile_of(self.tenant), form, status=400)

    def render(self, profile, form, status=200):
        context = self.get_context_data(
            profile=profile,
            form=form,
            preview=selectors.preview_listing(profile) if profile else None,
            can_manage=self.access.has(PARTNERS_MANAGE),
        )
        return TemplateResponse(self.request, self.template_name, context, status=status)
