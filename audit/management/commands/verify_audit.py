"""manage.py verify_audit: walk the audit log's hash chain and report every break."""

from django.core.management.base import BaseCommand

from audit import chain
from audit.models import AuditEvent


class Command(BaseCommand):
    help = "Check the audit log's hash chain: any changed, removed or inserted event is reported."

    def handle(self, *args, **options):
        found = 0
        for _seq, what in chain.problems():
            found += 1
            self.stderr.write(what)
        total = AuditEvent.objects.filter(seq__isnull=False).count()
        if found:
            self.stderr.write(self.style.ERROR(f"{found} problem(s) in {total} events."))
            raise SystemExit(1)
        self.stdout.write(self.style.SUCCESS(f"The audit chain of {total} events is intact."))
