from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RelationshipsConfig(AppConfig):
    name = "relationships"
    verbose_name = _("Relationships")

    def ready(self):
        from audit.describe import register_values
        from audit.filters import register_scope
        from partners import relationship_types
        from relationships import access, signals
        from relationships.selectors.partner_relationships import history_scope

        access.install()
        signals.install()  # the customers list's sort key follows renames
        # The audit log names relationship types and shows a relationship's history.
        register_values(
            ["relationship_types", "types", "added_types", "ended"], relationship_types.label
        )
        register_scope("relationship", history_scope)
