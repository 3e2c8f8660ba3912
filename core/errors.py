"""Domain errors: raised by services and selectors, mapped once for the API and once for HTML."""

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    status_code = 400
    code = "invalid"
    default_detail = _("The request is not valid.")

    def __init__(self, detail=None, *, code: str | None = None, errors: dict | None = None):
        self.detail = str(detail if detail is not None else self.default_detail)
        if code:
            self.code = code
        self.errors = errors or {}
        super().__init__(self.detail)


class ValidationError(DomainError):
    """Bad input: 400, with per-field errors when there are any."""


class PermissionDenied(DomainError):
    status_code = 403
    code = "permission_denied"
    default_detail = _("You do not have permission to do this.")


class NotFound(DomainError):
    status_code = 404
    code = "not_found"
    default_detail = _("Not found.")


class InvalidState(DomainError):
    status_code = 409
    code = "invalid_state"
    default_detail = _("The object is in a state that does not allow this.")


class RateLimited(DomainError):
    status_code = 429
    code = "rate_limited"
    default_detail = _("Too many requests. Try again later.")


class AccessEnded(PermissionDenied):
    """A tenant page opened by partner staff whose own delegated access there has ended.

    Raised only when the resolver says so (core.access.ended_access); `ended` says how and
    since when. Anyone else gets NotFound, as for any tenant that is not theirs.
    """

    code = "access_ended"
    default_detail = _("Your delegated access to this tenant has ended.")

    def __init__(self, ended, *, tenant, detail=None):
        self.ended = ended
        self.tenant = tenant
        super().__init__(detail)


class PreconditionFailed(DomainError):
    """An If-Match (or expected version) that no longer matches: someone changed it first."""

    status_code = 412
    code = "precondition_failed"
    default_detail = _("The object has changed since you read it. Read it again and retry.")


class IdempotencyKeyReused(DomainError):
    """An Idempotency-Key sent again with another request body: 422, nothing done."""

    status_code = 422
    code = "idempotency_key_reused"
    default_detail = _(
        "This Idempotency-Key was already used with another request body. Use a new key "
        "for a new request."
    )
