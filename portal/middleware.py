from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import translation

from core import errors
from core.context import RequestContext, current_request
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
        if user is not None and user.is_authenticated and user.language and not cookie:
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        return self.get_response(request)


class DomainErrorMiddleware:
    """Maps domain errors raised in HTML views to the right page (the API maps its own)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
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
