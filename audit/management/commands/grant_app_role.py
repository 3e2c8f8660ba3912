"""manage.py grant_app_role ROLE: what the web and workers may do on PostgreSQL.

Run as the tables' owner after every migrate (docker-compose's migrate step does). The
role owns nothing: it reads and writes the application's tables, and of the audit log
it may only read and insert. It cannot drop or disable a trigger, alter or truncate a
table: only the owner can, and the hash chain (verify_audit) shows what the owner did.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from audit.models import AuditEvent


class Command(BaseCommand):
    help = "Grant a PostgreSQL role what the application needs, and only insert/read on audit."

    def add_arguments(self, parser):
        parser.add_argument("role")

    def handle(self, *args, role, **options):
        if connection.vendor != "postgresql":
            raise CommandError("Roles are a PostgreSQL matter; nothing to do here.")
        audit = AuditEvent._meta.db_table
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
            if cursor.fetchone() is None:
                raise CommandError(f"No role {role!r}: create it first (CREATE ROLE ... LOGIN).")
            cursor.execute("SELECT current_schema()")
            schema = quote(cursor.fetchone()[0])
            who = quote(role)
            cursor.execute(f"GRANT USAGE ON SCHEMA {schema} TO {who}")
            cursor.execute(
                f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {who}"
            )
            cursor.execute(f"REVOKE UPDATE, DELETE, TRUNCATE ON {quote(audit)} FROM {who}")
            cursor.execute(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {who}")
            cursor.execute(f"GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA {schema} TO {who}")
        self.stdout.write(
            self.style.SUCCESS(f"{role}: granted; audit events insert and read only.")
        )
