"""Publishing and accepting the customer agreement."""

import zlib

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements import selectors
from agreements.models import AgreementAcceptance, AgreementVersion
from audit.services import record
from core.context import current_request
from core.errors import InvalidState, ValidationError
from roles import access
from roles.permissions import AGREEMENTS_ACCEPT


def attestation_text(version: AgreementVersion) -> str:
    """The checkbox text shown next to "Accept"; stored with each acceptance as shown."""
    return _(
        "I have read and accept the %(title)s (version %(version)s) on behalf of my organisation."
    ) % {"title": version.title, "version": version.version}


def record_acceptance(*, by, tenant, version: AgreementVersion) -> tuple[AgreementAcceptance, bool]:
    """Write the acceptance row once per tenant and version: (the row, whether this call
    wrote it). The caller checks permission and writes the audit event, only if it wrote
    the row: parallel callers (ten invitations accepted at once) are serialised per tenant
    and version, so one writes and the others find its row."""
    _serialise(tenant, version)
    ctx = current_request.get()
    existing = selectors.acceptance_of(tenant, version)
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            acceptance = AgreementAcceptance.objects.create(
                tenant=tenant,
                version=version,
                accepted_by=by,
                attestation=attestation_text(version),
                name=by.name,
                email=by.email,
                ip=ctx.ip if ctx else None,
                user_agent=ctx.user_agent if ctx else "",
            )
            return acceptance, True
    except IntegrityError:  # a concurrent acceptance won; it is the same fact
        return selectors.acceptance_of(tenant, version), False


# pg_advisory_xact_lock(int, int): this class of lock, and a key per (tenant, version).
_LOCK_CLASS = 0x4C_41_41  # "LAA": Liaison agreement acceptance


def _serialise(tenant, version: AgreementVersion) -> None:
    """Hold a transaction-scoped lock on (tenant, version) until the caller commits.

    PostgreSQL: an advisory lock (a hash collision only serialises two unrelated
    acceptances). SQLite serialises writers itself; a loser meets the unique constraint.
    """
    connection = transaction.get_connection()
    if connection.vendor != "postgresql":
        return
    key = zlib.crc32(f"{tenant.pk}:{version.pk}".encode()) - 2**31  # a signed int4
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_LOCK_CLASS, key])


@transaction.atomic
def accept_agreement(*, by, tenant, version: str, attest: bool) -> AgreementAcceptance:
    """Accept the newest customer agreement for tenant."""
    # The customer agrees for itself: roles delegated to a partner do not count.
    by_access = access.require_own(by, tenant, AGREEMENTS_ACCEPT)
    if attest is not True:
        raise ValidationError(
            _("Confirm that you have read the agreement."),
            code="attestation_required",
            errors={"attest": [_("Tick the box to confirm.")]},
        )
    current = selectors.current_version()
    if current is None:
        raise InvalidState(_("No customer agreement has been published yet."))
    if str(version) != current.version:
        raise ValidationError(
            _("Version %(given)s is not the current agreement (%(current)s).")
            % {"given": version, "current": current.version},
            code="outdated_version",
            errors={"version": [_("Not the current version.")]},
        )
    existing = selectors.acceptance_of(tenant, current)
    if existing is not None:
        return existing
    acceptance, created = record_acceptance(by=by, tenant=tenant, version=current)
    if not created:  # a parallel request accepted it first, and recorded it
        return acceptance
    record(
        "agreement.accepted",
        actor=by,
        target_tenant=tenant,
        obj=acceptance,
        after={"version": current.version, "title": current.title},
        access=by_access,
    )
    return acceptance


@transaction.atomic
def publish_version(*, by, version_id) -> AgreementVersion:
    """Publish a draft version (support staff); tenants are asked to accept it again."""
    access.require_staff(by, "agreements.change_agreementversion")
    version = AgreementVersion.objects.select_for_update().get(pk=version_id)
    if version.is_published:
        return version
    if not (version.body.strip() or version.url):
        raise ValidationError(_("A version needs its text or a URL before it is published."))
    version.published_at = timezone.now()
    version.save(update_fields=["published_at"])
    record(
        "agreement.published",
        actor=by,
        obj=version,
        after={"version": version.version, "title": version.title},
    )
    return version
