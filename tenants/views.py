from django.shortcuts import redirect
from django.template.response import TemplateResponse

from core.views import TenantView


def home(request):
    return redirect("account_login")


class TenantHomeView(TenantView):
    required = {"GET": None}

    def get(self, request, tid):
        return TemplateResponse(request, "tenants/home.html", self.get_context_data())
