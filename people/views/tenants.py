"""Creating a tenant: its creator becomes its first Global Administrator."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views import View

from core.errors import ValidationError
from people import forms, services


class TenantCreateView(LoginRequiredMixin, View):
    template_name = "people/create.html"

    def get(self, request):
        return self.render(forms.TenantCreateForm())

    def post(self, request):
        form = forms.TenantCreateForm(request.POST)
        if form.is_valid():
            try:
                tenant = services.create_tenant(
                    by=request.user,
                    name=form.cleaned_data["name"],
                    country=form.cleaned_data["country"],
                    domain=form.cleaned_data["domain"],
                )
            except ValidationError as exc:
                forms.apply_domain_error(form, exc)
            else:
                messages.success(request, _("%(name)s is ready.") % {"name": tenant.name})
                return redirect("tenant_home", tid=tenant.pk)
        return self.render(form, status=400)

    def render(self, form, status=200):
        return TemplateResponse(self.request, self.template_name, {"form": form}, status=status)
