from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RolesConfig(AppConfig):
    name = "roles"
    verbose_name = _("Roles")

    def ready(self):
        from roles import access
        from roles.delegated import delegated_grants

        # The resolver's second source: GDAP roles, in force only until the grant ends.
        if delegated_grants not in access.SOURCES:
            access.SOURCES.append(delegated_grants)
