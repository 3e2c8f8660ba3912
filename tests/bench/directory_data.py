"""The directory bench's 100,000 certified listings, kept in a database of their own.

The bench database is the configured one when its name ends in `_bench`, otherwise that
name plus `_bench` (so a bench run never writes into a working database). It is created
and migrated when missing; the listings are generated once (COPY, then set-based SQL for
the facet rows, search documents and facet-id arrays) and reused by the next run, which
only checks they are all there.
"""

import io
import random
import uuid
from contextlib import contextmanager
from datetime import UTC, datetime

from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction

# The demo's distributions, at a larger scale (FIRST and SUFFIX give more names here).
from portal.demo.partners import CLOSING, COUNTRY_WEIGHTS, FOCUS, REGIONS, SECOND, TYPE_WEIGHTS

SLUG_PREFIX = "bench-dir-"
SEED = 4242

FIRST = [
    "Alpine", "Aurora", "Beacon", "Birch", "Blue Harbor", "Bright", "Cedar", "Cobalt",
    "Copper", "Crescent", "Delta", "Evergreen", "Falcon", "Fjord", "Granite", "Harbor",
    "Helix", "Horizon", "Ironwood", "Juniper", "Keystone", "Lakeside", "Lumen", "Maple",
    "Meridian", "Nimbus", "Northwind", "Oakridge", "Orbit", "Pioneer", "Polaris", "Quantum",
    "Redwood", "Riverbend", "Sapphire", "Silverline", "Skyline", "Summit", "Tidewater",
    "Vertex", "Willow", "Zenith", "Contoso", "Fabrikam",
]  # fmt: skip
SUFFIX = {
    "DE": "GmbH",
    "AT": "GmbH",
    "CH": "AG",
    "US": "Inc.",
    "FR": "SAS",
    "NL": "B.V.",
    "SE": "AB",
    "JP": "K.K.",
    "IN": "Pvt Ltd",
    "BR": "Ltda.",
    "AU": "Pty Ltd",
}
CURATED_TABLES = {
    "industries": ("partners_industry", "partners_partnerprofile_industries", "industry_id"),
    "products": ("partners_product", "partners_partnerprofile_products", "product_id"),
    "services": ("partners_service", "partners_partnerprofile_services", "service_id"),
    "org_sizes": (
        "partners_organizationsize",
        "partners_partnerprofile_org_sizes",
        "organizationsize_id",
    ),
}
# Sorted by profile: two of the table's three indexes then fill in order.
FACET_ROWS_SQL = """
INSERT INTO partners_listingfacet (profile_id, dimension, value)
SELECT * FROM (
SELECT p.tenant_id, 'country', c FROM partners_partnerprofile p,
    unnest(string_to_array(p.countries, ',')) AS c
WHERE p.tenant_id IN (SELECT id FROM tenants_tenant WHERE slug LIKE %(prefix)s)
UNION ALL
SELECT p.tenant_id, 'relationship_type', t FROM partners_partnerprofile p,
    unnest(string_to_array(p.relationship_types, ',')) AS t
WHERE p.tenant_id IN (SELECT id FROM tenants_tenant WHERE slug LIKE %(prefix)s)
UNION ALL
SELECT l.partnerprofile_id, 'industry', i.slug FROM partners_partnerprofile_industries l
    JOIN partners_industry i ON i.id = l.industry_id
WHERE l.partnerprofile_id IN (SELECT id FROM tenants_tenant WHERE slug LIKE %(prefix)s)
UNION ALL
SELECT l.partnerprofile_id, 'product', i.slug FROM partners_partnerprofile_products l
    JOIN partners_product i ON i.id = l.product_id
WHERE l.partnerprofile_id IN (SELECT id FROM tenants_tenant WHERE slug LIKE %(prefix)s)
UNION ALL
SELECT l.partnerprofile_id, 'service', i.slug FROM partners_partnerprofile_services l
    JOIN partners_service i ON i.id = l.service_id
WHERE l.partnerprofile_id IN (SELECT id FROM tenants_tenant WHERE slug LIKE %(prefix)s)
UNION ALL
SELECT l.partnerprofile_id, 'org_size', i.slug FROM partners_partnerprofile_org_sizes l
    JOIN partners_organizationsize i ON i.id = l.organizationsize_id
WHERE l.partnerprofile_id IN (SELECT id FROM tenants_tenant WHERE slug LIKE %(prefix)s)
) AS facets ORDER BY 1, 2, 3
"""


def bench_database_name() -> str:
    name = settings.DATABASES["default"]["NAME"]
    return name if name.endswith("_bench") else f"{name}_bench"


@contextmanager
def bench_database():
    """Switch the default connection to the bench database (created and migrated first)."""
    name = bench_database_name()
    old_name = connection.settings_dict["NAME"]
    with connection._nodb_cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()
    settings.DATABASES["default"]["NAME"] = connection.settings_dict["NAME"] = name
    try:
        call_command("migrate", verbosity=0, interactive=False)
        yield name
    finally:
        connection.close()
        settings.DATABASES["default"]["NAME"] = connection.settings_dict["NAME"] = old_name


def ensure_listings(count: int) -> bool:
    """Make sure the bench listings are there; True when they had to be generated."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM partners_partnerprofile p JOIN tenants_tenant t "
            "ON t.id = p.tenant_id WHERE t.slug LIKE %s AND p.is_certified "
            "AND cardinality(p.facet_ids) > 0",
            [SLUG_PREFIX + "%"],
        )
        if cursor.fetchone()[0] == count:
            return False
    _delete()
    _generate(count)
    return True


def _delete() -> None:
    owned = "(SELECT id FROM tenants_tenant WHERE slug LIKE %s)"
    with connection.cursor() as cursor:
        prefix = [SLUG_PREFIX + "%"]
        cursor.execute(f"DELETE FROM partners_listingfacet WHERE profile_id IN {owned}", prefix)
        for _model, through, _column in CURATED_TABLES.values():
            cursor.execute(f"DELETE FROM {through} WHERE partnerprofile_id IN {owned}", prefix)
        cursor.execute(f"DELETE FROM partners_partnerprofile WHERE tenant_id IN {owned}", prefix)
        cursor.execute("DELETE FROM tenants_tenant WHERE slug LIKE %s", prefix)


def _copy(cursor, table: str, columns: tuple[str, ...], rows) -> None:
    buffer = io.StringIO()
    for row in rows:
        buffer.write("\t".join(_text(v) for v in row))
        buffer.write("\n")
    buffer.seek(0)
    cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", buffer)


def _text(value) -> str:
    if value is None:
        return "\\N"
    return str(value).replace("\\", "\\\\").replace("\t", " ").replace("\n", " ")


def _generate(count: int) -> None:
    from partners import relationship_types
    from partners.models import PartnerProfile
    from partners.models.directory import refresh_facet_ids
    from partners.services.directory import refresh_search_documents

    with connection.cursor() as cursor:
        curated = {}
        for key, (table, _through, _column) in CURATED_TABLES.items():
            cursor.execute(f"SELECT id, slug, name FROM {table} ORDER BY position, name")
            curated[key] = cursor.fetchall()
    rows = list(_rows(count, curated, list(relationship_types.CODES)))
    now = datetime.now(UTC).isoformat()
    with transaction.atomic(), connection.cursor() as cursor:
        # Rows made consistent by construction: skip the per-row foreign-key triggers.
        cursor.execute("SET LOCAL session_replication_role = replica")
        _copy(
            cursor,
            "tenants_tenant",
            ("id", "name", "slug", "primary_domain", "country", "created_at"),
            ((r["id"], r["name"], r["slug"], f"{r['slug']}.example", r["hq"], now) for r in rows),
        )
        _copy(
            cursor,
            "partners_partnerprofile",
            (
                "tenant_id",
                "name",
                "summary",
                "website",
                "headquarters_country",
                "countries",
                "relationship_types",
                "lead_email",
                "search_tags",  # filled from the curated items below
                "is_certified",
                "certified_at",
                "created_at",
                "updated_at",
            ),
            (
                (
                    r["id"],
                    r["name"],
                    r["summary"],
                    f"https://{r['slug']}.example",
                    r["hq"],
                    ",".join(r["countries"]),
                    ",".join(r["types"]),
                    f"leads@{r['slug']}.example",
                    "",
                    "t",
                    now,
                    now,
                    now,
                )
                for r in rows
            ),
        )
        for key, (_table, through, column) in CURATED_TABLES.items():
            _copy(
                cursor,
                through,
                ("partnerprofile_id", column),
                ((r["id"], item_id) for r in rows for item_id in r[key]),
            )
        cursor.execute(FACET_ROWS_SQL, {"prefix": SLUG_PREFIX + "%"})
    listed = PartnerProfile.objects.filter(tenant__slug__startswith=SLUG_PREFIX)
    refresh_search_documents(listed.values_list("pk", flat=True))  # tags and text
    refresh_facet_ids()  # the bench database holds nothing else
    with connection.cursor() as cursor:
        # The UPDATEs left dead versions of every profile: compact the table as a
        # long-lived one would be, then fresh statistics and a visibility map everywhere.
        cursor.execute("VACUUM FULL partners_partnerprofile")
        cursor.execute("VACUUM ANALYZE")


def _some(rng, values, low, high, weights=None):
    k = min(len(values), rng.randint(low, high))
    if weights is None:
        return rng.sample(values, k)
    chosen: list = []
    pool, w = list(values), list(weights)
    while len(chosen) < k:
        pick = rng.choices(range(len(pool)), weights=w)[0]
        chosen.append(pool.pop(pick))
        w.pop(pick)
    return chosen


def _rows(count: int, curated: dict, type_codes: list[str]):
    """Listing rows, deterministic from SEED (the demo's distributions, larger)."""
    rng = random.Random(SEED)
    codes, weights = list(COUNTRY_WEIGHTS), list(COUNTRY_WEIGHTS.values())
    kinds = [c for c in TYPE_WEIGHTS if c in type_codes]
    for n in range(count):
        hq = rng.choices(codes, weights=weights)[0]
        region = sorted(next((r for r in REGIONS if hq in r), {hq}) - {hq})
        name = f"{rng.choice(FIRST)} {rng.choice(SECOND)} {SUFFIX.get(hq, 'Ltd')}"
        industries = _some(rng, curated["industries"], 1, 3)
        products = _some(rng, curated["products"], 1, 4)
        low = rng.randrange(len(curated["org_sizes"]))
        sizes = curated["org_sizes"][low : low + rng.randint(1, 3)]
        fill = {
            "size": sizes[0][2].lower(),
            "industry": industries[0][2].lower(),
            "product": products[0][2],
            "country": hq,
            "years": rng.randint(3, 30),
            "count": rng.randint(20, 900),
        }
        summary = (
            f"{name.split(' ')[0]} {rng.choice(FOCUS).format(**fill)}. "
            f"{rng.choice(CLOSING).format(**fill)}"
        )
        types = _some(rng, kinds, 1, 3, [TYPE_WEIGHTS[c] for c in kinds])
        yield {
            "id": uuid.UUID(int=rng.getrandbits(128), version=4),
            "slug": f"{SLUG_PREFIX}{n:06d}",
            "name": name,
            "summary": summary,
            "hq": hq,
            "countries": sorted([hq, *_some(rng, region, 0, 5)]),  # as the field stores them
            "industries": [i[0] for i in industries],
            "products": [i[0] for i in products],
            "services": [i[0] for i in _some(rng, curated["services"], 1, 4)],
            "org_sizes": [i[0] for i in sizes],
            "types": sorted(types, key=type_codes.index),
        }
