"""Graph's wire basics: the JSON content type, request ids, responses."""

import re
import uuid

from rest_framework.response import Response

GRAPH_JSON = (
    "application/json;odata.metadata=minimal;odata.streaming=true;"
    "IEEE754Compatible=false;charset=utf-8"
)
# How long a client should wait before asking for a long-running operation again.
RETRY_AFTER_SECONDS = 10
_CLIENT_REQUEST_ID = re.compile(r"[\x21-\x7e]{1,100}")


def request_ids(request) -> tuple[str, str]:
    """(request-id, client-request-id) of this request, made once.

    Graph echoes the caller's client-request-id; the SDKs send none to hosts other than
    Microsoft's, so then it is the request-id too.
    """
    django_request = getattr(request, "_request", request)
    ids = getattr(django_request, "graph_request_ids", None)
    if ids is None:
        request_id = str(uuid.uuid4())
        client = django_request.headers.get("client-request-id", "")
        if not _CLIENT_REQUEST_ID.fullmatch(client):
            client = request_id
        ids = (request_id, client)
        django_request.graph_request_ids = ids
    return ids


def graph_response(body, status: int = 200, headers: dict | None = None) -> Response:
    return Response(body, status=status, headers=headers, content_type=GRAPH_JSON)


def no_content() -> Response:
    return Response(status=204)
