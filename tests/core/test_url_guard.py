"""The safe path is the only path: every view is tenant-based or explicitly public."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from core.api import TenantAPIView
from core.views import TenantView

TENANT_BASES = (TenantView, TenantAPIView)

# Views that are not tenant-based, on purpose. Anything else found in the URLconf fails.
PUBLIC_MODULE_PREFIXES = (
    "allauth.",  # sign in/up/out, password reset, email verification, MFA
    "django.contrib.admin.",  # support staff (Django admin, its own permissions)
)
# Inside the admin namespace only: UserAdmin's password view, "view on site", and the
# admin's redirect of old change URLs.
PUBLIC_ADMIN_MODULES = (
    "django.contrib.auth.admin",
    "tenants.admin",  # UserAdmin's password view, overridden to end the account's tokens
    "django.contrib.contenttypes.views",
    "django.views.generic.base",
)
PUBLIC_URL_NAMES = {
    # API: the schema and docs, and endpoints about the signed-in user, not a tenant
    "api-schema",
    "api-docs",
    "api-me",
    "api-tokens",
    "api-token-detail",
    "api-membership-invitations",  # the signed-in account's own invitations
    "api-membership-invitation-accept",
    "api-membership-invitation-decline",
    "api-roles",
    "api-tenants",  # POST /tenants: create one
    "api-products",  # the product catalog: the same for every signed-in user
    # HTML pages that belong to no tenant
    "home",
    "tenant_create",
    "api_tokens",
    "api_token_revoke",  # the signed-in user's own token (scoped to request.user)
    "membership_invitations",  # the signed-in account's own invitations to join tenants
    "sign_ins",  # the signed-in account's own sign-in history
    "set_language",
    "agreement_text",  # the published customer agreement: a public document
    # The partner directory: public reads (shared/API.md); "contact" names its customer
    # tenant in the body and checks it with the resolver itself.
    "api-directory-partners",
    "api-directory-partner",
    "api-directory-facets",
    "api-directory-contact",
    "directory",
    "directory_partner",
    "directory_contact",
    # Invitations by token: the customer's tenant travels in the body (accept/decline)
    # or is chosen on the page, and the services check it with the resolver.
    "api-invitation",
    "api-invitation-accept",
    "api-invitation-decline",
    "invitation_landing",
    # The same page by GDAP relationship id: the view opens it to the customer's own
    # administrators only (the resolver's has_own), a 404 for everyone else.
    "gdap_relationship_approval",
    # static files and JavaScript translations
    "javascript-catalog",
    "static",
}

PARAM = re.compile(r"<(?:\w+:)?(\w+)>")


def _walk(resolver, prefix="", namespace=None):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern, prefix + str(pattern.pattern), pattern.namespace or namespace)
        else:
            assert isinstance(pattern, URLPattern)
            yield prefix + str(pattern.pattern), pattern.name, namespace, pattern.callback


def _view_class(callback):
    return getattr(callback, "view_class", None) or getattr(callback, "cls", None)


def _is_tenant_based(callback) -> bool:
    view_class = _view_class(callback)
    return view_class is not None and issubclass(view_class, TENANT_BASES)


def _is_public(route, name, namespace, callback) -> bool:
    module = getattr(_view_class(callback) or callback, "__module__", "") or ""
    if module.startswith(PUBLIC_MODULE_PREFIXES):
        return True
    if namespace == "admin" and module.startswith(PUBLIC_ADMIN_MODULES):
        return True
    return name in PUBLIC_URL_NAMES


ALL_PATTERNS = list(_walk(get_resolver()))


def test_the_walk_sees_the_whole_urlconf():
    names = {name for _r, name, _n, _c in ALL_PATTERNS}
    assert {"tenant_home", "api-users", "account_login", "home"} <= names
    assert any(namespace == "admin" for _r, _n, namespace, _c in ALL_PATTERNS)


def test_every_view_is_tenant_based_or_explicitly_public():
    unguarded = [
        f"{route} (name={name!r}, view={_view_class(callback) or callback})"
        for route, name, namespace, callback in ALL_PATTERNS
        if not _is_tenant_based(callback) and not _is_public(route, name, namespace, callback)
    ]

    assert not unguarded, "Views neither tenant-based nor on the allow-list:\n" + "\n".join(
        unguarded
    )


def test_every_url_with_a_tenant_id_is_tenant_based():
    offenders = [
        f"{route} (name={name!r})"
        for route, name, _namespace, callback in ALL_PATTERNS
        if "tid" in PARAM.findall(route) and not _is_tenant_based(callback)
    ]

    assert not offenders


def test_every_declared_permission_is_one_the_resolver_knows():
    from roles.permissions import CAPABILITIES, PERMISSIONS

    known = set(PERMISSIONS) | set(CAPABILITIES) | {None}
    unknown = []
    for route, _name, _namespace, callback in ALL_PATTERNS:
        if not _is_tenant_based(callback):
            continue
        for method, wanted in _view_class(callback).required.items():
            for perm in wanted if isinstance(wanted, tuple) else (wanted,):
                if perm not in known:
                    unknown.append(f"{method} {route}: {perm!r}")
    assert not unknown


def test_nothing_on_the_allow_list_takes_a_tenant_id():
    for route, name, namespace, callback in ALL_PATTERNS:
        if not _is_tenant_based(callback) and _is_public(route, name, namespace, callback):
            assert "tid" not in PARAM.findall(route), route


# The base classes refuse subclasses that would skip the checks ----------------------------


@pytest.mark.parametrize(
    "method", ["initial", "check_permissions", "get_permissions", "permission_classes", "dispatch"]
)
def test_tenant_api_view_subclass_may_not_override_the_guard(method):
    with pytest.raises(TypeError, match="may not override"):
        type("SneakyView", (TenantAPIView,), {"required": {}, method: lambda self, *a, **k: None})


def test_tenant_api_view_subclass_must_declare_each_handler():
    with pytest.raises(TypeError, match="does not declare POST"):

        class UndeclaredView(TenantAPIView):
            required = {"GET": "users.read"}

            def get(self, request, tid):
                pass

            def post(self, request, tid):
                pass


def test_tenant_api_view_subclass_inherits_handlers_and_must_declare_them():
    class BaseList(TenantAPIView):
        required = {"GET": "users.read"}

        def get(self, request, tid):
            pass

    with pytest.raises(TypeError, match="does not declare GET"):

        class Child(BaseList):
            required = {"POST": "users.manage"}

            def post(self, request, tid):
                pass


def test_well_formed_tenant_api_view_subclass_is_accepted():
    class FineView(TenantAPIView):
        required = {"GET": None, "DELETE": "users.manage"}

        def get(self, request, tid):
            pass

        def delete(self, request, tid):
            pass

    assert FineView.required["DELETE"] == "users.manage"


@pytest.mark.parametrize("method", ["dispatch", "resolve_tenant"])
def test_tenant_view_subclass_may_not_override_the_guard(method):
    with pytest.raises(TypeError, match="may not override"):
        type("SneakyPage", (TenantView,), {"required": {}, method: lambda self, *a, **k: None})


def test_tenant_view_subclass_must_declare_each_handler():
    with pytest.raises(TypeError, match="does not declare POST"):

        class UndeclaredPage(TenantView):
            required = {"GET": None}

            def get(self, request, tid):
                pass

            def post(self, request, tid):
                pass
