"""Mail to the people of a tenant who hold a permission, each in their own language."""

from notifications.services import queue_mail
from roles.access import holders


def notify_admins(*, tenant, permission: str, template: str, context: dict) -> int:
    """Queue `template` to every holder of `permission` in tenant; returns how many."""
    recipients = holders(tenant, permission)
    for email, language in recipients:
        queue_mail(to=email, template=template, context=context, language=language or None)
    return len(recipients)
