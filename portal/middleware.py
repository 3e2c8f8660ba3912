from django.conf import settings
from django.contrib import messages
from django.core.exceptions import RequestDataTooBig
from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import translation
from django.utils.translation import gettext as _

from core import errors, outage
from core.context import RequestContext, current_request
from graph.api import errors as graph_errors
from roles import access


class RequestContextMiddleware:
    """Sets the request context (client IP for audit) and a fresh access memo per request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        ip = request.META.get("REMOTE_ADDR")
        ctx_token = current_request.set(
            RequestContext(ip=ip, user_agent=request.META.get("HTTP_USER_AGENT", "")[:400])
        )
        with access.request_memo():
            try:
                return self.get_response(request)
            finally:
                current_request.reset(ctx_token)


class UserLanguageMiddleware:
    """Use the signed-in user's saved language when the browser has not chosen one."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        try:
            if user is not None and user.is_authenticated and user.language and not cookie:
                translation.activate(user.language)
                request.LANGUAGE_CODE = user.language
        except outage.OUTAGE_ERRORS as exc:
            # The first read of the session and user: a middleware's exception never
            # reaches process_exception, so the outage is answered here.
            return service_unavailable(request, exc)
        return self.get_response(request)


class DomainErrorMiddleware:
    """Maps domain errors raised in HTML views to the right page (the API maps its own)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if outage.is_outage(exception):
            return service_unavailable(request, exception)
        if isinstance(exception, RequestDataTooBig):
            return too_large(request)
        if not isinstance(exception, errors.DomainError):
            return None
        if isinstance(exception, errors.NotFound):
            raise Http404(exception.detail)
        if isinstance(exception, errors.AccessEnded):
            context = {"ended_tenant": exception.tenant, "ended": exception.ended}
            return TemplateResponse(request, "access_ended.html", context, status=403)
        if isinstance(
            exception, errors.InvalidState | errors.ValidationError | errors.RateLimited
        ) and (request.method == "POST"):
            messages.error(request, exception.detail)
            return redirect(_safe_back(request))
        return TemplateResponse(
            request,
            "error.html",
            {"error": exception},
            status=exception.status_code,
        )


def _safe_back(request) -> str:
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.headers.get("HX-Current-URL") or request.META.get("HTTP_REFERER") or "/"
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return "/"


def service_unavailable(request, exc):
    """A backing service is down: 503 in the client's language (JSON, Graph's envelope, a
    plain page), with Retry-After."""
    outage.logged(exc, request)
    if request.path.startswith("/graph/"):
        response = graph_errors.error_response_outside_view(request, 503, str(outage.MESSAGE))
        response["Retry-After"] = str(outage.RETRY_AFTER)
        return response
    if request.path.startswith("/api/"):
        return outage.api_response()
    return outage.page_response()


# Bodies that carry a file (a form's upload, the devices API's CSV): MAX_UPLOAD_BYTES.
FILE_TYPES = ("multipart/form-data", "text/csv")


class BodyLimitMiddleware:
    """A body larger than the settings allow is a 413 before anything reads it: JSON under
    /api/, Graph's envelope under /graph/, a short page elsewhere (Django would answer an
    HTML 400, or the API read it)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        a_file = request.content_type in FILE_TYPES
        limit = settings.MAX_UPLOAD_BYTES if a_file else settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is not None and length > limit:
            return too_large(request)
        return self.get_response(request)


def too_large(request):
    if request.path.startswith("/graph/"):
        return graph_errors.error_response_outside_view(
            request, 413, _("The request body is too large.")
        )
    if request.path.startswith("/api/"):
        body = {"detail": _("The request body is too large."), "code": "too_large"}
        return JsonResponse(body, status=413)
    return TemplateResponse(request, "413.html", status=413)
