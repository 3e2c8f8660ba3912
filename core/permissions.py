"""DRF permission shared by every endpoint: what a personal access token may reach.

Kept apart from core.api: DRF reads DEFAULT_PERMISSION_CLASSES while APIView is being
defined, so this module must not import rest_framework.views.
"""

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework.permissions import SAFE_METHODS, BasePermission

from core import errors


class TokenScopePermission(BasePermission):
    """A personal access token reaches what its scopes allow (tenants.tokens): a read scope
    safe methods only, and only the API surface it names. Views that manage credentials
    (`session_only`) refuse tokens: a token cannot mint or list tokens. Sessions pass."""

    def has_permission(self, request, view) -> bool:
        token = request.auth
        if token is None or not hasattr(token, "allows"):
            return True
        if getattr(view, "session_only", False):
            raise errors.PermissionDenied(
                _("Sign in with a browser session to manage tokens."), code="session_required"
            )
        write = request.method not in SAFE_METHODS
        if not token.allows(surface=getattr(view, "token_surface", "api"), write=write):
            raise errors.PermissionDenied(
                _("This token's scopes do not allow this."), code="insufficient_scope"
            )
        return True


class DocsPermission(BasePermission):
    """The OpenAPI schema and its docs: signed-in users, or anyone with API_DOCS_PUBLIC."""

    def has_permission(self, request, view) -> bool:
        if getattr(settings, "API_DOCS_PUBLIC", False):
            return True
        return bool(request.user and request.user.is_authenticated)
