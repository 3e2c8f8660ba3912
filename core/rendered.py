"""API answers kept as rendered JSON.

A cached answer that is stored as data is unpickled and serialized to JSON again on every
request: for a page of 20 directory listings that costs more than the rest of the request.
`render()` makes the bytes once (exactly what DRF's JSONRenderer answers); a
`RenderedJSONResponse` serves them as they are when plain JSON is what the client gets,
and hands any other renderer (the browsable API, `application/json; indent=4`) the data.
"""

import json

from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

_renderer = JSONRenderer()


def render(data) -> bytes:
    """The body DRF's JSONRenderer gives data (compact, no indent)."""
    return _renderer.render(data)


class RenderedJSONResponse(Response):
    """A DRF Response made from rendered JSON; `data` is parsed only if something reads it."""

    def __init__(self, rendered: bytes, **kwargs):
        self._rendered = rendered
        super().__init__(None, **kwargs)

    @property
    def data(self):
        if self._data is None:
            self._data = json.loads(self._rendered)
        return self._data

    @data.setter
    def data(self, value):
        self._data = value

    @property
    def rendered_content(self):
        renderer = getattr(self, "accepted_renderer", None)
        media_type = getattr(self, "accepted_media_type", None)
        context = getattr(self, "renderer_context", None) or {}
        if (
            type(renderer) is JSONRenderer
            and self.content_type is None
            and renderer.get_indent(media_type, context) is None
        ):
            context["response"] = self
            self["Content-Type"] = renderer.media_type  # as Response sets it (no charset)
            return self._rendered
        return super().rendered_content
