from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import HTTP_HEADER_ENCODING, authentication, exceptions

from core.context import current_request
from tenants.models import ApiToken
from tenants.tokens import hash_token


class BearerTokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer <personal access token>`; revoked or expired tokens fail."""

    keyword = "Bearer"

    def authenticate(self, request):
        # META, not request.headers (DRF's helper builds every header's entry to read one).
        header = request.META.get("HTTP_AUTHORIZATION", b"")
        if isinstance(header, str):
            header = header.encode(HTTP_HEADER_ENCODING)
        header = header.split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Malformed Authorization header."))
        try:
            raw = header[1].decode()
        except UnicodeError:
            raise exceptions.AuthenticationFailed(_("Malformed token.")) from None
        token = ApiToken.objects.select_related("user").filter(token_hash=hash_token(raw)).first()
        now = timezone.now()
        if token is None or not token.is_usable(now) or not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("Invalid, revoked or expired token."))
        ctx = current_request.get()
        if ctx is not None:
            ctx.token_tenant_id = token.tenant_id
        # Touch last use at most once a minute: a write per request would be wasteful.
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request):
        return self.keyword


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = BearerTokenAuthentication
    name = "personalAccessToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal access token created on the profile page.",
        }
