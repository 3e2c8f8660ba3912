from django.db.models import Subquery
from django.urls import reverse

from agreements.models import AgreementAcceptance, AgreementVersion

CUSTOMER = AgreementVersion.Kind.CUSTOMER_AGREEMENT


def current_version(kind: str = CUSTOMER) -> AgreementVersion | None:
    """The newest published version of the agreement, or None before the first."""
    return (
        AgreementVersion.objects.filter(kind=kind, published_at__isnull=False)
        .order_by("-published_at", "-created_at")
        .first()
    )


def get_published_version(version: str, kind: str = CUSTOMER) -> AgreementVersion | None:
    return AgreementVersion.objects.filter(
        kind=kind, version=version, published_at__isnull=False
    ).first()


def acceptance_of(tenant, version: AgreementVersion | None) -> AgreementAcceptance | None:
    if version is None:
        return None
    return (
        AgreementAcceptance.objects.filter(tenant=tenant, version=version)
        .select_related("accepted_by")
        .first()
    )


def has_accepted(tenant, kind: str = CUSTOMER) -> bool:
    """A tenant has accepted when it accepted the newest published version."""
    version = current_version(kind)
    return version is not None and acceptance_of(tenant, version) is not None


def accepted_tenant_ids(tenant_ids, kind: str = CUSTOMER) -> set:
    """Of tenant_ids, those that accepted the newest version (one query, for lists)."""
    newest = (
        AgreementVersion.objects.filter(kind=kind, published_at__isnull=False)
        .order_by("-published_at", "-created_at")
        .values("pk")[:1]
    )
    return set(
        AgreementAcceptance.objects.filter(
            version_id=Subquery(newest), tenant_id__in=list(tenant_ids)
        ).values_list("tenant_id", flat=True)
    )


def reading_url(version) -> str:
    """Where people read a version: its own URL, else Liaison's page of its text."""
    if version is None:
        return ""
    return version.url or reverse("agreement_text", args=[version.version])
