"""The signed-in user's own pages: the language switch and personal API tokens."""

import contextlib

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from audit.selectors import sign_ins_of
from core.errors import ValidationError
from tenants import forms, selectors, services, tokens


@require_POST
def set_language(request):
    """Remember a signed-in user's choice, then switch like Django's set_language (cookie)."""
    language = request.POST.get("language", "")
    if request.user.is_authenticated:
        # Django's view below ignores an unknown language; so do we.
        with contextlib.suppress(ValidationError):
            services.set_language(by=request.user, language=language)
    return django_set_language(request)


class ApiTokensView(LoginRequiredMixin, View):
    """The user's personal access tokens; a new token's secret is shown once, here."""

    template_name = "tenants/api_tokens.html"

    def get(self, request):
        return self.render(self.form())

    def post(self, request):
        form = self.form(request.POST)
        if form.is_valid():
            try:
                token, raw = services.create_api_token(
                    by=request.user,
                    name=form.cleaned_data["name"],
                    expires_at=form.expires_at(),
                    tenant_id=form.cleaned_data["tenant"] or None,
                    scopes=form.cleaned_data["scopes"],
                )
            except ValidationError as exc:
                forms.apply_domain_error(form, exc)
            else:
                # Rendered, not redirected: the raw token is never stored anywhere.
                response = self.render(self.form(), created=token, raw=raw)
                response["Cache-Control"] = "no-store"
                return response
        return self.render(form, status=400)

    def form(self, data=None):
        tenants = [m.tenant for m in selectors.memberships_for_user(self.request.user)]
        return forms.ApiTokenForm(data, tenants=tenants)

    def render(self, form, status=200, **extra):
        now = timezone.now()
        rows = [
            {
                "token": token,
                "status": _token_status(token, now),
                "scopes": token.scopes or list(tokens.DEFAULT_SCOPES),
                "dialog_id": f"revoke-{token.pk}",
            }
            for token in selectors.api_tokens_of(self.request.user)
        ]
        return TemplateResponse(
            self.request,
            self.template_name,
            {"form": form, "rows": rows, **extra},
            status=status,
        )


def _token_status(token, now) -> str:
    if token.revoked_at:
        return "revoked"
    if token.expires_at and token.expires_at <= now:
        return "expired"
    return "active"


class ApiTokenRevokeView(LoginRequiredMixin, View):
    """GET: the confirmation page (the dialog's fallback). POST: revoke."""

    def get(self, request, token_id):
        token = selectors.get_api_token_or_404(request.user, token_id)
        return TemplateResponse(request, "tenants/api_token_revoke.html", {"token": token})

    def post(self, request, token_id):
        token = services.revoke_api_token(by=request.user, token_id=token_id)
        messages.success(request, _("Token %(name)s is revoked.") % {"name": token.name})
        return redirect("api_tokens")


class SignInsView(LoginRequiredMixin, View):
    """The account's own sign-in history: when, from where, with what, and failed tries."""

    def get(self, request):
        events = sign_ins_of(request.user)
        return TemplateResponse(request, "tenants/sign_ins.html", {"events": events})
