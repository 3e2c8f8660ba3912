"""Demo data for `make run`: idempotent, prints the sign-ins."""

from importlib import import_module

from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings

# Each module has seed(command) and runs after the ones before it.
STEPS = [
    "tenants.demo",
    "partners.demo",
    "billing.demo",
    "devices.demo",
]

DEMO_PASSWORD = "liaison-demo-2026"


class Command(BaseCommand):
    help = "Create (or refresh) the demo tenants, users and partners. Safe to run again."

    def handle(self, *args, **options):
        # The demo's own mails (invitations, approvals) are kept off the console.
        with (
            override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"),
            transaction.atomic(),
        ):
            for module in STEPS:
                import_module(module).seed(self)
        self.stdout.write(self.style.SUCCESS("Demo data ready. Sign in at http://127.0.0.1:8000"))
        self.stdout.write(f"  password for every demo account: {DEMO_PASSWORD}")
        from tenants.demo import SIGN_INS

        for email, what in SIGN_INS:
            self.stdout.write(f"  {email:32} {what}")
