"""Request bodies in Graph's shape, read into what the services take.

Every refusal is a ValidationError (400, with the Graph property as the target), whatever
the client sent: a wrong type, an unknown property, a read-only one, a malformed id.
"""

import re
from datetime import timedelta

from django.utils.translation import gettext as _

from core.durations import parse_iso_duration
from core.errors import NotFound, ValidationError
from tenants.selectors import get_tenant

# str(timedelta), which msgraph-sdk-python writes for a Duration (its issue #1262); read
# too, so that Python callers may pass a timedelta. Graph itself wants ISO 8601.
_PYTHON_TIMEDELTA = re.compile(r"(?:(\d{1,6}) days?, )?(\d{1,2}):(\d{2}):(\d{2})")


def _invalid(target: str, message: str):
    return ValidationError(message, errors={target: [message]})


def body_of(request, *, allowed: set[str], read_only: set[str] = frozenset()) -> dict:
    """The JSON object of the request; annotations (@odata.*) are ignored."""
    data = request.data
    if not isinstance(data, dict):
        raise _invalid("body", _("The request body must be a JSON object."))
    body = {}
    for name, value in data.items():
        if name.startswith("@odata."):
            continue
        if name in read_only:
            raise _invalid(name, _("The property '%(name)s' is read-only.") % {"name": name})
        if name not in allowed:
            raise _invalid(
                name, _("The property '%(name)s' does not exist on this type.") % {"name": name}
            )
        body[name] = value
    return body


def duration(value, target: str) -> timedelta:
    """An ISO 8601 duration in any form (P2Y, P730D, P1Y6M, PT0S)."""
    parsed = parse_iso_duration(value) if isinstance(value, str) else None
    if parsed is None and isinstance(value, str):
        match = _PYTHON_TIMEDELTA.fullmatch(value.strip())
        if match:
            days, hours, minutes, seconds = (int(g or 0) for g in match.groups())
            parsed = timedelta(days=days, hours=hours, minutes=minutes, seconds=seconds)
    if parsed is None:
        raise _invalid(
            target,
            _("'%(value)s' is not an ISO 8601 duration (for example P730D or PT0S).")
            % {"value": str(value)[:40]},
        )
    return parsed


def role_ids(access_details, target: str = "accessDetails") -> list[str]:
    """{"unifiedRoles": [{"roleDefinitionId": ...}]} -> the role ids."""
    roles = access_details.get("unifiedRoles") if isinstance(access_details, dict) else None
    if not isinstance(roles, list) or not all(
        isinstance(role, dict) and isinstance(role.get("roleDefinitionId"), str) for role in roles
    ):
        raise _invalid(
            target,
            _('accessDetails must be {"unifiedRoles": [{"roleDefinitionId": "..."}]}.'),
        )
    return [role["roleDefinitionId"] for role in roles]


def customer(value):
    """{"tenantId": ...} -> the tenant (None for null); an unknown tenant is a 400."""
    if value is None:
        return None
    tenant_id = value.get("tenantId") if isinstance(value, dict) else None
    if not isinstance(tenant_id, str):
        raise _invalid("customer", _('customer must be {"tenantId": "..."}.'))
    try:
        return get_tenant(tenant_id)
    except NotFound:
        raise _invalid(
            "customer", _("No tenant has the id %(id)s.") % {"id": tenant_id[:40]}
        ) from None


def display_name(value) -> str:
    if not isinstance(value, str):
        raise _invalid("displayName", _("displayName must be a string."))
    return value


def access_container_id(value) -> str:
    """{"accessContainerId": ..., "accessContainerType": "securityGroup"} -> the group id."""
    if (
        not isinstance(value, dict)
        or not isinstance(value.get("accessContainerId"), str)
        or value.get("accessContainerType", "securityGroup") != "securityGroup"
    ):
        raise _invalid(
            "accessContainer",
            _(
                'accessContainer must name a security group: {"accessContainerId": "...", '
                '"accessContainerType": "securityGroup"}.'
            ),
        )
    return value["accessContainerId"]
