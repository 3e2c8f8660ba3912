from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Core"

    def ready(self):
        from core.support import sync_support_agent_group

        # After every migrate, so models added by later migrations are covered too.
        post_migrate.connect(sync_support_agent_group, dispatch_uid="sync_support_agent_group")
