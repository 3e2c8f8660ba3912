from csp.decorators import csp_update
from django.utils.decorators import method_decorator
from drf_spectacular.views import SpectacularSwaggerSplitView


# Swagger UI (served from drf-spectacular-sidecar) sets inline styles; allow them here only.
@method_decorator(csp_update({"style-src": ["'unsafe-inline'"]}), name="get")
class SwaggerDocsView(SpectacularSwaggerSplitView):
    pass
