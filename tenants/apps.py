from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TenantsConfig(AppConfig):
    name = "tenants"
    verbose_name = _("Tenants and users")

    def ready(self):
        from tenants import account_audit

        account_audit.connect()
