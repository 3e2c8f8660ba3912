"""Ending what an account's credentials opened: its personal access tokens, its sessions.

Steps the services run inside their own transaction (a password reset, removing a
member, a password change by its holder, deactivation in the admin), each recording the
count in its one audit event.
"""

from django.db.models import F
from django.utils import timezone

from tenants.models import ApiToken, User


def revoke_tokens(user) -> int:
    """Revoke every live token of user; returns how many."""
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def end_sessions(user) -> None:
    """Sign the account out everywhere: every stored session stops matching."""
    User.objects.filter(pk=user.pk).update(session_generation=F("session_generation") + 1)
