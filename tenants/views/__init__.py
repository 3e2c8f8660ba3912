"""HTML pages: landing, tenant creation, tenant home, users, security groups, audit log,
API tokens and the language switch. Reads go through selectors, writes through services.

account: the signed-in user's pages (landing, language, tenant creation, API tokens,
tenant home); users; groups; audit. tenants.urls imports the views from here.
"""

from tenants.views.account import (
    ApiTokenRevokeView,
    ApiTokensView,
    TenantCreateView,
    TenantHomeView,
    home,
    set_language,
)
from tenants.views.audit import EVENTS_PER_PAGE, AuditView
from tenants.views.groups import GroupDeleteView, GroupMembersView, GroupsView, GroupView
from tenants.views.users import (
    USERS_PER_PAGE,
    UserAddView,
    UserRemoveView,
    UserResetPasswordView,
    UserRolesView,
    UsersView,
)

__all__ = [
    "EVENTS_PER_PAGE",
    "USERS_PER_PAGE",
    "ApiTokenRevokeView",
    "ApiTokensView",
    "AuditView",
    "GroupDeleteView",
    "GroupMembersView",
    "GroupView",
    "GroupsView",
    "TenantCreateView",
    "TenantHomeView",
    "UserAddView",
    "UserRemoveView",
    "UserResetPasswordView",
    "UserRolesView",
    "UsersView",
    "home",
    "set_language",
]
