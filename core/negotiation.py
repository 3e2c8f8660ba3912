"""The API's content negotiation (REST_FRAMEWORK's DEFAULT_CONTENT_NEGOTIATION_CLASS).

A module of its own: DRF reads the setting while it defines APIView, so the class cannot
live in a module that imports DRF's views (core.api).
"""

from rest_framework.negotiation import DefaultContentNegotiation


class ContentNegotiation(DefaultContentNegotiation):
    """DRF's content negotiation, with its most common case answered at once: a client that
    names no format and accepts anything (no Accept header, or */*) gets the first renderer
    and its media type, which is what DRF's search over the Accept list ends with."""

    def select_renderer(self, request, renderers, format_suffix=None):
        if (
            not format_suffix
            and request.META.get("HTTP_ACCEPT", "*/*") == "*/*"
            and not self._names_a_format(request)
        ):
            return renderers[0], renderers[0].media_type
        return super().select_renderer(request, renderers, format_suffix)

    def _names_a_format(self, request) -> bool:
        name = self.settings.URL_FORMAT_OVERRIDE
        raw = request.META.get("QUERY_STRING", "")
        if not name or (name not in raw and "%" not in raw):
            return False  # neither the name nor an escape in the raw query: no need to parse
        return name in request.query_params
