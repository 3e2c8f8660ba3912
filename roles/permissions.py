"""Portal permissions and the one table that maps catalog roles to them.

A role outside this table grants nothing in the portal, but can still be requested and
granted. Extend the table here; nothing else in the code base names roles.
"""

import csv
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from audit.permissions import AUDIT_READ
from roles.catalog import read_csv

PARTNERS_READ = "partners.read"
PARTNERS_MANAGE = "partners.manage"
AGREEMENTS_ACCEPT = "agreements.accept"
USERS_READ = "users.read"
USERS_MANAGE = "users.manage"
USERS_RESET_PASSWORD = "users.reset_password"
SUPPORT_MANAGE = "support.manage"
BILLING_READ = "billing.read"
BILLING_MANAGE = "billing.manage"
DEVICES_MANAGE = "devices.manage"
ROLES_ASSIGN = "roles.assign"
INDUSTRY_APPS_APPROVE = "industry_apps.approve"

PERMISSIONS = {
    PARTNERS_READ: _("See partners, invitations and relationships"),
    PARTNERS_MANAGE: _("Manage partners: invitations, relationships, role requests"),
    AGREEMENTS_ACCEPT: _("Accept the customer agreement"),
    USERS_READ: _("See users"),
    USERS_MANAGE: _("Add, change and remove users"),
    USERS_RESET_PASSWORD: _("Reset passwords"),
    SUPPORT_MANAGE: _("Open and manage support requests"),
    BILLING_READ: _("See subscriptions and purchases"),
    BILLING_MANAGE: _("Buy and manage subscriptions"),
    DEVICES_MANAGE: _("Manage device registrations"),
    ROLES_ASSIGN: _("Assign roles, privileged ones included"),
    AUDIT_READ: _("Read the audit log"),
    INDUSTRY_APPS_APPROVE: _("Approve or reject industry apps"),
}

# Partner capabilities: what a relationship type in force lets the partner's managers
# (partners.manage in their own tenant) do in the customer tenant. Not held through roles.
SUBSCRIPTIONS_RESELL = "subscriptions.resell"
SUBSCRIPTIONS_RESELL_OWN = "subscriptions.resell_own"
PURCHASES_MPSA_READ = "purchases.mpsa_read"
SUBSCRIPTIONS_MPSA = "subscriptions.mpsa"
DEVICES_REGISTER = "devices.register"
INDUSTRY_APPS_SUBMIT = "industry_apps.submit"
PARTNER_LISTED = "partner.listed"

CAPABILITIES = {
    SUBSCRIPTIONS_RESELL: _("Buy and manage subscriptions for the customer"),
    SUBSCRIPTIONS_RESELL_OWN: _("Buy, and manage the subscriptions bought through this partner"),
    PURCHASES_MPSA_READ: _("See purchases made through this partner (or every MPSA partner)"),
    SUBSCRIPTIONS_MPSA: _("Buy, and manage the purchases made through this partner (MPSA)"),
    DEVICES_REGISTER: _("Register devices for the customer (Autopilot)"),
    INDUSTRY_APPS_SUBMIT: _("Submit industry apps for the customer's approval"),
    PARTNER_LISTED: _("Listed among the customer's partners"),
}

# Relationship type (partners/relationship_types.py code) -> capabilities it grants.
TYPE_CAPABILITIES: dict[str, set[str]] = {
    "reseller": {SUBSCRIPTIONS_RESELL},
    "indirect_reseller": {SUBSCRIPTIONS_RESELL_OWN},
    "mpsa_partner": {PURCHASES_MPSA_READ, SUBSCRIPTIONS_MPSA},
    "oem": {DEVICES_REGISTER},
    "industry_partner": {INDUSTRY_APPS_SUBMIT},
    "isv": set(),
}

GLOBAL_ADMIN = "Global Administrator"
BILLING_ADMIN = "Billing Administrator"
GLOBAL_READER = "Global Reader"
USER_ADMIN = "User Administrator"
HELPDESK_ADMIN = "Helpdesk Administrator"
PASSWORD_ADMIN = "Password Administrator"

ROLE_PERMISSIONS: dict[str, set[str]] = {
    GLOBAL_ADMIN: set(PERMISSIONS),
    BILLING_ADMIN: {
        PARTNERS_READ,
        PARTNERS_MANAGE,
        AGREEMENTS_ACCEPT,
        BILLING_READ,
        BILLING_MANAGE,
    },
    GLOBAL_READER: {PARTNERS_READ, USERS_READ, BILLING_READ, AUDIT_READ},
    USER_ADMIN: {USERS_READ, USERS_MANAGE, USERS_RESET_PASSWORD},
    HELPDESK_ADMIN: {USERS_READ, USERS_RESET_PASSWORD, SUPPORT_MANAGE},
    PASSWORD_ADMIN: {USERS_READ, USERS_RESET_PASSWORD},
    "Authentication Administrator": {USERS_READ, USERS_RESET_PASSWORD},
    "Directory Readers": {USERS_READ},
    "Privileged Authentication Administrator": {USERS_RESET_PASSWORD},
    "Privileged Role Administrator": {ROLES_ASSIGN},
    "Service Support Administrator": {SUPPORT_MANAGE},
    "Intune Administrator": {DEVICES_MANAGE},
    "Cloud Device Administrator": {DEVICES_MANAGE},
    "Security Administrator": {AUDIT_READ},
    "Security Reader": {AUDIT_READ},
    "Reports Reader": {AUDIT_READ},
}

# Consent: a role that carries these lets its holder authorise partners for the tenant, so
# it counts as privileged whatever Microsoft's label says (Billing Administrator).
CONSENT_PERMISSIONS = {PARTNERS_MANAGE, AGREEMENTS_ACCEPT}

# Roles an invitation of a relationship type may ask for (None: any GDAP-assignable role).
ADVISOR_ROLES = {GLOBAL_ADMIN, HELPDESK_ADMIN}

_ids_by_name = {row["name"]: row["id"] for row in read_csv()}


def role_id(name: str):
    return _ids_by_name[name]


PERMISSIONS_BY_ROLE_ID = {
    role_id(name): frozenset(perms) for name, perms in ROLE_PERMISSIONS.items()
}
CONSENT_ROLE_IDS = frozenset(
    role_id(name) for name, perms in ROLE_PERMISSIONS.items() if perms & CONSENT_PERMISSIONS
)
GLOBAL_ADMIN_ID = role_id(GLOBAL_ADMIN)
BILLING_ADMIN_ID = role_id(BILLING_ADMIN)


def permissions_for(role_ids) -> frozenset[str]:
    perms: set[str] = set()
    for rid in role_ids:
        perms |= PERMISSIONS_BY_ROLE_ID.get(rid, frozenset())
    return frozenset(perms)


def role_ids_granting(perm: str) -> list:
    """Template ids of the roles that grant perm (for queries over role assignments)."""
    return [role_id(name) for name in roles_granting(perm)]


def roles_granting(perm: str) -> list[str]:
    """Names of the roles that grant perm (for "who can do this" messages)."""
    return sorted(name for name, perms in ROLE_PERMISSIONS.items() if perm in perms)


def is_privileged(role) -> bool:
    """Privileged as Microsoft labels it, or able to consent for the tenant."""
    return role.is_privileged or role.id in CONSENT_ROLE_IDS


# Who can reset whose password: Microsoft Learn, "Privileged roles and permissions in
# Microsoft Entra ID", table "Who can reset passwords" (roles/data/password_reset.csv).
# Rows are the roles a target holds, columns the roles that may reset them.
_NO_ROLE = "(no admin role)"
_IN_PRIVILEGED_GROUP = "(no admin role; member of a role-assignable group)"
_OTHER = "(all other roles)"


def _reset_table() -> dict[str, frozenset]:
    path = Path(__file__).resolve().parent / "data" / "password_reset.csv"
    with path.open(newline="", encoding="utf-8") as fh:
        return {
            row["target"]: frozenset(
                role_id(actor) for actor, mark in row.items() if actor != "target" and mark
            )
            for row in csv.DictReader(fh)
        }


RESETTERS = _reset_table()
RESETTERS_BY_ID = {
    role_id(name): actors for name, actors in RESETTERS.items() if not name.startswith("(")
}


def can_reset_password(actor_role_ids, target_role_ids, *, in_privileged_group=False) -> bool:
    """Whether an actor holding actor_role_ids may reset the password of a user holding
    target_role_ids: for each role the target holds, one of the actor's may reset it."""
    actor = set(actor_role_ids)
    targets = [RESETTERS_BY_ID.get(rid, RESETTERS[_OTHER]) for rid in set(target_role_ids)]
    if not targets:
        targets = [RESETTERS[_IN_PRIVILEGED_GROUP if in_privileged_group else _NO_ROLE]]
    elif in_privileged_group:
        targets.append(RESETTERS[_IN_PRIVILEGED_GROUP])
    return all(actor & allowed for allowed in targets)
