"""Demo data for `make run`: idempotent, prints the sign-ins."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings
from django.urls import reverse

from portal.demo import DEMO_PASSWORD, billing, devices, partners, tenants

# Each module has seed(command) and runs after the ones before it.
STEPS = [tenants, partners, billing, devices]


class Command(BaseCommand):
    help = "Create (or refresh) the demo tenants, users and partners. Safe to run again."

    def handle(self, *args, **options):
        # The demo's own mails (invitations, approvals) are kept off the console.
        with (
            override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"),
            transaction.atomic(),
        ):
            for module in STEPS:
                module.seed(self)
        site = settings.SITE_URL.rstrip("/")
        self.stdout.write(
            self.style.SUCCESS(f"Demo data ready. Sign in at {site}{reverse('account_login')}")
        )
        self.stdout.write(f"  support console: {site}{reverse('admin:index')}")
        self.stdout.write(f"  password for every demo account: {DEMO_PASSWORD}")
        for email, what in tenants.SIGN_INS:
            self.stdout.write(f"  {email:32} {what}")
