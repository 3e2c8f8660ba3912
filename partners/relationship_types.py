"""The nine relationship types of DESIGN, defined once: codes, labels and rules as data.

Each type says what the partner does for the customer, which admin roles an invitation of
that type may ask for, and what it unlocks in Liaison. Invitations, relationships and the
directory filter all read this table; nothing else lists the types.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from core.text import lazy_text
from roles.permissions import ADVISOR_ROLES

# Which admin roles a type may ask for.
ROLES_NONE = "none"  # no admin role at all
ROLES_LISTED = "listed"  # only the role names in `role_names`
ROLES_ANY_ASSIGNABLE = "any_assignable"  # any GDAP-assignable catalog role


@dataclass(frozen=True)
class RelationshipType:
    code: str
    label: str
    does: str  # what the partner does for the customer
    unlocks: str  # what the type unlocks in Liaison, in one line
    role_policy: str = ROLES_NONE
    role_names: frozenset[str] = frozenset()
    assignable: bool = True  # False: a partner cannot ask a customer for this type

    def may_ask_for(self, role) -> bool:
        """Whether an invitation of this type may ask for role (a RoleDefinition)."""
        if not self.assignable or self.role_policy == ROLES_NONE:
            return False
        if self.role_policy == ROLES_LISTED:
            return role.name in self.role_names
        return bool(role.gdap_assignable)

    @property
    def asks_for_roles(self) -> bool:
        return self.assignable and self.role_policy != ROLES_NONE


ADVISOR = "advisor"
ISV = "isv"
INDIRECT_RESELLER = "indirect_reseller"
INDUSTRY_PARTNER = "industry_partner"
MPSA_PARTNER = "mpsa_partner"
OEM = "oem"
PARTNER_USER_ACCOUNT = "partner_user_account"
GDAP = "gdap"
RESELLER = "reseller"

TYPES: tuple[RelationshipType, ...] = (
    RelationshipType(
        ADVISOR,
        _("Advisor"),
        _("Resets passwords and handles support incidents."),
        _("A delegated grant limited to the advisor roles."),
        role_policy=ROLES_LISTED,
        role_names=frozenset(ADVISOR_ROLES),
    ),
    RelationshipType(
        ISV,
        _("Independent software vendor"),
        _("Builds and sells software."),
        _("Listed as a partner; nothing in the tenant."),
    ),
    RelationshipType(
        INDIRECT_RESELLER,
        _("Indirect reseller"),
        _("Manages products and services for the tenant."),
        _("Manages subscriptions bought through it (needs the customer agreement)."),
    ),
    RelationshipType(
        INDUSTRY_PARTNER,
        _("Industry partner"),
        _("Builds, submits and manages industry apps."),
        _("Listed; its industry apps are visible to the tenant."),
    ),
    RelationshipType(
        MPSA_PARTNER,
        _("MPSA partner"),
        _("Purchasing partner under a Microsoft Products and Services Agreement."),
        _("When the customer allows it, sees purchases made by the tenant's other MPSA partners."),
    ),
    RelationshipType(
        OEM,
        _("OEM"),
        _("Registers devices (Autopilot)."),
        _("Writes device registrations for the tenant; reads nothing else."),
    ),
    RelationshipType(
        PARTNER_USER_ACCOUNT,
        _("Partner user account"),
        _("Works through a user account in the tenant."),
        _("A membership in the customer tenant, marked as the partner's."),
        role_policy=ROLES_ANY_ASSIGNABLE,
    ),
    RelationshipType(
        GDAP,
        _("Granular delegated admin (GDAP)"),
        _("Granular, time-bound delegated administration."),
        _("A delegated admin relationship with the approved roles."),
        role_policy=ROLES_ANY_ASSIGNABLE,
    ),
    RelationshipType(
        RESELLER,
        _("Reseller"),
        _("Sells products to the tenant."),
        _("Purchases on the tenant's behalf (needs the customer agreement)."),
    ),
)

BY_CODE: dict[str, RelationshipType] = {t.code: t for t in TYPES}
CODES: tuple[str, ...] = tuple(BY_CODE)
CHOICES: list[tuple[str, str]] = [(t.code, t.label) for t in TYPES]


def get(code: str) -> RelationshipType:
    """The type for code; KeyError for an unknown one."""
    return BY_CODE[code]


def label(code: str) -> str:
    found = BY_CODE.get(code)
    return str(found.label) if found else code


def lazy_labels(codes) -> list:
    """Labels of codes as lazy strings, for mail rendered in the recipient's language."""
    return [lazy_text(label, code) for code in codes]
