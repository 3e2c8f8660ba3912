"""The tenant lists bench's world, in the bench database (directory_data.bench_database):
two partners alike but for their size, one with 10,000 customers and one with 100.

Each customer has a relationship with the partner (types drawn with the demo's weights, a
few ended), 0-3 GDAP relationships in the statuses a real book holds (mostly active, some
pending, expired, terminated, a few never sent) with 2-5 roles requested and approved,
an invitation it accepted, and about 60% accepted the customer agreement. Written with
COPY (foreign-key triggers off: consistent by construction), generated once and reused.
Each partner has a Global Administrator; run() makes them a fresh API token.

Beside each partner, a customer tenant of the same size (its own Global Administrator):
as many invitations received (one from each of the partner's customers, in the statuses a
customer's inbox holds, a tenth addressed to its admin without naming the tenant),
subscriptions (bought directly or through the partner) and Autopilot devices (a third
registered by the partner) as the partner has customers.
"""

import base64
import hashlib
import random
import uuid
from datetime import UTC, datetime, timedelta

from django.db import connection, transaction

from portal.demo.partners import FIRST, SUFFIX, TYPE_WEIGHTS

from .directory_data import _copy

SLUG_PREFIX = "bench-lists-"
SEED = 1616
SIZES = {"big": 10_000, "small": 100}
WORDS = [
    "Bakery", "Clinic", "Logistics", "Foods", "Motors", "Legal", "Dental", "Architects",
    "Hotels", "Brewery", "Insurance", "Pharma", "Textiles", "Engineering", "Media",
    "Retail", "Energy", "Farms", "Schools", "Capital", "Freight", "Studios", "Optics",
]  # fmt: skip
COUNTRIES = list(SUFFIX)
GDAP_STATUSES = {
    "active": 60,
    "approval_pending": 10,
    "expired": 15,
    "terminated": 10,
    "created": 5,
}
GDAP_PER_CUSTOMER = {0: 25, 1: 45, 2: 20, 3: 10}
RECEIVED_STATUSES = {"accepted": 50, "pending": 20, "declined": 10, "expired": 10, "cancelled": 10}
SUBSCRIPTION_STATUSES = {"active": 80, "suspended": 5, "cancelled": 15}
MODELS = {"Contoso": ["Surface Laptop 6", "Surface Pro 10"], "Fabrikam": ["Elite 840", "Z2"]}
NOW = datetime(2026, 11, 1, tzinfo=UTC)  # rows are dated around here; the clock runs on


def partner_slug(size: str) -> str:
    return f"{SLUG_PREFIX}partner-{size}"


def customer_slug(size: str) -> str:
    return f"{SLUG_PREFIX}customer-{size}"


def ensure() -> bool:
    """The world is there (True when it had to be generated)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT t.slug, count(r.id) FROM tenants_tenant t JOIN partners_partnerrelationship r"
            " ON r.partner_id = t.id WHERE t.slug = ANY(%s) GROUP BY t.slug",
            [[partner_slug(s) for s in SIZES]],
        )
        counts = dict(cursor.fetchall())
        cursor.execute(
            "SELECT count(*) FROM devices_autopilotdevice d JOIN tenants_tenant t "
            "ON t.id = d.tenant_id WHERE t.slug = ANY(%s)",
            [[customer_slug(s) for s in SIZES]],
        )
        complete = cursor.fetchone()[0] == sum(SIZES.values())  # the last table written
    if complete and all(counts.get(partner_slug(s)) == n for s, n in SIZES.items()):
        return False
    _delete()
    _generate()
    return True


def _delete() -> None:
    like = [SLUG_PREFIX + "%"]
    owned = "(SELECT id FROM tenants_tenant WHERE slug LIKE %s)"
    gdap = f"(SELECT id FROM roles_delegatedadminrelationship WHERE partner_id IN {owned})"
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")  # audit: append-only
        cursor.execute(
            f"DELETE FROM audit_auditevent WHERE acting_tenant_id IN {owned} "
            f"OR target_tenant_id IN {owned}",
            like + like,
        )
        cursor.execute(f"DELETE FROM partners_lead WHERE partner_id IN {owned}", like)
        cursor.execute(f"DELETE FROM devices_autopilotdevice WHERE tenant_id IN {owned}", like)
        cursor.execute(f"DELETE FROM billing_subscription WHERE tenant_id IN {owned}", like)
        for table in ("approved_roles", "requested_roles"):
            cursor.execute(
                f"DELETE FROM roles_delegatedadminrelationship_{table} "
                f"WHERE delegatedadminrelationship_id IN {gdap}",
                like,
            )
        cursor.execute(f"DELETE FROM partners_invitation WHERE partner_id IN {owned}", like)
        cursor.execute(
            f"DELETE FROM roles_delegatedadminrelationship WHERE partner_id IN {owned}", like
        )
        cursor.execute(
            f"DELETE FROM partners_partnerrelationship WHERE partner_id IN {owned}", like
        )
        cursor.execute(
            f"DELETE FROM agreements_agreementacceptance WHERE tenant_id IN {owned}", like
        )
        cursor.execute(
            "DELETE FROM tenants_membership_roles WHERE membership_id IN (SELECT id FROM "
            f"tenants_membership WHERE tenant_id IN {owned})",
            like,
        )
        cursor.execute(f"DELETE FROM tenants_apitoken WHERE tenant_id IN {owned}", like)
        cursor.execute(f"DELETE FROM tenants_membership WHERE tenant_id IN {owned}", like)
        cursor.execute("DELETE FROM tenants_user WHERE email LIKE %s", like)
        cursor.execute("DELETE FROM tenants_user WHERE email LIKE %s", ["%@" + SLUG_PREFIX + "%"])
        cursor.execute("DELETE FROM tenants_tenant WHERE slug LIKE %s", like)


def _has_column(cursor, table: str, column: str) -> bool:
    cursor.execute(
        "SELECT 1 FROM information_schema.columns WHERE table_name = %s AND column_name = %s",
        [table, column],
    )
    return cursor.fetchone() is not None


def _pick(rng, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _generate() -> None:
    from agreements.selectors import current_version
    from billing.models import Product
    from partners.models import Industry, OrganizationSize
    from roles.models import RoleDefinition
    from roles.permissions import GLOBAL_ADMIN, role_id
    from tenants.models import Membership, Tenant, User

    rng = random.Random(SEED)
    roles = list(
        RoleDefinition.objects.exclude(pk=role_id(GLOBAL_ADMIN))
        .order_by("name")
        .values_list("pk", flat=True)
    )
    version = current_version()
    now = NOW.isoformat()
    tenants, relationships, gdaps, role_rows, acceptances, invitations = [], [], [], [], [], []
    users, memberships, member_roles, events, leads = [], [], [], [], []
    subscriptions, devices = [], []
    products = list(Product.objects.order_by("sku").values_list("pk", flat=True))
    curated = {
        table: list(model.objects.order_by("pk").values_list("pk", flat=True))
        for table, model in (("industry", Industry), ("org_size", OrganizationSize))
    }
    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(max(seq), 0) FROM audit_auditevent")
        seq = cursor.fetchone()[0]
    used_names: dict = {}
    type_codes, type_weights = list(TYPE_WEIGHTS), list(TYPE_WEIGHTS.values())
    with transaction.atomic():
        for size, count in SIZES.items():
            partner = Tenant.objects.create(
                name=f"Bench Lists {size.title()} Partner", slug=partner_slug(size), country="DE"
            )
            admin = User.objects.create_user(
                email=f"{SLUG_PREFIX}{size}@example.com", password=None, display_name="Admin"
            )
            Membership.objects.create(user=admin, tenant=partner).roles.set([role_id(GLOBAL_ADMIN)])
            customer = Tenant.objects.create(
                name=f"Bench Lists {size.title()} Customer", slug=customer_slug(size), country="DE"
            )
            owner = User.objects.create_user(
                email=f"{SLUG_PREFIX}customer-{size}@example.com",
                password=None,
                display_name="Owner",
            )
            Membership.objects.create(user=owner, tenant=customer).roles.set(
                [role_id(GLOBAL_ADMIN)]
            )
            for n in range(count):
                country = rng.choice(COUNTRIES)
                base = f"{rng.choice(FIRST)} {rng.choice(WORDS)} {SUFFIX[country]}"
                used_names[base] = used_names.get(base, 0) + 1
                name = base if used_names[base] == 1 else f"{base} {used_names[base]}"
                cid = uuid.UUID(int=rng.getrandbits(128), version=4)
                slug = f"{SLUG_PREFIX}{size}-{n:06d}"
                tenants.append((cid, name, slug, f"{slug}.example", country, now))
                started = NOW - timedelta(days=rng.randint(1, 1500))
                ended = rng.random() < 0.03
                kinds = sorted(
                    {
                        rng.choices(type_codes, weights=type_weights)[0]
                        for _ in range(rng.randint(1, 3))
                    },
                    key=type_codes.index,
                )
                relationships.append(
                    (
                        uuid.UUID(int=rng.getrandbits(128), version=4),
                        cid,
                        partner.pk,
                        "[]" if ended else _json_list(kinds),
                        started.isoformat(),
                        (started + timedelta(days=300)).isoformat() if ended else None,
                        now,
                        name,
                    )
                )
                if version is not None and rng.random() < 0.6:
                    acceptances.append(
                        (uuid.uuid4(), started.isoformat(), "I agree.", "Customer Admin",
                         f"admin@{slug}.example", "", cid, version.pk)
                    )  # fmt: skip
                # A member of the partner per customer (the partner's users list), the
                # relationship's creation in the partner's activity log, a lead.
                uid = uuid.UUID(int=rng.getrandbits(128), version=4)
                users.append(
                    ("!", uid, f"user{n:05d}@{SLUG_PREFIX}{size}.example", f"User {n}", "en",
                     "f", "f", "t", now, 0)
                )  # fmt: skip
                mid = uuid.UUID(int=rng.getrandbits(128), version=4)
                memberships.append((mid, started.isoformat(), uid, partner.pk))
                for role in rng.sample(roles, rng.randint(0, 2)):
                    member_roles.append((mid, role))
                seq += 1
                events.append(
                    (uuid.uuid4(), started.isoformat(), "user", admin.email, "relationship.created",
                     "partnerrelationship", str(relationships[-1][0]), name[:200],
                     "{}", f'{{"types": {_json_list(kinds)}}}', partner.pk, admin.pk, cid,
                     f"{seq:064x}", f"{seq - 1:064x}", seq)
                )  # fmt: skip
                leads.append(
                    (uuid.uuid4(), country, "Berlin", f"Contact {n}", f"contact@{slug}.example",
                     "", name, "Needs help with the cloud.", rng.choice(["new", "contacted"]),
                     started.isoformat(), cid, rng.choice(curated["industry"]), partner.pk,
                     rng.choice(curated["org_size"]))
                )  # fmt: skip
                sent = (started - timedelta(seconds=rng.randint(3600, 7 * 86400))).isoformat()
                invitations.append(
                    (uuid.uuid4(), f"admin@{slug}.example", _json_list(kinds or ["reseller"]),
                     "", uuid.uuid4().hex + uuid.uuid4().hex, "accepted",
                     (started + timedelta(days=30)).isoformat(), sent, sent, sent, 0,
                     started.isoformat(), cid, admin.pk, cid, partner.pk, "")
                )  # fmt: skip
                # The customer of this size: an invitation from this tenant, a subscription,
                # a device; one a minute back from NOW (distinct times: a stable order).
                at = NOW - timedelta(minutes=n, seconds=rng.randint(0, 59))
                invitations.append(_received(rng, n, at, cid, customer, owner, slug))
                subscriptions.append(_subscription(rng, at, customer, partner, owner, products))
                devices.append(_device(rng, n, size, at, customer, partner, owner, admin))
                for _g in range(_pick(rng, GDAP_PER_CUSTOMER)):
                    status = _pick(rng, GDAP_STATUSES)
                    gid = uuid.UUID(int=rng.getrandbits(128), version=4)
                    duration = timedelta(days=rng.choice([30, 90, 180, 365, 730]))
                    created = started + timedelta(
                        days=rng.randint(0, 60), seconds=rng.randint(0, 86399)
                    )
                    activated = end = ended_at = None
                    if status in ("active", "expired", "terminated"):
                        activated = created + timedelta(days=1)
                        if status == "active":
                            activated = (
                                NOW
                                - duration
                                + timedelta(days=rng.randint(1, 700) % duration.days + 1)
                            )
                        end = activated + duration
                        if status == "terminated":
                            ended_at = activated + duration / 2
                        if status == "expired":
                            ended_at = end
                    auto_extend = timedelta(days=180) if rng.random() < 0.2 else timedelta(0)
                    gdaps.append(
                        (gid, f"GDAP {size} {len(gdaps):06d}", _interval(duration),
                         _interval(auto_extend), status,
                         created.isoformat(), _iso(activated), _iso(end), _iso(ended_at),
                         now, None, admin.pk, cid, partner.pk, 1, "")
                    )  # fmt: skip
                    chosen = rng.sample(roles, rng.randint(2, 5))
                    for role in chosen:
                        role_rows.append(("requested", gid, role))
                        if status in ("active", "expired", "terminated"):
                            role_rows.append(("approved", gid, role))
        with connection.cursor() as cursor:
            with_name = _has_column(cursor, "partners_partnerrelationship", "customer_name")
            cursor.execute("SET LOCAL session_replication_role = replica")
            _copy(
                cursor,
                "tenants_tenant",
                ("id", "name", "slug", "primary_domain", "country", "created_at"),
                tenants,
            )
            columns = ("id", "customer_id", "partner_id", "types", "started_at", "ended_at",
                       "updated_at", "customer_name")  # fmt: skip
            if not with_name:  # the schema before issue 16 (the bench's "before" figures)
                columns, relationships = columns[:-1], [r[:-1] for r in relationships]
            _copy(cursor, "partners_partnerrelationship", columns, relationships)
            _copy(
                cursor,
                "agreements_agreementacceptance",
                ("id", "accepted_at", "attestation", "name", "email", "user_agent",
                 "tenant_id", "version_id"),
                acceptances,
            )  # fmt: skip
            _copy(
                cursor,
                "partners_invitation",
                ("id", "email", "relationship_types", "message", "token_hash", "status",
                 "expires_at", "created_at", "sent_at", "last_sent_at", "resent_count",
                 "responded_at", "accepted_tenant_id", "created_by_id", "customer_id",
                 "partner_id", "reference"),
                (row[:17] for row in invitations),
            )  # fmt: skip
            _copy(
                cursor,
                "roles_delegatedadminrelationship",
                ("id", "display_name", "duration", "auto_extend_duration", "status",
                 "created_at", "activated_at", "end_at", "ended_at", "last_modified_at",
                 "last_reminder_days", "created_by_id", "customer_id", "partner_id",
                 "version", "reference"),
                gdaps,
            )  # fmt: skip
            _copy(
                cursor,
                "tenants_user",
                ("password", "id", "email", "display_name", "language", "is_superuser",
                 "is_staff", "is_active", "date_joined", "session_generation"),
                users,
            )  # fmt: skip
            _copy(
                cursor,
                "tenants_membership",
                ("id", "created_at", "user_id", "tenant_id"),
                memberships,
            )
            _copy(
                cursor,
                "tenants_membership_roles",
                ("membership_id", "roledefinition_id"),
                member_roles,
            )
            _copy(
                cursor,
                "audit_auditevent",
                ("id", "occurred_at", "actor_kind", "actor_email", "action", "object_type",
                 "object_id", "object_repr", "before", "after", "acting_tenant_id", "actor_id",
                 "target_tenant_id", "hash", "prev_hash", "seq"),
                events,
            )  # fmt: skip
            _copy(
                cursor,
                "partners_lead",
                ("id", "country", "city", "contact_name", "email", "phone", "org_name",
                 "business_needs", "status", "created_at", "customer_id", "industry_id",
                 "partner_id", "org_size_id"),
                leads,
            )  # fmt: skip
            for kind in ("requested", "approved"):
                _copy(
                    cursor,
                    f"roles_delegatedadminrelationship_{kind}_roles",
                    ("delegatedadminrelationship_id", "roledefinition_id"),
                    ((gid, role) for k, gid, role in role_rows if k == kind),
                )
            _copy(
                cursor,
                "billing_subscription",
                ("id", "quantity", "status", "channel", "bought_at", "renewal_date",
                 "cancelled_at", "updated_at", "bought_by_id", "partner_id", "product_id",
                 "tenant_id"),
                subscriptions,
            )  # fmt: skip
            _copy(  # the last table written (ensure() counts it)
                cursor,
                "devices_autopilotdevice",
                ("id", "hardware_hash", "hash_digest", "serial_number", "product_key_id",
                 "manufacturer", "model", "group_tag", "registered_at", "updated_at",
                 "registered_by_id", "registered_by_partner_id", "tenant_id"),
                devices,
            )  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def _received(rng, n, at, sender, customer, owner, slug) -> tuple:
    """An invitation from the tenant `sender` to the bench customer (partners_invitation's
    columns as the COPY above names them)."""
    status = _pick(rng, RECEIVED_STATUSES)
    named = rng.random() < 0.9  # else addressed to the customer's admin, no tenant named
    if status == "accepted":
        named = True
    sent = at - timedelta(days=rng.randint(0, 20))
    expires = sent + timedelta(days=30) if status != "expired" else at - timedelta(days=1)
    if status == "pending" and rng.random() < 0.3:
        expires = at  # past its expiry: reads expired before the beat job runs
    responded = at.isoformat() if status in ("accepted", "declined", "cancelled") else None
    return (
        uuid.UUID(int=rng.getrandbits(128), version=4), owner.email if not named else
        f"admin@{SLUG_PREFIX}customer.example", _json_list(["reseller"]), "Hello.",
        f"{n:032x}{rng.getrandbits(128):032x}", status, expires.isoformat(),
        at.isoformat(), sent.isoformat(), sent.isoformat(), 0, responded,
        customer.pk if status == "accepted" else None, None,
        customer.pk if named else None, sender, "",
    )  # fmt: skip


def _subscription(rng, at, customer, partner, owner, products) -> tuple:
    status = _pick(rng, SUBSCRIPTION_STATUSES)
    through = rng.random() < 0.3
    return (
        uuid.UUID(int=rng.getrandbits(128), version=4), rng.randint(1, 300), status,
        "reseller" if through else "direct", at.isoformat(),
        (at + timedelta(days=rng.randint(1, 365))).date().isoformat(),
        at.isoformat() if status == "cancelled" else None, at.isoformat(),
        None if through else owner.pk, partner.pk if through else None,
        rng.choice(products), customer.pk,
    )  # fmt: skip


def _device(rng, n, size, at, customer, partner, owner, admin) -> tuple:
    by_partner = rng.random() < 0.33
    raw = rng.randbytes(1024)
    maker = rng.choice(list(MODELS))
    return (
        uuid.UUID(int=rng.getrandbits(128), version=4), base64.b64encode(raw).decode(),
        hashlib.sha256(raw).hexdigest(), f"SN-{size[0].upper()}{n:07d}", "", maker,
        rng.choice(MODELS[maker]), rng.choice(["", "Sales", "Kiosk", "Lab"]), at.isoformat(),
        at.isoformat(), (admin if by_partner else owner).pk,
        partner.pk if by_partner else None, customer.pk,
    )  # fmt: skip


def _json_list(values) -> str:
    return "[" + ", ".join(f'"{v}"' for v in values) + "]"


def _interval(value: timedelta) -> str:
    return f"{value.total_seconds():.0f} seconds"


def _iso(value):
    return value.isoformat() if value is not None else None


def api_token(size: str, side: str = "partner") -> str:
    """A fresh API token of the partner's (or the customer's) Global Administrator, bound
    to that tenant."""
    from tenants.models import Tenant, User
    from tenants.services import create_api_token

    slug, email = partner_slug(size), f"{SLUG_PREFIX}{size}@example.com"
    if side == "customer":
        slug, email = customer_slug(size), f"{SLUG_PREFIX}customer-{size}@example.com"
    tenant = Tenant.objects.get(slug=slug)
    admin = User.objects.get(email=email)
    _token, raw = create_api_token(by=admin, name="bench lists", tenant_id=tenant.pk)
    return raw


def partner_id(size: str):
    from tenants.models import Tenant

    return Tenant.objects.get(slug=partner_slug(size)).pk


def customer_id(size: str):
    from tenants.models import Tenant

    return Tenant.objects.get(slug=customer_slug(size)).pk
