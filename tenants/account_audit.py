"""Account events that django-allauth performs, recorded in the audit log.

Sign up, password and email changes and two-factor changes happen inside allauth's own
views (the account's own act, not a tenant's); each writes one audit event here.
"""

from allauth.account import signals as account_signals
from allauth.mfa import signals as mfa_signals

from audit.services import record

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


def _receiver(action: str):
    def receive(sender, request=None, user=None, **kwargs):
        user = user or getattr(kwargs.get("email_address"), "user", None)
        if user is None or not user.pk:
            return
        after = {}
        if "authenticator" in kwargs:
            after["type"] = getattr(kwargs["authenticator"], "type", "")
        record(action, actor=user, obj=user, after=after)

    return receive


_RECEIVERS = {signal: _receiver(action) for signal, action in EVENTS.items()}


def connect() -> None:
    for signal, receiver in _RECEIVERS.items():
        signal.connect(receiver, dispatch_uid=f"account_audit:{EVENTS[signal]}")
