"""State changes of subscriptions and billing settings.

Who may do what (the resolver decides; see roles/permissions.py):
- the customer's own people with `billing.manage`: buy directly (channel direct), or place
  an order through one of the tenant's MPSA partners (channel mpsa_partner); change,
  suspend, reactivate and cancel any subscription; switch MPSA sharing.
- a reseller's managers (capability `subscriptions.resell`): buy (channel reseller),
  change and cancel any subscription of the tenant.
- an indirect reseller's managers (`subscriptions.resell_own`): buy (channel
  indirect_reseller), change and cancel only the subscriptions bought through it (others:
  404 for it).
- an MPSA (purchasing) partner's managers (`subscriptions.mpsa`): buy (channel
  mpsa_partner), change and cancel only the purchases made through it.
A partner acts only while the customer has accepted the newest customer agreement (409
`agreement_required`). Each change: one transaction, one audit event (the partner as
acting tenant when a partner acts), and the customer's billing admins are mailed when a
partner acted.
"""

from billing.services.actions import (
    allowed_events,
    buy,
    cancel,
    change_quantity,
    reactivate,
    set_mpsa_sharing,
    set_status,
    suspend,
)
from billing.services.rules import (
    AUDIT_ACTIONS,
    BUY_PERMS,
    EVENT_FOR_STATUS,
    MAX_QUANTITY,
    OWN_ONLY,
    TRANSITIONS,
    renewal_from,
)

__all__ = [
    "AUDIT_ACTIONS",
    "BUY_PERMS",
    "EVENT_FOR_STATUS",
    "MAX_QUANTITY",
    "OWN_ONLY",
    "TRANSITIONS",
    "allowed_events",
    "buy",
    "cancel",
    "change_quantity",
    "reactivate",
    "renewal_from",
    "set_mpsa_sharing",
    "set_status",
    "suspend",
]
