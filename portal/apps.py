from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")

    def ready(self):
        from portal.support_agents import sync_support_agent_group

        # After every migrate, so models added by later migrations are covered too.
        post_migrate.connect(sync_support_agent_group, dispatch_uid="sync_support_agent_group")
