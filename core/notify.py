"""Mail to the people of a tenant who hold a permission, each in their own language."""

from roles import permissions


def recipients_with_permission(tenant, perm: str) -> list[tuple[str, str]]:
    """(email, language) of tenant members whose own roles grant perm (one query)."""
    tenant_id = getattr(tenant, "pk", tenant)
    return sorted(recipients_by_tenant([tenant_id], perm).get(tenant_id, []))


def notify_admins(*, tenant, permission: str, template: str, context: dict) -> int:
    """Queue `template` to every holder of `permission` in tenant; returns how many."""
    from notifications.services import queue_mail

    recipients = recipients_with_permission(tenant, permission)
    for email, language in recipients:
        queue_mail(to=email, template=template, context=context, language=language or None)
    return len(recipients)


def recipients_by_tenant(tenant_ids, perm: str) -> dict:
    """{tenant id: [(email, language)]} of holders of perm in each tenant (one query)."""
    from tenants.models import Membership

    role_ids = [permissions.role_id(name) for name in permissions.roles_granting(perm)]
    rows = (
        Membership.objects.filter(
            tenant_id__in=list(tenant_ids), roles__id__in=role_ids, user__is_active=True
        )
        .values_list("tenant_id", "user__email", "user__language")
        .distinct()
    )
    result: dict = {}
    for tenant_id, email, language in rows:
        result.setdefault(tenant_id, []).append((email, language))
    return result
