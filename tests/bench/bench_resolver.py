"""The access resolver's hot path: has_permission for a member with a directory role."""

import statistics
import time

from django.db import connection
from django.test.utils import CaptureQueriesContext

from roles.access import has_permission
from roles.models import RoleDefinition
from tenants.models import Membership, Tenant, User

from . import throwaway_db

CALLS = 2000
PERMISSION = "users.read"


def _percentile(sorted_values: list[float], fraction: float) -> float:
    index = min(len(sorted_values) - 1, round(fraction * (len(sorted_values) - 1)))
    return sorted_values[index]


def run() -> list[str]:
    with throwaway_db():
        tenant = Tenant.objects.create(name="Bench Tenant", slug="bench-tenant")
        user = User.objects.create_user(email="bench@example.com", password=None)
        membership = Membership.objects.create(user=user, tenant=tenant)
        membership.roles.add(RoleDefinition.objects.get(name="Global Administrator"))

        timings_us = []
        with CaptureQueriesContext(connection) as queries:
            for _ in range(CALLS):
                started = time.perf_counter_ns()
                allowed = has_permission(user, tenant, PERMISSION)
                timings_us.append((time.perf_counter_ns() - started) / 1000)
                if not allowed:
                    raise AssertionError(f"Global Administrator lacks {PERMISSION}")

    timings_us.sort()
    return [
        f"resolver has_permission p50_us={statistics.median(timings_us):.1f}"
        f" p95_us={_percentile(timings_us, 0.95):.1f} queries={len(queries)} calls={CALLS}"
    ]
