"""The plumbing every /graph/v1.0 endpoint shares: bearer-only authentication bound to the
partner's tenant, Graph's request ids and error envelope, ETags and If-Match, the
@odata.context of each answer, and Graph's JSON content type.
"""

import base64
import binascii

from django.urls import reverse
from django.utils.translation import gettext as _
from rest_framework.parsers import JSONParser
from rest_framework.renderers import JSONRenderer

from core.api import TenantAPIView
from core.errors import ValidationError
from graph.api.errors import exception_handler
from graph.api.wire import (
    GRAPH_JSON,
    RETRY_AFTER_SECONDS,
    graph_response,
    no_content,
    request_ids,
)
from tenants.authentication import BearerTokenAuthentication
from tenants.tokens import GRAPH

__all__ = [
    "GRAPH_JSON",
    "RETRY_AFTER_SECONDS",
    "GraphAPIView",
    "absolute",
    "etag",
    "expected_version",
    "graph_response",
    "metadata_context",
    "no_content",
    "request_ids",
    "service_root",
    "version_etag",
    "wants_unknown_enum_members",
]


class GraphAPIView(TenantAPIView):
    """Base of every /graph/v1.0 endpoint.

    A TenantAPIView, so the resolver decides as everywhere else: the tenant is the one the
    bearer token is bound to (Graph paths carry none), `required` names the permission per
    method, and a token's read scope allows safe methods only. Only bearer tokens: no
    session, so no CSRF. Every answer carries request-id and client-request-id; every error
    reads as Graph's {"error": {code, message, innerError}} (graph.api.errors).
    """

    authentication_classes = [BearerTokenAuthentication]
    renderer_classes = [JSONRenderer]
    parser_classes = [JSONParser]
    token_surface = GRAPH
    tenant_from_token = True
    schema = None  # not part of /api/v1's OpenAPI document

    def get_exception_handler(self):
        return exception_handler

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        request_id, client_request_id = request_ids(request)
        response["request-id"] = request_id
        response["client-request-id"] = client_request_id
        response["OData-Version"] = "4.0"
        return response


def service_root(request) -> str:
    """The absolute address of /graph/v1.0 on the host the client called."""
    root = reverse("graph-relationships").removesuffix(
        "/tenantRelationships/delegatedAdminRelationships"
    )
    return request.build_absolute_uri(root)


def metadata_context(request, fragment: str) -> str:
    """@odata.context: <root>/tenantRelationships/$metadata#<fragment>."""
    return f"{service_root(request)}/tenantRelationships/$metadata#{fragment}"


def absolute(request, url_name: str, *args) -> str:
    return request.build_absolute_uri(reverse(url_name, args=[str(a) for a in args]))


def wants_unknown_enum_members(request) -> bool:
    """Prefer: include-unknown-enum-members (evolvable enums' newer members)."""
    return "include-unknown-enum-members" in request.headers.get("Prefer", "").lower()


# ETags --------------------------------------------------------------------------------------
# Graph's form: W/"<base64 of '"<opaque token>"'>". Liaison's token names the object and its
# version, so an If-Match can be checked against the row under its lock by the service.


def etag(*parts) -> str:
    token = "-".join(str(part) for part in parts)
    return 'W/"' + base64.b64encode(f"'\"{token}\"'".encode()).decode() + '"'


def version_etag(obj) -> str:
    return etag(obj.pk, f"{obj.version:08x}")


def _etag_token(value: str) -> str | None:
    text = value.strip()
    text = text.removeprefix("W/").strip()
    if len(text) >= 2 and text[0] == text[-1] == '"':
        text = text[1:-1]
    try:
        decoded = base64.b64decode(text.encode("ascii"), validate=True).decode()
    except (binascii.Error, UnicodeError, ValueError):
        return None
    if decoded.startswith("'\"") and decoded.endswith("\"'"):
        return decoded[2:-2]
    return None


def expected_version(request, obj_pk) -> int | None:
    """The version an If-Match names for this object: None for *, -1 for one that cannot
    match (another object's, or not ours). No If-Match at all is a 400: Graph requires it."""
    header = request.headers.get("If-Match")
    if header is None or not header.strip():
        message = _("The If-Match header is required: send the @odata.etag you last read.")
        raise ValidationError(message, errors={"If-Match": [message]})
    if header.strip() == "*":
        return None
    for candidate in header.split(","):
        token = _etag_token(candidate)
        if token is None:
            continue
        pk, _sep, version = token.rpartition("-")
        if pk == str(obj_pk):
            try:
                return int(version, 16)
            except ValueError:
                return -1
    return -1
