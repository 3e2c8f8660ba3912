from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core import access as port


class RolesConfig(AppConfig):
    name = "roles"
    verbose_name = _("Roles")

    def ready(self):
        from roles import access, signals

        # The layers below (core's base views, audit, tenants) ask the resolver through
        # core.access; this is its one implementation.
        port.install(access)
        signals.connect()
