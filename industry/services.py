"""State changes of industry apps: an industry partner submits, the customer decides.

Submitting needs the `industry_apps.submit` capability (the industry_partner relationship
type in force, held by the partner's managers); approving and rejecting need
APPROVE_PERMISSION in the customer tenant. Each service: one transaction, one audit event,
mail through the outbox on commit.
"""

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record
from core.errors import InvalidState, ValidationError
from core.scoping import get_in_tenant_or_404
from core.statemachine import transition
from industry.models import IndustryApp
from roles import access
from roles.notify import notify_admins
from roles.permissions import INDUSTRY_APPS_APPROVE, INDUSTRY_APPS_SUBMIT, PARTNERS_MANAGE
from tenants.models import Tenant, User

# "The customer's Global Administrator approves or rejects each": a permission only Global
# Administrator holds (roles/permissions.py).
APPROVE_PERMISSION = INDUSTRY_APPS_APPROVE

Status = IndustryApp.Status

TRANSITIONS = {
    (Status.SUBMITTED, "approve"): Status.APPROVED,
    (Status.SUBMITTED, "reject"): Status.REJECTED,
}

LIMITS = {"name": 200, "version": 50, "summary": 2000, "link": 500}
NOTE_MAX = 2000


def _clean(fields: dict) -> dict:
    errors, cleaned = {}, {}
    for name, limit in LIMITS.items():
        value = fields.get(name)
        value = value.strip() if isinstance(value, str) else ""
        if not value:
            errors[name] = [_("Required.")]
        elif len(value) > limit:
            errors[name] = [_("At most %(n)d characters.") % {"n": limit}]
        cleaned[name] = value
    if "link" not in errors:
        try:
            URLValidator(schemes=["https", "http"])(cleaned["link"])
        except DjangoValidationError:
            errors["link"] = [_("Enter a web address (https://…).")]
    if errors:
        raise ValidationError(_("Check the highlighted fields."), errors=errors)
    return cleaned


def _app_url(name, tenant_id, app_id=None) -> str:
    args = [tenant_id] + ([app_id] if app_id else [])
    return settings.SITE_URL + reverse(name, args=args)


@transaction.atomic
def submit_app(*, by: User, tenant: Tenant, partner_tenant_id=None, **fields) -> IndustryApp:
    """An industry partner's manager submits an app for the customer's approval."""
    by_access = access.require(by, tenant, INDUSTRY_APPS_SUBMIT)
    partner_id = access.capability_partner(by_access, INDUSTRY_APPS_SUBMIT, partner_tenant_id)
    cleaned = _clean(fields)
    pending = IndustryApp.objects.filter(
        tenant=tenant,
        partner_id=partner_id,
        name=cleaned["name"],
        version=cleaned["version"],
        status=Status.SUBMITTED,
    )
    if pending.exists():
        raise InvalidState(_("This version of the app is already awaiting a decision."))
    app = IndustryApp.objects.create(
        tenant=tenant, partner_id=partner_id, submitted_by=by, **cleaned
    )
    record(
        "industry_app.submitted",
        actor=by,
        target_tenant=tenant,
        acting_tenant=partner_id,
        obj=app,
        after={**cleaned, "status": app.status},
        access=by_access,
    )
    partner_name = Tenant.objects.filter(pk=partner_id).values_list("name", flat=True).first()
    notify_admins(
        tenant=tenant,
        permission=APPROVE_PERMISSION,
        template="industry_app_submitted",
        context={
            "tenant_name": tenant.name,
            "partner_name": partner_name or "",
            "actor": by.name,
            "app_name": app.name,
            "version": app.version,
            "summary": app.summary,
            "link": app.link,
            "app_url": _app_url("industry_app", tenant.pk, app.pk),
        },
    )
    return app


def _decide(*, by, tenant, app_id, event: str, note: str) -> IndustryApp:
    # The customer decides for itself: a partner's delegated roles never approve its apps.
    by_access = access.require_own(by, tenant, APPROVE_PERMISSION)
    app = get_in_tenant_or_404(
        IndustryApp.objects.select_for_update(of=("self",)).select_related("partner"),
        tenant,
        pk=app_id,
    )
    note = note.strip() if isinstance(note, str) else ""
    if len(note) > NOTE_MAX:
        raise ValidationError(
            _("Check the highlighted fields."),
            errors={"note": [_("At most %(n)d characters.") % {"n": NOTE_MAX}]},
        )
    before = app.status
    transition(app, event, TRANSITIONS)
    app.decided_by = by
    app.decided_at = timezone.now()
    app.decision_note = note
    app.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    record(
        f"industry_app.{app.status}",
        actor=by,
        target_tenant=tenant,
        obj=app,
        before={"status": before},
        after={"status": app.status, "note": note},
        access=by_access,
    )
    notify_admins(
        tenant=app.partner,
        permission=PARTNERS_MANAGE,
        template="industry_app_decided",
        context={
            "tenant_name": tenant.name,
            "app_name": app.name,
            "version": app.version,
            "approved": app.status == Status.APPROVED,
            "note": note,
            "apps_url": _app_url("partner_customer_industry_apps", app.partner_id, tenant.pk),
        },
    )
    return app


@transaction.atomic
def approve_app(*, by: User, tenant: Tenant, app_id, note: str = "") -> IndustryApp:
    """The customer approves a submitted industry app."""
    return _decide(by=by, tenant=tenant, app_id=app_id, event="approve", note=note)


@transaction.atomic
def reject_app(*, by: User, tenant: Tenant, app_id, note: str = "") -> IndustryApp:
    """The customer rejects a submitted industry app."""
    return _decide(by=by, tenant=tenant, app_id=app_id, event="reject", note=note)


def allowed_events(app) -> list[str]:
    """The decisions the app's status allows (for buttons)."""
    return [event for (source, event) in TRANSITIONS if source == app.status]
