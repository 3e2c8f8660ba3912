"""State changes for tenants, members, security groups and API tokens.

Each service: one transaction, a permission check through the access resolver, exactly
one audit event, mail queued on commit through the outbox.

tenants: creating one; members: adding, roles, removal, password resets; groups:
security groups; account: the signed-in user's API tokens and language. Callers import
from tenants.services; the names below are its whole surface.
"""

from tenants.services.account import (
    TOKEN_PREFIX,
    create_api_token,
    hash_token,
    revoke_api_token,
    set_language,
)
from tenants.services.groups import (
    create_security_group,
    delete_security_group,
    rename_security_group,
    set_security_group_members,
)
from tenants.services.members import add_member, remove_member, reset_password, set_member_roles
from tenants.services.tenants import create_tenant

__all__ = [
    "TOKEN_PREFIX",
    "add_member",
    "create_api_token",
    "create_security_group",
    "create_tenant",
    "delete_security_group",
    "hash_token",
    "remove_member",
    "rename_security_group",
    "reset_password",
    "revoke_api_token",
    "set_language",
    "set_member_roles",
    "set_security_group_members",
]
