"""State changes of leads: a customer's "Contact me" and the partner moving it along.

Each service: one transaction, a permission check, exactly one audit event when something
changed, mail through the outbox.
"""

import uuid
from collections import Counter
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from audit.services import record
from core.errors import InvalidState, NotFound, PermissionDenied, RateLimited, ValidationError
from core.scoping import get_in_tenant_or_404
from core.statemachine import transition
from core.text import lazy_text
from notifications.services import queue_mail
from partners import search
from partners.models import LEAD_TRANSITIONS, Industry, Lead, OrganizationSize, PartnerProfile
from partners.services.directory import clean_country, clean_email, clean_text
from roles import access
from roles.permissions import PARTNERS_MANAGE
from tenants.models import Tenant, User

LEAD_DUPLICATE_WINDOW = timedelta(hours=24)
LEAD_RATE_WINDOW = timedelta(hours=1)
LEAD_RATE_LIMIT = 10


# "Contact me" ---------------------------------------------------------------------------


def _require_admin_of_sender(by: User, tenant_id) -> None:
    """ "Contact me" speaks for the organisation: its own partners.manage holders only."""
    if not tenant_id:
        return  # reported with the other fields
    customer = Tenant.objects.filter(pk=tenant_id).first() if _is_uuid(tenant_id) else None
    if customer is None or not access.resolve(by, customer).has_own(PARTNERS_MANAGE):
        # The same answer for a tenant that is not yours and one you may not speak for.
        raise PermissionDenied(
            _("Only your organisation's Global or Billing Administrators ask partners to call.")
        )


def _clean_lead(by: User, partner: PartnerProfile, data: dict) -> dict:
    errors: dict[str, list[str]] = {}
    cleaned: dict = {}
    customer = None
    raw_tenant = data.get("tenant_id")
    if not raw_tenant:
        errors["tenant_id"] = [_("This field is required.")]
    else:
        customer = Tenant.objects.filter(pk=raw_tenant).first() if _is_uuid(raw_tenant) else None
        if customer is None or not access.resolve(by, customer).is_member:
            errors["tenant_id"] = [_("Choose a tenant you are a member of.")]
            customer = None
        elif customer.pk == partner.pk:
            errors["tenant_id"] = [_("A partner cannot contact itself.")]
    cleaned["customer"] = customer
    cleaned["country"] = clean_country(errors, "country", data.get("country"))
    for key, max_length, required in (
        ("city", 100, True),
        ("contact_name", 150, True),
        ("phone", 40, False),
        ("org_name", 200, True),
    ):
        cleaned[key] = clean_text(errors, data, key, max_length=max_length, required=required)
    cleaned["email"] = clean_email(errors, "email", data.get("email"))
    cleaned["business_needs"] = clean_text(
        errors, data, "business_needs", max_length=4000, required=True, multiline=True
    )
    for key, model in (("org_size", OrganizationSize), ("industry", Industry)):
        slug = str(data.get(key) or "").strip()
        item = model.objects.filter(slug=slug).first() if slug else None
        if item is None:
            errors[key] = [_("Choose a value from the list.")]
        cleaned[key] = item
    if errors:
        raise ValidationError(_("Check the highlighted fields."), errors=errors)
    return cleaned


def _is_uuid(value) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


def _partner_language(partner_id, lead_email: str) -> str:
    """The language of the lead mailbox's owner, else of the partner's admins, else English."""
    owner = (
        User.objects.filter(email__iexact=lead_email)
        .exclude(language="")
        .values_list("language", flat=True)
        .first()
    )
    if owner:
        return owner
    languages = Counter(
        language for _email, language in access.holders(partner_id, PARTNERS_MANAGE) if language
    )
    return languages.most_common(1)[0][0] if languages else "en"


@transaction.atomic
def submit_lead(*, by: User, partner_id, data: dict) -> Lead:
    """A customer's "Contact me" to a listed partner: stored, mailed, confirmed."""
    try:
        partner = search.listed().select_related("tenant").get(pk=partner_id)
    except (PartnerProfile.DoesNotExist, DjangoValidationError, ValueError, TypeError):
        raise NotFound(_("No such partner in the directory.")) from None
    _require_admin_of_sender(by, data.get("tenant_id"))
    cleaned = _clean_lead(by, partner, data)
    customer = cleaned.pop("customer")
    # Serialise submissions of the same tenant and the same user (no-ops on SQLite, whose
    # writers are serialised anyway), so that the two limits below hold under concurrency.
    Tenant.objects.select_for_update().filter(pk=customer.pk).first()
    User.objects.select_for_update().filter(pk=by.pk).first()
    now = timezone.now()
    recent = Lead.objects.filter(submitted_by=by, created_at__gte=now - LEAD_RATE_WINDOW).count()
    if recent >= LEAD_RATE_LIMIT:
        raise RateLimited(
            _("You sent %(n)d contact requests in the last hour. Please try again later.")
            % {"n": LEAD_RATE_LIMIT}
        )
    if Lead.objects.filter(
        customer=customer, partner_id=partner.pk, created_at__gte=now - LEAD_DUPLICATE_WINDOW
    ).exists():
        raise InvalidState(
            _(
                "%(tenant)s already asked %(partner)s to get in touch in the last 24 hours. "
                "The partner will contact you; you can send another request after that."
            )
            % {"tenant": customer.name, "partner": partner.name},
            code="duplicate_lead",
        )
    lead = Lead.objects.create(partner_id=partner.pk, customer=customer, submitted_by=by, **cleaned)
    record(
        "lead.submitted",
        actor=by,
        target_tenant=partner.tenant,
        acting_tenant=customer,
        obj=lead,
        after={"partner": partner.name, "customer": customer.name, "email": lead.email},
    )
    context = {
        "partner_name": partner.name,
        "customer_name": customer.name,
        "lead": lead,
        # Lazy: each mail renders them in its recipient's language.
        "org_size": lazy_text(gettext, cleaned["org_size"].name),
        "industry": lazy_text(gettext, cleaned["industry"].name),
        "country_name": lazy_text(lambda: str(lead.country.name)),
        "lead_url": settings.SITE_URL + reverse("partner_lead", args=[partner.pk, lead.pk]),
        "partner_url": settings.SITE_URL + reverse("directory_partner", args=[partner.pk]),
    }
    queue_mail(
        to=partner.lead_email,
        template="lead_received",
        context=context,
        language=_partner_language(partner.pk, partner.lead_email),
    )
    queue_mail(
        to=by.email, template="lead_confirmation", context=context, language=by.language or None
    )
    return lead


# Leads inbox ----------------------------------------------------------------------------


@transaction.atomic
def change_lead_status(*, by: User, tenant: Tenant, lead_id, status: str) -> Lead:
    """Move a lead along new -> contacted -> converted | closed."""
    by_access = access.require_own(by, tenant, PARTNERS_MANAGE)
    if status not in Lead.Status.values:
        raise ValidationError(
            _("Unknown status."),
            errors={"status": [_("Choose one of: %(s)s.") % {"s": ", ".join(Lead.Status.values)}]},
        )
    lead = get_in_tenant_or_404(
        Lead.objects.select_for_update(), tenant, tenant_field="partner", pk=lead_id
    )
    if lead.status == status:
        return lead
    event = next(
        (
            e
            for (source, e), target in LEAD_TRANSITIONS.items()
            if source == lead.status and target == status
        ),
        None,
    )
    if event is None:
        raise InvalidState(
            _("A lead that is %(current)s cannot become %(target)s.")
            % {"current": Lead.Status(lead.status).label, "target": Lead.Status(status).label}
        )
    before = lead.status
    transition(lead, event, LEAD_TRANSITIONS)
    lead.status_changed_at = timezone.now()
    lead.save(update_fields=["status", "status_changed_at"])
    record(
        f"lead.{lead.status}",
        actor=by,
        target_tenant=tenant,
        obj=lead,
        before={"status": before},
        after={"status": lead.status},
        access=by_access,
    )
    return lead
