"""State changes of a tenant's people: creating a tenant, its members, security groups.

Each service: one transaction, a permission check through the access resolver, exactly
one audit event, mail queued on commit through the outbox. Callers import from
people.services; the names below are its whole surface.
"""

from people.services.groups import (
    create_security_group,
    delete_security_group,
    rename_security_group,
    set_security_group_members,
)
from people.services.members import add_member, remove_member, reset_password, set_member_roles
from people.services.tenants import create_tenant

__all__ = [
    "add_member",
    "create_security_group",
    "create_tenant",
    "delete_security_group",
    "remove_member",
    "rename_security_group",
    "reset_password",
    "set_member_roles",
    "set_security_group_members",
]
