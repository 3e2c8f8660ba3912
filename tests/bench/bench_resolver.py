"""The access resolver's hot path: has_permission, for a member and for a partner user.

Two cases, each 2,000 calls outside a request (no memo: every call resolves afresh):

    resolver member p50_us=.. p95_us=.. queries_per_call=..
    resolver partner_20_relationships p50_us=.. p95_us=.. queries_per_call=..

The second is a partner agent whose security group holds access assignments in 20 GDAP
relationships with 20 customers, checked in one of them (issue 5: at most two queries).
"""

import statistics
import time
from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from relationships.models import AccessAssignment, DelegatedAdminRelationship
from roles.access import has_permission
from roles.models import RoleDefinition
from tenants.models import Membership, SecurityGroup, Tenant, User

from . import throwaway_db

CALLS = 2000
QUERY_SAMPLE = 50
RELATIONSHIPS = 20


def _percentile(sorted_values: list[float], fraction: float) -> float:
    index = min(len(sorted_values) - 1, round(fraction * (len(sorted_values) - 1)))
    return sorted_values[index]


def _measure(name: str, user, tenant, permission: str) -> str:
    timings_us = []
    for _ in range(CALLS):
        started = time.perf_counter_ns()
        allowed = has_permission(user, tenant, permission)
        timings_us.append((time.perf_counter_ns() - started) / 1000)
        if not allowed:
            raise AssertionError(f"{name}: {permission} refused")
    timings_us.sort()
    # Counted over a few calls: Django's query log keeps only the last 9,000 queries.
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as queries:
        for _ in range(QUERY_SAMPLE):
            has_permission(user, tenant, permission)
    return (
        f"resolver {name} p50_us={statistics.median(timings_us):.1f}"
        f" p95_us={_percentile(timings_us, 0.95):.1f}"
        f" queries_per_call={len(queries) / QUERY_SAMPLE:g} calls={CALLS}"
    )


def run() -> list[str]:
    with throwaway_db():
        roles = {r.name: r for r in RoleDefinition.objects.all()}
        tenant = Tenant.objects.create(name="Bench Tenant", slug="bench-tenant", country="DE")
        user = User.objects.create_user(email="bench@example.com", password=None)
        membership = Membership.objects.create(user=user, tenant=tenant)
        membership.roles.add(roles["Global Administrator"])
        lines = [_measure("member", user, tenant, "users.read")]

        partner = Tenant.objects.create(name="Bench Partner", slug="bench-partner", country="US")
        agent = User.objects.create_user(email="agent@bench.example", password=None)
        Membership.objects.create(user=agent, tenant=partner)
        group = SecurityGroup.objects.create(tenant=partner, name="Agents")
        group.members.add(agent)
        now = timezone.now()
        customers = []
        for i in range(RELATIONSHIPS):
            customer = Tenant.objects.create(name=f"Customer {i}", slug=f"c-{i}", country="DE")
            rel = DelegatedAdminRelationship.objects.create(
                partner=partner,
                customer=customer,
                display_name=f"grant {i}",
                duration=timedelta(days=90),
                status=DelegatedAdminRelationship.Status.ACTIVE,
                activated_at=now,
                end_at=now + timedelta(days=90),
            )
            rel.approved_roles.add(roles["Helpdesk Administrator"], roles["User Administrator"])
            assignment = AccessAssignment.objects.create(relationship=rel, security_group=group)
            assignment.roles.add(roles["Helpdesk Administrator"])
            customers.append(customer)
        lines.append(
            _measure(
                f"partner_{RELATIONSHIPS}_relationships",
                agent,
                customers[7],
                "users.reset_password",
            )
        )
    return lines
