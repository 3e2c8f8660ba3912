"""PostgreSQL-only search support: pg_trgm and the GIN indexes of the directory.

On SQLite (the embedded default) these operations do nothing: search there is a plain
substring match.
"""

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    # Full-text document of listed profiles (name weight A, summary weight B).
    "CREATE INDEX IF NOT EXISTS partner_listed_search ON partners_partnerprofile "
    "USING gin (search_vector) WHERE is_certified",
    # Misspellings: word similarity of the query against listed names.
    "CREATE INDEX IF NOT EXISTS partner_listed_name_trgm ON partners_partnerprofile "
    "USING gin (name gin_trgm_ops) WHERE is_certified",
]
BACKWARD = [
    "DROP INDEX IF EXISTS partner_listed_name_trgm",
    "DROP INDEX IF EXISTS partner_listed_search",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for sql in statements:
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("partners", "0002_seed_curated_lists")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
