"""State changes of support requests: open, comment, close, reopen.

Each service: one transaction, `support.manage` in the tenant through the access resolver
(own roles or delegated GDAP roles), exactly one audit event (a delegated one records the
partner tenant and the relationship), mail queued through the outbox on commit.
"""

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record
from core.errors import ValidationError
from core.scoping import get_in_tenant_or_404
from core.statemachine import transition
from notifications.services import queue_mail
from roles import access
from roles.permissions import SUPPORT_MANAGE
from support.models import SupportComment, SupportRequest
from tenants.models import Tenant, User

Status = SupportRequest.Status

TRANSITIONS = {
    (Status.OPEN, "close"): Status.CLOSED,
    (Status.CLOSED, "reopen"): Status.OPEN,
}

TITLE_MAX = 200
TEXT_MAX = 10000


def _text(value, field: str, *, limit: int) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError(_("Check the highlighted fields."), errors={field: [_("Required.")]})
    if len(value) > limit:
        raise ValidationError(
            _("Check the highlighted fields."),
            errors={field: [_("At most %(n)d characters.") % {"n": limit}]},
        )
    return value


def _lock(tenant, request_id) -> SupportRequest:
    return get_in_tenant_or_404(SupportRequest.objects.select_for_update(), tenant, pk=request_id)


def _notify(tenant, *, by, template: str, context: dict) -> None:
    """Mail the tenant's support.manage holders, except the person who acted."""
    for email, language in access.holders(tenant, SUPPORT_MANAGE):
        if email == by.email:
            continue
        queue_mail(to=email, template=template, context=context, language=language or None)


def _mail_context(tenant, support_request, by, partner_name) -> dict:
    path = reverse("support_request", args=[tenant.pk, support_request.pk])
    return {
        "tenant_name": tenant.name,
        "title": support_request.title,
        "actor": by.name,
        "partner_name": partner_name or "",
        "request_url": settings.SITE_URL + path,
    }


def _partner_name(partner_id) -> str:
    if partner_id is None:
        return ""
    return Tenant.objects.filter(pk=partner_id).values_list("name", flat=True).first() or ""


@transaction.atomic
def create_request(
    *, by: User, tenant: Tenant, title: str, description: str, severity: str = ""
) -> SupportRequest:
    """Open a support request in tenant."""
    by_access = access.require(by, tenant, SUPPORT_MANAGE)
    title = _text(title, "title", limit=TITLE_MAX)
    description = _text(description, "description", limit=TEXT_MAX)
    severity = severity or SupportRequest.Severity.NORMAL
    if severity not in SupportRequest.Severity.values:
        raise ValidationError(
            _("Check the highlighted fields."),
            errors={
                "severity": [
                    _("Choose one of: %(s)s.") % {"s": ", ".join(SupportRequest.Severity.values)}
                ]
            },
        )
    partner_id = access.acting_partner(by_access)
    support_request = SupportRequest.objects.create(
        tenant=tenant,
        title=title,
        description=description,
        severity=severity,
        created_by=by,
        acting_partner_id=partner_id,
    )
    record(
        "support_request.created",
        actor=by,
        target_tenant=tenant,
        obj=support_request,
        after={"title": title, "severity": severity, "status": support_request.status},
        access=by_access,
    )
    context = _mail_context(tenant, support_request, by, _partner_name(partner_id))
    context["severity"] = support_request.get_severity_display()
    context["description"] = description
    _notify(tenant, by=by, template="support_request_created", context=context)
    return support_request


@transaction.atomic
def add_comment(*, by: User, tenant: Tenant, request_id, body: str) -> SupportComment:
    """Add a comment to a support request (open or closed)."""
    by_access = access.require(by, tenant, SUPPORT_MANAGE)
    support_request = _lock(tenant, request_id)
    body = _text(body, "body", limit=TEXT_MAX)
    partner_id = access.acting_partner(by_access)
    comment = SupportComment.objects.create(
        request=support_request, author=by, body=body, acting_partner_id=partner_id
    )
    # Touch the request: its "updated" time is the thread's last activity.
    support_request.save(update_fields=["updated_at"])
    record(
        "support_request.commented",
        actor=by,
        target_tenant=tenant,
        obj=support_request,
        after={"comment_id": comment.pk, "length": len(body)},
        access=by_access,
    )
    context = _mail_context(tenant, support_request, by, _partner_name(partner_id))
    context["body"] = body
    _notify(tenant, by=by, template="support_request_commented", context=context)
    return comment


@transaction.atomic
def close_request(*, by: User, tenant: Tenant, request_id) -> SupportRequest:
    """Close an open support request."""
    by_access = access.require(by, tenant, SUPPORT_MANAGE)
    support_request = _lock(tenant, request_id)
    before = support_request.status
    transition(support_request, "close", TRANSITIONS)
    support_request.closed_at = timezone.now()
    support_request.closed_by = by
    support_request.save(update_fields=["status", "closed_at", "closed_by", "updated_at"])
    record(
        "support_request.closed",
        actor=by,
        target_tenant=tenant,
        obj=support_request,
        before={"status": before},
        after={"status": support_request.status},
        access=by_access,
    )
    return support_request


@transaction.atomic
def reopen_request(*, by: User, tenant: Tenant, request_id) -> SupportRequest:
    """Reopen a closed support request."""
    by_access = access.require(by, tenant, SUPPORT_MANAGE)
    support_request = _lock(tenant, request_id)
    before = support_request.status
    transition(support_request, "reopen", TRANSITIONS)
    support_request.closed_at = None
    support_request.closed_by = None
    support_request.save(update_fields=["status", "closed_at", "closed_by", "updated_at"])
    record(
        "support_request.reopened",
        actor=by,
        target_tenant=tenant,
        obj=support_request,
        before={"status": before},
        after={"status": support_request.status},
        access=by_access,
    )
    return support_request


def allowed_events(support_request) -> list[str]:
    """The moves the request's status allows (for buttons)."""
    return [event for (source, event) in TRANSITIONS if source == support_request.status]
