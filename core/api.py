"""API plumbing: the one error shape, pagination, and the tenant base view."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import exceptions
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from core import access, errors
from core.permissions import TokenScopePermission

# DRF's own codes, except where shared/API.md names another.
RENAMED_CODES = {"throttled": "rate_limited", "parse_error": "invalid"}


def exception_handler(exc, context):
    """Every API error reads {"detail", "code"} (+ "errors" for fields)."""
    if isinstance(exc, errors.DomainError):
        body = {"detail": exc.detail, "code": exc.code}
        if exc.errors:
            body["errors"] = {k: [str(m) for m in v] for k, v in exc.errors.items()}
        return Response(body, status=exc.status_code)
    if isinstance(exc, RequestDataTooBig):
        body = {"detail": _("The request body is too large."), "code": "too_large"}
        return Response(body, status=413)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
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
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100

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


def paginate(view, queryset, serializer_class, *, context=None, **kwargs):
    paginator = Pagination()
    page = paginator.paginate_queryset(queryset, view.request, view=view)
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
    required: dict[str, str | tuple[str, ...] | None] = {}

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        for name in _GUARDED:
            if name in cls.__dict__:
                raise TypeError(f"{cls.__name__} may not override {name}: tenant scoping.")
        for method in ("get", "post", "put", "patch", "delete"):
            if hasattr(cls, method) and method.upper() not in cls.required:
                raise TypeError(f"{cls.__name__}.required does not declare {method.upper()}.")


def tenant_schema(**kwargs):
    """extend_schema with the tid path parameter documented."""
    return extend_schema(parameters=[TID_PARAMETER, *kwargs.pop("parameters", [])], **kwargs)
