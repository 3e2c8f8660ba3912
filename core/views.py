"""The tenant base view for HTML pages under /t/<tid>/, and the public allow-list."""

from django.contrib.auth.views import redirect_to_login
from django.views import View

from core import access
from core.errors import AccessEnded, NotFound
from core.paging import Paginator

_GUARDED = ("dispatch", "resolve_tenant")


class TenantView(View):
    """Base of every page under /t/<tid>/.

    Signs the visitor in first, resolves the tenant (404 if unknown or not theirs), asks
    the resolver once and checks the permission `required` declares for the method (403)
    before any handler runs. Subclasses declare `required`; they cannot skip the check.
    """

    required: dict[str, str | tuple[str, ...] | None] = {}

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        for name in _GUARDED:
            if name in cls.__dict__:
                raise TypeError(f"{cls.__name__} may not override {name}(): tenant scoping.")
        for method in ("get", "post", "put", "patch", "delete"):
            if hasattr(cls, method) and method.upper() not in cls.required:
                raise TypeError(f"{cls.__name__}.required does not declare {method.upper()}.")

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        self.resolve_tenant(request, kwargs)
        return super().dispatch(request, *args, **kwargs)

    def resolve_tenant(self, request, kwargs):
        self.tenant = access.get_tenant(kwargs.get("tid"))
        self.access = access.resolve(request.user, self.tenant)
        if not self.access.can_act:
            # Partner staff whose own delegated access here ended are told so; anyone else
            # gets the same 404 as for a tenant that does not exist.
            ended = access.ended_access(request.user, self.tenant)
            if ended is not None:
                raise AccessEnded(ended, tenant=self.tenant)
            raise NotFound()
        # Known to be theirs: a 403 page below may show the tenant's navigation.
        request.tenant = self.tenant
        request.tenant_access = self.access
        method = "GET" if request.method in ("HEAD", "OPTIONS") else request.method
        access.require(request.user, self.tenant, self.required.get(method))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs) if hasattr(super(), "get_context_data") else {}
        context.update(tenant=self.tenant, tenant_access=self.access, **kwargs)
        return context


def fragment_wanted(request) -> bool:
    """An htmx swap asks for the fragment; a history restore needs the full page."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request


def vary_on_htmx(response):
    """Pages that answer htmx with a fragment vary on HX-Request (caches keep both)."""
    response["Vary"] = ", ".join(filter(None, [response.get("Vary"), "HX-Request"]))
    return response


def request_page(request, queryset, per_page: int):
    """The requested page (?page=); a bad or out-of-range number gives the nearest page."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def server_error(request):
    """handler500: an outage that escaped the views (in a middleware) is a 503, not a 500."""
    import sys

    from django.views.defaults import server_error as html_server_error

    from core import outage

    exc = sys.exc_info()[1]
    if outage.is_outage(exc):
        outage.logged(exc, request)
        if request.path.startswith("/api/"):
            return outage.api_response()
        return outage.page_response()
    return html_server_error(request)


def page_not_found(request, exception=None):
    """handler404: the API's JSON error under /api/, the HTML page everywhere else."""
    if request.path.startswith("/api/"):
        from django.http import JsonResponse

        return JsonResponse({"detail": "Not found.", "code": "not_found"}, status=404)
    from django.views.defaults import page_not_found as html_page_not_found

    return html_page_not_found(request, exception)
