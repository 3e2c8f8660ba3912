from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GraphConfig(AppConfig):
    """/graph/v1.0: Microsoft Graph v1.0 for the partner side of GDAP, over the same
    services, selectors and resolver as /api/v1."""

    name = "graph"
    verbose_name = _("Microsoft Graph compatible API")
