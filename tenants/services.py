"""The signed-in user's own settings, in no tenant: API tokens and language.

Tokens are stored as a SHA-256 digest; the raw token is shown once.
"""

import secrets
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record
from core import access
from core.errors import NotFound, ValidationError
from core.scoping import get_in_tenant_or_404
from tenants import credentials, tokens
from tenants.models import ApiToken, Tenant, User
from tenants.tokens import TOKEN_PREFIX, hash_token


def _token_tenant(by: User, tenant_id, scopes) -> Tenant | None:
    """The tenant a token is bound to: one the user acts in (Graph scopes: as a member)."""
    if tenant_id in (None, ""):
        if set(scopes) & tokens.NEEDS_TENANT:
            raise ValidationError(
                _("A token for the Graph API names the partner tenant it works for."),
                errors={"tenant_id": [_("Required with these scopes.")]},
            )
        return None
    try:
        tenant = access.get_tenant(tenant_id)
    except NotFound:
        tenant = None
    tenant_access = access.resolve(by, tenant) if tenant is not None else None
    if tenant_access is None or not tenant_access.can_act:
        raise ValidationError(
            _("Choose a tenant you work in."), errors={"tenant_id": [_("Not one of yours.")]}
        )
    if set(scopes) & tokens.NEEDS_TENANT and not tenant_access.is_member:
        raise ValidationError(
            _("A token for the Graph API is bound to your own partner tenant."),
            errors={"tenant_id": [_("You are not a member of this tenant.")]},
        )
    return tenant


@transaction.atomic
def create_api_token(
    *,
    by: User,
    name: str,
    expires_at: datetime | None = None,
    tenant_id=None,
    scopes=None,
) -> tuple[ApiToken, str]:
    """Create a personal access token; the raw token is returned once and never stored.

    Optionally bound to one tenant the user works in, and narrowed to scopes
    (tenants.tokens.SCOPES; the default is Liaison.ReadWrite).
    """
    name = (name or "").strip()
    if not name:
        raise ValidationError(_("A name is required."), errors={"name": [_("Required.")]})
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError(
            _("The expiry must be in the future."),
            errors={"expires_at": [_("Must be in the future.")]},
        )
    wanted = tokens.canonical_scopes(scopes or tokens.DEFAULT_SCOPES)
    if not wanted:
        raise ValidationError(
            _("Unknown scope."),
            errors={"scopes": [_("Choose among: %(s)s.") % {"s": ", ".join(tokens.SCOPES)}]},
        )
    tenant = _token_tenant(by, tenant_id, wanted)
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=by,
        name=name[:100],
        prefix=raw[: len(TOKEN_PREFIX) + 6],
        token_hash=hash_token(raw),
        expires_at=expires_at,
        tenant=tenant,
        scopes=wanted,
    )
    record(
        "api_token.created",
        actor=by,
        target_tenant=tenant,
        obj=token,
        after={"name": token.name, "expires_at": expires_at, "scopes": wanted},
    )
    return token, raw


@transaction.atomic
def revoke_api_token(*, by: User, token_id) -> ApiToken:
    """Revoke one of the user's tokens; revoking twice changes nothing."""
    token = get_in_tenant_or_404(
        ApiToken.objects.select_for_update(), by, tenant_field="user", pk=token_id
    )
    if token.revoked_at:
        return token
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    record("api_token.revoked", actor=by, obj=token, after={"name": token.name})
    return token


@transaction.atomic
def set_language(*, by: User, language: str) -> None:
    """Remember the user's language for pages and mail."""
    if language not in dict(settings.LANGUAGES):
        raise ValidationError(_("Unknown language."))
    if by.language == language:
        return
    before = by.language
    User.objects.filter(pk=by.pk).update(language=language)
    by.language = language
    record(
        "user.language_changed",
        actor=by,
        obj=by,
        before={"language": before},
        after={"language": language},
    )


@transaction.atomic
def record_password_change(*, user: User, action: str) -> int:
    """The holder set a new password (allauth): its tokens end with the old one."""
    revoked = credentials.revoke_tokens(user)
    record(action, actor=user, obj=user, after={"tokens_revoked": revoked})
    return revoked


@transaction.atomic
def revoke_credentials_as_support(*, by: User, user: User, reason: str) -> int:
    """Support staff changed the account's password or deactivated it (Django admin): its
    tokens and sessions end. Returns how many tokens were revoked."""
    revoked = credentials.revoke_tokens(user)
    credentials.end_sessions(user)
    record(
        "user.credentials_revoked",
        actor=by,
        obj=user,
        after={"reason": reason, "tokens_revoked": revoked},
    )
    return revoked
