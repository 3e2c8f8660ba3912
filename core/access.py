"""The access port: how code below the roles layer asks the access resolver.

core imports no app, and audit, notifications and tenants sit below roles, yet the tenant
base views and endpoints (core.views, core.api) need the resolver's answer. The resolver,
roles.access, installs itself here when its app is ready (roles/apps.py); it is the only
implementation, and nothing here decides anything.
"""

from django.core.exceptions import ImproperlyConfigured

_resolver = None


def install(resolver) -> None:
    """Called once by roles/apps.py with the roles.access module."""
    global _resolver
    _resolver = resolver


def _get():
    if _resolver is None:
        raise ImproperlyConfigured("No access resolver is installed: is 'roles' an installed app?")
    return _resolver


def get_tenant(tenant_id):
    """The tenant with this id; NotFound when there is none (visibility is resolve's call)."""
    return _get().get_tenant(tenant_id)


def resolve(user, tenant):
    """The user's access in tenant right now (a roles.access.TenantAccess)."""
    return _get().resolve(user, tenant)


def ended_access(user, tenant):
    """As roles.access.ended_access: the delegated access the user lost here, or None."""
    return _get().ended_access(user, tenant)


def require(user, tenant, perm=None):
    """As roles.access.require: NotFound if not theirs, PermissionDenied without perm."""
    return _get().require(user, tenant, perm)


def require_staff(user, perm: str, detail: str | None = None) -> None:
    """As roles.access.require_staff: support staff holding a Django permission."""
    _get().require_staff(user, perm, detail)
