"""A backing service is down: the answer every surface gives (issue 13).

The database (connection refused, dropped, timed out: Django's OperationalError and
InterfaceError) or a Redis that raised through: the API answers 503 JSON in its one error
shape, pages a plain 503 page rendered without the database, both with Retry-After.
"""

import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

log = logging.getLogger(__name__)

OUTAGE_ERRORS = (OperationalError, InterfaceError, RedisConnectionError, RedisTimeoutError)
RETRY_AFTER = 30  # seconds
CODE = "service_unavailable"
MESSAGE = _("The service is temporarily unavailable. Try again later.")


def is_outage(exc) -> bool:
    return isinstance(exc, OUTAGE_ERRORS)


def logged(exc, request=None) -> None:
    path = getattr(request, "path", "")
    log.warning("backing service unavailable (%s) on %s: %s", type(exc).__name__, path, exc)


def json_body() -> dict:
    return {"detail": str(MESSAGE), "code": CODE}


def headers() -> dict:
    return {"Retry-After": str(RETRY_AFTER)}


def api_response() -> JsonResponse:
    """The API's 503, outside DRF (middleware, handler500)."""
    return JsonResponse(json_body(), status=503, headers=headers())


def page_response() -> HttpResponse:
    """The plain 503 page: no request context, no context processors, no database."""
    return HttpResponse(render_to_string("503.html"), status=503, headers=headers())
