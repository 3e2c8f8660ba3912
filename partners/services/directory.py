"""State changes of the directory: partner profiles, certification, curated values.

Each service: one transaction, a permission check, exactly one audit event when something
changed.
"""

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_countries import countries as country_registry

from audit.services import record
from core.errors import NotFound, ValidationError
from partners import directory_cache, relationship_types, search
from partners.models import (
    Industry,
    ListingFacet,
    OrganizationSize,
    PartnerProfile,
    Product,
    Service,
)
from roles import access
from roles.permissions import PARTNERS_MANAGE
from tenants.models import Tenant, User

CERTIFY_PERMISSION = "partners.change_partnerprofile"

CURATED_FIELDS = {
    "industries": Industry,
    "products": Product,
    "services": Service,
    "org_sizes": OrganizationSize,
}


# Partner profile ------------------------------------------------------------------------


def clean_text(errors, data, key, *, max_length, required=False, multiline=False) -> str:
    raw = str(data.get(key) or "")
    value = raw.strip() if multiline else " ".join(raw.split())
    if required and not value:
        errors[key] = [_("This field is required.")]
    elif len(value) > max_length:
        errors[key] = [_("At most %(n)d characters.") % {"n": max_length}]
    return value


def clean_country(errors, key, code, *, required=True) -> str:
    code = str(code or "").strip().upper()
    if not code:
        if required:
            errors[key] = [_("This field is required.")]
        return ""
    if code not in country_registry:
        errors[key] = [_("Unknown country code: %(code)s.") % {"code": code}]
    return code


def clean_email(errors, key, value) -> str:
    value = str(value or "").strip().lower()
    if not value:
        errors[key] = [_("This field is required.")]
        return ""
    try:
        EmailValidator()(value)
    except DjangoValidationError:
        errors[key] = [_("Enter a valid email address.")]
    if len(value) > 254:
        errors[key] = [_("At most %(n)d characters.") % {"n": 254}]
    return value


def clean_profile(data: dict) -> dict:
    """The profile's values checked and normalised; ValidationError with field errors."""
    errors: dict[str, list[str]] = {}
    cleaned = {
        "name": clean_text(errors, data, "name", max_length=200, required=True),
        "summary": clean_text(errors, data, "summary", max_length=2000, multiline=True),
        "headquarters_country": clean_country(
            errors, "headquarters_country", data.get("headquarters_country")
        ),
        "lead_email": clean_email(errors, "lead_email", data.get("lead_email")),
    }
    website = str(data.get("website") or "").strip()
    if website:
        try:
            URLValidator(schemes=["http", "https"])(website)
        except DjangoValidationError:
            errors["website"] = [_("Enter a web address starting with https:// or http://.")]
        if len(website) > 300:
            errors["website"] = [_("At most %(n)d characters.") % {"n": 300}]
    cleaned["website"] = website
    codes = [str(c).strip().upper() for c in (data.get("countries") or [])]
    unknown = [c for c in codes if c not in country_registry]
    if unknown:
        errors["countries"] = [_("Unknown country code: %(code)s.") % {"code": ", ".join(unknown)}]
    cleaned["countries"] = list(dict.fromkeys(codes))
    for key, model in CURATED_FIELDS.items():
        slugs = list(dict.fromkeys(str(s).strip() for s in (data.get(key) or [])))
        items = list(model.objects.filter(slug__in=slugs)) if slugs else []
        if len(items) != len(slugs):
            missing = sorted(set(slugs) - {i.slug for i in items})
            errors[key] = [_("Unknown value: %(values)s.") % {"values": ", ".join(missing)}]
        cleaned[key] = items
    types = list(dict.fromkeys(str(t).strip() for t in (data.get("relationship_types") or [])))
    bad = [t for t in types if t not in relationship_types.BY_CODE]
    if bad:
        errors["relationship_types"] = [
            _("Unknown relationship type: %(types)s.") % {"types": ", ".join(bad)}
        ]
    cleaned["relationship_types"] = [t for t in relationship_types.CODES if t in types]
    if errors:
        raise ValidationError(_("Check the highlighted fields."), errors=errors)
    return cleaned


def _snapshot(profile: PartnerProfile) -> dict:
    return {
        "name": profile.name,
        "summary": profile.summary,
        "website": profile.website,
        "headquarters_country": str(profile.headquarters_country),
        "countries": sorted(str(c) for c in profile.countries),
        "industries": sorted(i.slug for i in profile.industries.all()),
        "products": sorted(i.slug for i in profile.products.all()),
        "services": sorted(i.slug for i in profile.services.all()),
        "org_sizes": sorted(i.slug for i in profile.org_sizes.all()),
        "relationship_types": profile.relationship_type_codes,
        "lead_email": profile.lead_email,
    }


def sync_listing(profile: PartnerProfile) -> None:
    """Rewrite the profile's search document and directory values (listed profiles only)."""
    directory_cache.bump()
    refresh_search_documents([profile.pk])
    ListingFacet.objects.filter(profile_id=profile.pk).delete()
    if not profile.is_certified:
        return
    ListingFacet.objects.bulk_create(
        search.facet_rows(
            profile.pk,
            countries=[str(c) for c in profile.countries],
            industries=[i.slug for i in profile.industries.all()],
            products=[i.slug for i in profile.products.all()],
            services=[i.slug for i in profile.services.all()],
            org_sizes=[i.slug for i in profile.org_sizes.all()],
            relationship_types=profile.relationship_type_codes,
        )
    )


@transaction.atomic
def save_partner_profile(*, by: User, tenant: Tenant, data: dict) -> tuple[PartnerProfile, bool]:
    """Create or replace the tenant's directory listing; the first save makes it a partner."""
    by_access = access.require_own(by, tenant, PARTNERS_MANAGE)
    cleaned = clean_profile(data)
    Tenant.objects.select_for_update().filter(pk=tenant.pk).first()  # serialise first saves
    profile = (
        PartnerProfile.objects.select_for_update()
        .prefetch_related(*CURATED_FIELDS)
        .filter(tenant=tenant)
        .first()
    )
    created = profile is None
    if created:
        profile = PartnerProfile(tenant=tenant)
        before = {}
    else:
        before = _snapshot(profile)
    for key in ("name", "summary", "website", "headquarters_country", "lead_email"):
        setattr(profile, key, cleaned[key])
    profile.countries = cleaned["countries"]
    profile.relationship_types = ",".join(cleaned["relationship_types"])
    profile.save()
    for key in CURATED_FIELDS:
        getattr(profile, key).set(cleaned[key])
    profile = (
        PartnerProfile.objects.prefetch_related(*CURATED_FIELDS)
        .select_related("tenant")
        .get(pk=profile.pk)
    )
    after = _snapshot(profile)
    if before == after:
        return profile, False
    sync_listing(profile)
    changed = {k: v for k, v in after.items() if before.get(k) != v}
    record(
        "partner_profile.created" if created else "partner_profile.updated",
        actor=by,
        target_tenant=tenant,
        obj=profile,
        before={k: before[k] for k in changed} if before else None,
        after=changed,
        access=by_access,
    )
    tenant.partner_profile = profile
    return profile, created


# Certification (support staff) ----------------------------------------------------------


def _lock_profile(tenant_id) -> PartnerProfile:
    profile = (
        PartnerProfile.objects.select_for_update(of=("self",))
        .select_related("tenant")
        .prefetch_related(*CURATED_FIELDS)
        .filter(pk=tenant_id)
        .first()
    )
    if profile is None:
        raise NotFound(_("No such partner profile."))
    return profile


@transaction.atomic
def certify_partner(*, by: User, tenant_id) -> PartnerProfile:
    """Certify a partner profile so the directory lists it (support staff)."""
    access.require_staff(by, CERTIFY_PERMISSION, _("Only support staff may certify partners."))
    profile = _lock_profile(tenant_id)
    if profile.is_certified:
        return profile
    profile.is_certified = True
    profile.certified_at = timezone.now()
    profile.certified_by = by
    profile.save(update_fields=["is_certified", "certified_at", "certified_by", "updated_at"])
    sync_listing(profile)
    record(
        "partner.certified",
        actor=by,
        target_tenant=profile.tenant,
        obj=profile,
        before={"is_certified": False},
        after={"is_certified": True},
    )
    return profile


@transaction.atomic
def revoke_certification(*, by: User, tenant_id) -> PartnerProfile:
    """Withdraw a partner's certification; the directory stops listing it (support staff)."""
    access.require_staff(by, CERTIFY_PERMISSION, _("Only support staff may certify partners."))
    profile = _lock_profile(tenant_id)
    if not profile.is_certified:
        return profile
    before = {"is_certified": True, "certified_at": profile.certified_at}
    profile.is_certified = False
    profile.certified_at = None
    profile.certified_by = None
    profile.save(update_fields=["is_certified", "certified_at", "certified_by", "updated_at"])
    sync_listing(profile)
    record(
        "partner.certification_revoked",
        actor=by,
        target_tenant=profile.tenant,
        obj=profile,
        before=before,
        after={"is_certified": False},
    )
    return profile


# Curated lists (support staff) ---------------------------------------------------------


def forget_curated_values(*, dimension: str, slugs) -> int:
    """Drop directory values of curated items support staff deleted (the admin audits it);
    the listings that carried them are no longer found by their names."""
    directory_cache.bump()
    facets = ListingFacet.objects.filter(dimension=dimension, value__in=slugs)
    profile_ids = list(facets.values_list("profile_id", flat=True).distinct())
    deleted, _rows = facets.delete()
    refresh_search_documents(profile_ids)
    return deleted


def curated_value_changed(*, dimension: str, item) -> int:
    """A curated item support staff renamed: the listings that carry it are found by its
    new name (and no longer by the old). Returns how many listings were reindexed."""
    directory_cache.bump()
    profile_ids = list(
        ListingFacet.objects.filter(dimension=dimension, value=item.slug)
        .values_list("profile_id", flat=True)
        .distinct()
    )
    refresh_search_documents(profile_ids)
    return len(profile_ids)


# Search documents --------------------------------------------------------------------------

SEARCHED_TAGS = {"industries": Industry, "products": Product, "services": Service}


def _tag_names(model) -> dict:
    """{item id: its name in every language of the site, once each}."""
    names = {}
    for item in model.objects.all():
        shown = []
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                shown.append(item.label)
        names[item.pk] = " ".join(dict.fromkeys([item.name, *shown]))
    return names


def refresh_search_documents(profile_ids, *, batch_size: int = 2000) -> None:
    """Rewrite the search tags (and on PostgreSQL the full-text document) of these profiles:
    the names of their industries, products and services, in every language."""
    profile_ids = list(profile_ids)
    if not profile_ids:
        return
    names = {key: _tag_names(model) for key, model in SEARCHED_TAGS.items()}
    for start in range(0, len(profile_ids), batch_size):
        ids = profile_ids[start : start + batch_size]
        tags = {pk: [] for pk in ids}
        for key, model in SEARCHED_TAGS.items():
            through = getattr(PartnerProfile, key).through
            column = f"{model._meta.model_name}_id"
            rows = through.objects.filter(partnerprofile_id__in=ids).values_list(
                "partnerprofile_id", column
            )
            for profile_id, item_id in rows.order_by("partnerprofile_id", column):
                tags[profile_id].append(names[key][item_id])
        PartnerProfile.objects.bulk_update(
            [PartnerProfile(pk=pk, search_tags="\n".join(t)) for pk, t in tags.items()],
            ["search_tags"],
        )
        if search.is_postgres():
            PartnerProfile.objects.filter(pk__in=ids).update(search_vector=search.document())
