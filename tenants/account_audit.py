"""Account events that django-allauth performs, recorded in the audit log.

Sign-ins and failed sign-ins, sign up, password and email changes and two-factor changes
happen inside allauth's own views (the account's own act, not a tenant's); each writes one
audit event here, with the IP and user agent the request context carries.
"""

from allauth.account import signals as account_signals
from allauth.mfa import signals as mfa_signals
from django.contrib.auth.signals import user_login_failed

from audit.services import record
from core.context import current_request
from tenants import services
from tenants.models import User

EVENTS = {
    account_signals.user_signed_up: "user.signed_up",
    account_signals.password_changed: "user.password_changed",
    account_signals.password_set: "user.password_set",
    account_signals.password_reset: "user.password_reset_by_link",
    account_signals.email_confirmed: "user.email_confirmed",
    account_signals.email_changed: "user.email_changed",
    mfa_signals.authenticator_added: "user.mfa_added",
    mfa_signals.authenticator_removed: "user.mfa_removed",
    mfa_signals.authenticator_reset: "user.mfa_reset",
}


# A new password ends the account's tokens (its other sessions end with the old hash).
PASSWORD_EVENTS = {"user.password_changed", "user.password_set", "user.password_reset_by_link"}


def _receiver(action: str):
    def receive(sender, request=None, user=None, **kwargs):
        user = user or getattr(kwargs.get("email_address"), "user", None)
        if user is None or not user.pk:
            return
        if action in PASSWORD_EVENTS:
            services.record_password_change(user=user, action=action)
            return
        after = {}
        if "authenticator" in kwargs:
            after["type"] = getattr(kwargs["authenticator"], "type", "")
        record(action, actor=user, obj=user, after=after)

    return receive


_RECEIVERS = {signal: _receiver(action) for signal, action in EVENTS.items()}


def _user_agent() -> str:
    ctx = current_request.get()
    return ctx.user_agent if ctx else ""


def _signed_in(sender, request=None, user=None, **kwargs):
    """allauth's sign-in (the login page, the admin's): who, from where, with what."""
    if user is not None and user.pk:
        record("user.signed_in", actor=user, obj=user, after={"user_agent": _user_agent()})


def _sign_in_failed(sender, credentials=None, request=None, **kwargs):
    """A failed attempt, named by the identifier tried (never the password)."""
    credentials = credentials or {}
    tried = str(credentials.get("email") or credentials.get("username") or "")[:254]
    if not tried:
        return
    target = User.objects.filter(email__iexact=tried).first()
    record(
        "user.sign_in_failed",
        actor_email=tried,
        obj=target,
        after={"user_agent": _user_agent()},
    )


def connect() -> None:
    for signal, receiver in _RECEIVERS.items():
        signal.connect(receiver, dispatch_uid=f"account_audit:{EVENTS[signal]}")
    account_signals.user_logged_in.connect(_signed_in, dispatch_uid="account_audit:signed_in")
    user_login_failed.connect(_sign_in_failed, dispatch_uid="account_audit:sign_in_failed")
