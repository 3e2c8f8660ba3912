"""Every /graph/v1.0 error in Graph's envelope:

    {"error": {"code", "message", "innerError": {"date", "request-id", "client-request-id"}}}

Liaison's domain errors and DRF's own map by status to the codes of Microsoft's list
(Microsoft Graph error responses: accessDenied, itemNotFound, ...); field errors add
"details" with Graph's property names as targets. Anything unexpected is a 500
generalException (logged), a database outage a 503 with Retry-After: never Django's page.
"""

import json
import logging

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.db import DatabaseError
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import exceptions

from core import errors
from core.odata import ODataQueryError
from graph.api.wire import GRAPH_JSON, graph_response, request_ids

log = logging.getLogger(__name__)

# HTTP status -> Graph's error code.
CODES = {
    400: "invalidRequest",
    401: "InvalidAuthenticationToken",
    403: "accessDenied",
    404: "itemNotFound",
    405: "notSupported",
    406: "notSupported",
    409: "notAllowed",
    412: "resourceModified",
    413: "invalidRequest",
    415: "invalidRequest",
    429: "activityLimitReached",
    500: "generalException",
    503: "serviceNotAvailable",
}
# Liaison's field names -> Graph's property names, for "details" targets.
TARGETS = {
    "display_name": "displayName",
    "duration": "duration",
    "auto_extend_duration": "autoExtendDuration",
    "role_definition_ids": "accessDetails",
    "access_details": "accessDetails",
    "approved_role_definition_ids": "accessDetails",
    "access_container": "accessContainer",
    "customer": "customer",
    "action": "action",
}
DATABASE_RETRY_AFTER = 30


class GraphError(errors.DomainError):
    """A refusal only the Graph surface makes, with Graph's own code."""

    def __init__(self, detail, *, status: int = 400, graph_code: str = "invalidRequest"):
        super().__init__(detail)
        self.status_code = status
        self.graph_code = graph_code


def error_body(request, status: int, message: str, code: str | None = None, details=None):
    request_id, client_request_id = request_ids(request)
    error = {
        "code": code or CODES.get(status, "generalException"),
        "message": str(message),
        "innerError": {
            "date": timezone.now().strftime("%Y-%m-%dT%H:%M:%S"),
            "request-id": request_id,
            "client-request-id": client_request_id,
        },
    }
    if details:
        error["details"] = details
    return {"error": error}


def error_response(request, status: int, message: str, *, code=None, details=None, headers=None):
    body = error_body(request, status, message, code, details)
    return graph_response(body, status=status, headers=headers)


def error_response_outside_view(request, status: int, message: str) -> HttpResponse:
    """The envelope as a plain Django response, for middleware that answers before any
    view runs (a body over the size limit)."""
    request_id, client_request_id = request_ids(request)
    response = HttpResponse(
        json.dumps(error_body(request, status, message, None, None)),
        status=status,
        content_type=GRAPH_JSON,
    )
    response["request-id"] = request_id
    response["client-request-id"] = client_request_id
    return response


def _details(field_errors: dict) -> list[dict]:
    return [
        {"code": "invalidValue", "message": str(message), "target": TARGETS.get(field, field)}
        for field, messages in field_errors.items()
        for message in messages
    ]


def exception_handler(exc, context):
    request = context["request"]
    if isinstance(exc, ODataQueryError):
        return error_response(request, exc.status_code, exc.message, code=exc.code)
    if isinstance(exc, errors.DomainError):
        headers = {"Retry-After": "600"} if isinstance(exc, errors.RateLimited) else None
        return error_response(
            request,
            exc.status_code,
            exc.detail,
            code=getattr(exc, "graph_code", None),
            details=_details(exc.errors),
            headers=headers,
        )
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    if isinstance(exc, exceptions.APIException):
        headers = {}
        if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
            headers["WWW-Authenticate"] = 'Bearer realm="Liaison"'
            message = (
                _("Access token is empty.")
                if isinstance(exc, exceptions.NotAuthenticated)
                else str(exc.detail)
            )
            return error_response(request, 401, message, headers=headers)
        if getattr(exc, "wait", None):
            headers["Retry-After"] = str(int(exc.wait))
        message = exc.detail
        if isinstance(message, dict | list):
            message = _("The request body is not valid.")
        return error_response(request, exc.status_code, message, headers=headers or None)
    if isinstance(exc, RequestDataTooBig):
        return error_response(request, 413, _("The request body is too large."))
    if isinstance(exc, DatabaseError):
        log.warning("Graph request failed on the database", exc_info=exc)
        return error_response(
            request,
            503,
            _("The service is temporarily unavailable. Try again later."),
            headers={"Retry-After": str(DATABASE_RETRY_AFTER)},
        )
    log.error("Unexpected error in a Graph request", exc_info=exc)
    return error_response(request, 500, _("An unexpected error occurred."))
