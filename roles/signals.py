"""The resolver forgets its memoised answers whenever the data behind them changes.

Memberships, their roles and security group members are watched here; relationships/
adds its models (partner relationships, GDAP relationships, access assignments and their
roles) from its apps.py. Forgetting happens at the change, so every later check in the
request asks the database again. Bulk writes send no signals: the code doing them calls
access.forget() itself (only the expiry sweep does).
"""

from django.db.models.signals import m2m_changed, post_delete, post_save

from roles import access
from tenants.models import Membership, SecurityGroup


def _forget(**kwargs) -> None:
    access.forget()


def watch(*models) -> None:
    """Forget on every save and delete of these models."""
    for model in models:
        uid = f"access_forget_{model._meta.label_lower}"
        post_save.connect(_forget, sender=model, weak=False, dispatch_uid=f"{uid}_save")
        post_delete.connect(_forget, sender=model, weak=False, dispatch_uid=f"{uid}_delete")


def watch_m2m(*through_models) -> None:
    """Forget on every change of these many-to-many relations."""
    for through in through_models:
        m2m_changed.connect(
            _forget,
            sender=through,
            weak=False,
            dispatch_uid=f"access_forget_{through._meta.label_lower}",
        )


def connect() -> None:
    watch(Membership, SecurityGroup)
    watch_m2m(Membership.roles.through, SecurityGroup.members.through)
