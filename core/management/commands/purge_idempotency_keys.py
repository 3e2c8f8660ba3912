from django.core.management.base import BaseCommand

from core.idempotency import purge_expired


class Command(BaseCommand):
    help = "Delete the Idempotency-Key answers past their expiry (24 hours)."

    def handle(self, *args, **options):
        deleted = purge_expired()
        self.stdout.write(f"{deleted} expired idempotency keys deleted")
