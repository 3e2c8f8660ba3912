"""Password resets follow Entra's hierarchy (issue 12, findings 3 and 10).

One test per cell of Microsoft Learn's "Who can reset passwords" table ("Privileged roles
and permissions in Microsoft Entra ID"), written out here as Microsoft publishes it and
checked through the service, so a User Administrator never resets a Global
Administrator's password and nobody but the top two resets a Billing Administrator's.
"""

import pytest

from core.errors import PermissionDenied
from people import services
from tests.factories import member

ACTORS = [
    "Password Administrator",
    "Helpdesk Administrator",
    "Authentication Administrator",
    "User Administrator",
    "Privileged Authentication Administrator",
    "Global Administrator",
]
# Target row -> the actor columns with a check mark (P, H, A, U, PA, G).
Y, N = True, False
TABLE = {
    "Authentication Administrator": (N, N, Y, N, Y, Y),
    "Directory Readers": (Y, Y, Y, Y, Y, Y),
    "Global Administrator": (N, N, N, N, Y, Y),
    "Groups Administrator": (N, N, N, Y, Y, Y),
    "Guest Inviter": (Y, Y, Y, Y, Y, Y),
    "Helpdesk Administrator": (N, Y, N, Y, Y, Y),
    "Message Center Reader": (N, Y, Y, Y, Y, Y),
    "Password Administrator": (Y, Y, Y, Y, Y, Y),
    "Privileged Authentication Administrator": (N, N, N, N, Y, Y),
    "Privileged Role Administrator": (N, N, N, N, Y, Y),
    "Reports Reader": (N, Y, Y, Y, Y, Y),
    None: (Y, Y, Y, Y, Y, Y),  # a user with no admin role
    "in a role-assignable group": (N, N, N, N, Y, Y),
    "User Administrator": (N, N, N, Y, Y, Y),
    "User Experience Success Manager": (N, Y, Y, Y, Y, Y),
    "Usage Summary Reports Reader": (N, Y, Y, Y, Y, Y),
    "Billing Administrator": (N, N, N, N, Y, Y),  # "all other built-in roles"
    "Exchange Administrator": (N, N, N, N, Y, Y),
}
CELLS = [
    (target, actor, allowed)
    for target, row in TABLE.items()
    for actor, allowed in zip(ACTORS, row, strict=True)
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("target", "actor", "allowed"),
    CELLS,
    ids=[f"{a} resets {t or 'no role'}: {'yes' if ok else 'no'}" for t, a, ok in CELLS],
)
def test_who_can_reset_whose_password(customer, partner_tenant, target, actor, allowed):
    resetter = member(customer, actor, email="resetter@fabrikam.example")
    if target == "in a role-assignable group":
        # No role of their own, but in a group that holds a privileged GDAP assignment.
        victim = member(customer, email="victim@fabrikam.example")
        _privileged_group_member(customer, partner_tenant, victim)
    else:
        roles = [target] if target else []
        victim = member(customer, *roles, email="victim@fabrikam.example")
    password = victim.password

    if allowed:
        assert services.reset_password(by=resetter, tenant=customer, user_id=victim.pk)
    else:
        with pytest.raises(PermissionDenied):
            services.reset_password(by=resetter, tenant=customer, user_id=victim.pk)
        victim.refresh_from_db()
        assert victim.password == password


def _privileged_group_member(customer, other, user):
    """user sits in a group of customer that holds Global Administrator in another tenant
    (customer acting as a partner): Liaison's role-assignable group."""
    from tests.gdap_factories import grant

    grant(customer, other, user, "Global Administrator")
