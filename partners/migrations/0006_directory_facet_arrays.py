"""PostgreSQL only: every profile carries the ids of its facet values (issue 16).

`partners_partnerprofile.facet_ids integer[]` with a GIN index over listed profiles: the
directory filters by array overlap and counts facets by unnesting the arrays, instead of
one semi-join and one GROUP BY per dimension over partners_listingfacet. The column is
not a model field (see PartnerProfile); ListingFacet's queryset keeps it in step. This
migration fills it from the existing rows. On SQLite it does nothing: the directory reads
partners_listingfacet there.

The SQL is written out here (not imported) so the migration keeps its meaning when the
code moves on; it matches partners.models.directory.REFRESH_FACET_IDS_SQL.
"""

from django.db import migrations

SPAN = 100_000_000
TYPE_CODES = [
    "advisor",
    "isv",
    "indirect_reseller",
    "industry_partner",
    "mpsa_partner",
    "oem",
    "partner_user_account",
    "gdap",
    "reseller",
]

FILL = """
WITH known (dimension, value, id) AS (
    SELECT 'industry', slug, id + 1 * %(span)s FROM partners_industry
    UNION ALL SELECT 'product', slug, id + 2 * %(span)s FROM partners_product
    UNION ALL SELECT 'service', slug, id + 3 * %(span)s FROM partners_service
    UNION ALL SELECT 'org_size', slug, id + 4 * %(span)s FROM partners_organizationsize
    UNION ALL SELECT 'relationship_type', code, n + 5 * %(span)s
        FROM unnest(%(type_codes)s::text[]) WITH ORDINALITY AS t (code, n)
)
UPDATE partners_partnerprofile AS p
SET facet_ids = ARRAY(
    SELECT x.id::integer FROM (
        SELECT (ascii(f.value) - 65) * 26 + ascii(substr(f.value, 2)) - 65 AS id
        FROM partners_listingfacet AS f
        WHERE f.profile_id = p.tenant_id AND f.dimension = 'country'
            AND f.value ~ '^[A-Z]{2}$'
        UNION ALL
        SELECT k.id FROM partners_listingfacet AS f
        JOIN known AS k ON k.dimension = f.dimension AND k.value = f.value
        WHERE f.profile_id = p.tenant_id
    ) AS x
    ORDER BY 1
)
WHERE EXISTS (SELECT 1 FROM partners_listingfacet AS f WHERE f.profile_id = p.tenant_id)
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "ALTER TABLE partners_partnerprofile "
        "ADD COLUMN IF NOT EXISTS facet_ids integer[] NOT NULL DEFAULT '{}'"
    )
    schema_editor.execute(FILL, {"span": SPAN, "type_codes": TYPE_CODES})
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS partner_listed_facets ON partners_partnerprofile "
        "USING gin (facet_ids) WHERE is_certified"
    )


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS partner_listed_facets")
    schema_editor.execute("ALTER TABLE partners_partnerprofile DROP COLUMN IF EXISTS facet_ids")


class Migration(migrations.Migration):
    dependencies = [("partners", "0005_move_relationships_out")]

    operations = [migrations.RunPython(forward, backward)]
