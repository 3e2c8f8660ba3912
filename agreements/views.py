"""The customer agreement: its public text, and a tenant's page to read and accept it."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from agreements import forms, selectors, services
from core.errors import ValidationError
from core.forms import apply_domain_error
from core.views import TenantView
from roles import permissions as p


def agreement_text(request, version):
    """The rendered text of a published customer agreement version (public)."""
    agreement = selectors.get_published_version(version)
    if agreement is None:
        raise Http404
    paragraphs = [p.strip() for p in agreement.body.split("\n\n") if p.strip()]
    return TemplateResponse(
        request,
        "agreements/text.html",
        {
            "agreement": agreement,
            "paragraphs": paragraphs,
            "is_current": agreement == selectors.current_version(),
        },
    )


class CustomerAgreementView(TenantView):
    """The newest customer agreement: its acceptance, or the checkbox and "Accept"."""

    required = {"GET": p.PARTNERS_READ, "POST": p.AGREEMENTS_ACCEPT}
    template_name = "agreements/agreement.html"

    def get(self, request, tid):
        version = selectors.current_version()
        return self.render(version, self._form(version))

    def post(self, request, tid):
        version = selectors.current_version()
        form = self._form(version, request.POST)
        if form.is_valid():
            try:
                services.accept_agreement(
                    by=request.user,
                    tenant=self.tenant,
                    version=form.cleaned_data["version"],
                    attest=form.cleaned_data["attest"],
                )
            except ValidationError as exc:
                apply_domain_error(form, exc)
            else:
                messages.success(request, _("Thank you: the customer agreement is accepted."))
                return redirect("customer_agreement", tid=self.tenant.pk)
        return self.render(version, form, status=400)

    def _form(self, version, data=None):
        if version is None:
            return None
        return forms.AgreementForm(
            data,
            initial={"version": version.version},
            attestation=services.attestation_text(version),
        )

    def render(self, version, form, status=200):
        acceptance = selectors.acceptance_of(self.tenant, version)
        context = self.get_context_data(
            version=version,
            acceptance=acceptance,
            form=form,
            can_accept=self.access.has(p.AGREEMENTS_ACCEPT),
            agreement_url=selectors.reading_url(version),
        )
        return TemplateResponse(self.request, self.template_name, context, status=status)
