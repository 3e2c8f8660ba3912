"""API plumbing: the one error shape, pagination, the tenant base view, and api_schema,
which declares them in the OpenAPI schema (the Error answers, the paginated lists)."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
)
from rest_framework import exceptions, serializers
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from core import access, errors, outage
from core.paging import Paginator
from core.permissions import TokenScopePermission

# DRF's own codes, except where shared/API.md names another.
RENAMED_CODES = {"throttled": "rate_limited", "parse_error": "invalid"}


class RequestTooLarge(exceptions.APIException):
    status_code = 413
    default_detail = _("The request body is too large.")
    default_code = "too_large"


def exception_handler(exc, context):
    """Every API error reads {"detail", "code"} (+ "errors" for fields)."""
    if outage.is_outage(exc):  # the database (or Redis) is unreachable: 503, retry later
        outage.logged(exc, context.get("request"))
        return Response(outage.json_body(), status=503, headers=outage.headers())
    if isinstance(exc, errors.DomainError):
        body = {"detail": exc.detail, "code": exc.code}
        if exc.errors:
            body["errors"] = {k: [str(m) for m in v] for k, v in exc.errors.items()}
        return Response(body, status=exc.status_code)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, RequestDataTooBig):
        exc = RequestTooLarge()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    if not isinstance(exc, exceptions.APIException):
        return None
    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None):
        headers["Retry-After"] = str(int(exc.wait))
    if isinstance(exc, exceptions.ValidationError):
        field_errors = (
            exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        )
        body = {
            "detail": _first_message(field_errors) or "Invalid input.",
            "code": "invalid",
            "errors": field_errors,
        }
    else:
        code = RENAMED_CODES.get(exc.default_code, exc.default_code)
        body = {"detail": str(exc.detail), "code": code}
    return Response(body, status=exc.status_code, headers=headers)


def _first_message(detail) -> str:
    if isinstance(detail, dict):
        for key, value in detail.items():
            msg = _first_message(value)
            if msg:
                return msg if key == "non_field_errors" else f"{key}: {msg}"
    elif isinstance(detail, list):
        for value in detail:
            msg = _first_message(value)
            if msg:
                return msg
    elif detail:
        return str(detail)
    return ""


class Pagination(PageNumberPagination):
    django_paginator_class = Paginator  # the page and its total in one statement
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100
    page_query_description = "Page number, from 1 (past the last page: 404)"
    page_size_query_description = f"Rows per page (default {page_size}, at most {max_page_size})"

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            raise errors.ValidationError(
                "page_size must be a whole number.", errors={"page_size": ["Not a number."]}
            ) from None
        if size < 1:
            raise errors.ValidationError(
                "page_size must be at least 1.", errors={"page_size": ["At least 1."]}
            )
        return min(size, self.max_page_size)


def validated(serializer_class, request) -> dict:
    """The request body checked by serializer_class; 400 with field errors otherwise."""
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def paginate(view, queryset, serializer_class, *, context=None, load=None, **kwargs):
    """One page of queryset (counted and sliced in SQL) serialized; load(page), when given,
    fetches the related rows for that page only and returns the rows to serialize."""
    paginator = Pagination()
    page = paginator.paginate_queryset(queryset, view.request, view=view)
    if load is not None:
        page = load(page)
    context = {"request": view.request, **(context or {})}
    data = serializer_class(page, many=True, context=context, **kwargs).data
    return paginator.get_paginated_response(data)


def error_example(title: str, *, status: int, code: str, detail: str, errors=None):
    """An OpenAPI response example in the API's one error shape."""
    value = {"detail": detail, "code": code}
    if errors:
        value["errors"] = errors
    return OpenApiExample(title, value=value, response_only=True, status_codes=[str(status)])


NOT_FOUND_EXAMPLE = error_example(
    "Not found, or another tenant's", status=404, code="not_found", detail="Not found."
)

TID_PARAMETER = OpenApiParameter("tid", str, OpenApiParameter.PATH, description="Tenant id (UUID)")
IDEMPOTENCY_KEY_PARAMETER = OpenApiParameter(
    "Idempotency-Key",
    str,
    OpenApiParameter.HEADER,
    required=False,
    description="A key of your choice (1 to 255 printable ASCII characters, e.g. a UUID) "
    "to retry this request safely: for 24 hours, a retry with the same key and body "
    "answers the first success again (header Idempotent-Replayed: true; links shown once "
    "come back masked) and changes nothing; the same key with another body is a 422.",
)


class TenantPermission(BasePermission):
    """DRF permission of every tenant endpoint: the resolver decides.

    Resolves `tid` from the URL (NotFound, a 404, if unknown or not the caller's: the same
    answer for both), asks the access resolver once and checks the permission the view
    declares for the method in `required` (PermissionDenied, a 403). Leaves `view.tenant`
    and `view.access` for the handler. A view whose paths carry no tenant
    (`tenant_from_token`, the Graph compatible API) takes the tenant its bearer token is
    bound to.
    """

    def has_permission(self, request, view) -> bool:
        tid = view.kwargs.get("tid")
        if getattr(view, "tenant_from_token", False):
            tid = getattr(request.auth, "tenant_id", None)
        view.tenant = access.get_tenant(tid)
        method = "GET" if request.method in ("HEAD", "OPTIONS") else request.method
        view.access = access.require(request.user, view.tenant, view.required.get(method))
        return True


# dispatch() runs initial(), which runs the permission classes: overriding any of them, or
# replacing the permission classes, could skip the checks.
_GUARDED = (
    "dispatch",
    "initial",
    "check_permissions",
    "get_permissions",
    "permission_classes",
    "resolve_tenant",
)


class TenantAPIView(APIView):
    """Base of every endpoint under /tenants/{tid}/.

    Its permission classes sign the caller in and run TenantPermission before any handler.
    Subclasses may not override the checks (PostHog's rule: the safe path is the only
    path); they declare `required = {"GET": "users.read", ...}` for each handler.
    """

    permission_classes = [IsAuthenticated, TokenScopePermission, TenantPermission]
    pagination_class = Pagination  # what paginate() answers; drf-spectacular reads it
    required: dict[str, str | tuple[str, ...] | None] = {}

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        for name in _GUARDED:
            if name in cls.__dict__:
                raise TypeError(f"{cls.__name__} may not override {name}: tenant scoping.")
        for method in ("get", "post", "put", "patch", "delete"):
            if hasattr(cls, method) and method.upper() not in cls.required:
                raise TypeError(f"{cls.__name__}.required does not declare {method.upper()}.")


# The schema: what the helpers above answer, described once ---------------------------------


class ErrorSerializer(serializers.Serializer):
    """Every error answer: what went wrong, a code for programs, and per-field messages."""

    detail = serializers.CharField(help_text="A sentence for people, in the caller's language")
    code = serializers.CharField(
        help_text="For programs: invalid, not_authenticated, permission_denied, not_found, "
        "invalid_state, rate_limited, idempotency_key_reused, service_unavailable, ... or a "
        "rule's own code (agreement_required, ...)"
    )
    errors = serializers.DictField(
        child=serializers.JSONField(),
        required=False,
        help_text="Bad input only: per field, its messages (nested inputs nest the same way)",
    )


ERROR_DESCRIPTIONS = {
    400: "Bad input (code invalid, or the rule's own code); field errors under `errors`",
    401: "Not signed in, or the token is unknown, expired or revoked",
    403: "Signed in but not allowed (permission_denied, insufficient_scope, ...)",
    404: "Not found, or it belongs to a tenant the caller cannot see (the same answer)",
    409: "The object's state forbids this (invalid_state)",
    413: "The request body is too large (too_large)",
    415: "The body is not in a media type this operation takes (unsupported_media_type)",
    422: "This Idempotency-Key was used before with another body (idempotency_key_reused)",
    429: "Rate limited (rate_limited)",
    503: "A backing service is down; try again after Retry-After",
}
# Every operation can meet these: a bad token, the throttles, an outage.
ALWAYS = (401, 429, 503)


def error_responses(statuses, descriptions=None) -> dict:
    """{status: the Error response} for statuses, with the standard or a given description."""
    descriptions = descriptions or {}
    return {
        status: OpenApiResponse(
            ErrorSerializer, description=descriptions.get(status) or ERROR_DESCRIPTIONS[status]
        )
        for status in sorted(set(statuses))
    }


def api_schema(
    *,
    page_of=None,
    errors=(),
    public: bool = False,
    tenant: bool = False,
    idempotent: bool = False,
    **kwargs,
):
    """extend_schema with the API's conventions, so that no operation forgets them.

    page_of: the operation answers a page of these rows: drf-spectacular draws the envelope
    and the page and page_size parameters from the view's pagination_class (Pagination).
    errors: statuses the operation answers beyond the ones every operation of its kind
    can (401, 429, 503; 403 unless public; 404 inside a tenant; 400, 413 and 415 with a
    body; 400 with query parameters), as a tuple or as {status: description}.
    idempotent: the handler is wrapped by core.idempotency.idempotent: the Idempotency-Key
    header and its 422.
    """
    descriptions = {s: d for s, d in errors.items() if d} if isinstance(errors, dict) else {}
    parameters = list(kwargs.pop("parameters", []))
    responses = kwargs.pop("responses", None)
    if not isinstance(responses, dict):
        responses = {} if responses is None else {200: responses}
    statuses = {*ALWAYS, *errors}
    if not public:
        statuses.add(403)
    if tenant:
        statuses.add(404)
        parameters.insert(0, TID_PARAMETER)
    if idempotent:
        statuses.update((400, 422))
        parameters.append(IDEMPOTENCY_KEY_PARAMETER)
    if kwargs.get("request") is not None:
        statuses.update((400, 413, 415))
    if page_of is not None:
        responses = {200: page_of(many=True), **responses}
        statuses.update((400, 404))
    if any(getattr(p, "location", None) == OpenApiParameter.QUERY for p in parameters):
        statuses.add(400)
    responses = {**responses, **error_responses(statuses - set(responses), descriptions)}
    if public:
        kwargs.setdefault("auth", [])
    return extend_schema(parameters=parameters, responses=responses, **kwargs)


def tenant_schema(**kwargs):
    """api_schema of an operation under /tenants/{tid}/: the tid parameter, 403 and 404."""
    return api_schema(tenant=True, **kwargs)
