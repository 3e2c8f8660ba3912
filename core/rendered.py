"""API answers kept as rendered JSON.

A cached answer that is stored as data is unpickled and serialized to JSON again on every
request: for a page of 20 directory listings that costs more than the rest of the request.
`render()` makes the bytes once (exactly what DRF's JSONRenderer answers); `respond()`
serves them as they are when plain JSON is what the client negotiated, and gives any other
renderer (the browsable API, `application/json; indent=4`) the data in a DRF Response.
"""

import json

from django.http import HttpResponse
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

_renderer = JSONRenderer()


def render(data) -> bytes:
    """The body DRF's JSONRenderer gives data (compact, no indent)."""
    return _renderer.render(data)


def respond(request, rendered: bytes) -> HttpResponse:
    """The answer to a DRF request whose data rendered to `rendered`.

    When the negotiated renderer is JSONRenderer and the media type asks for no indent, the
    bytes are the body: a plain response with JSONRenderer's Content-Type (no Response to
    build and render; the view's finalize_response adds Allow and Vary to either). Any
    other renderer gets the data."""
    renderer = getattr(request, "accepted_renderer", None)
    if type(renderer) is JSONRenderer and request.accepted_media_type == renderer.media_type:
        return HttpResponse(rendered, content_type=renderer.media_type)
    return Response(json.loads(rendered))
