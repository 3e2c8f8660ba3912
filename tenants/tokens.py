"""Personal access tokens: a prefix people recognise, stored only as a SHA-256 digest, and
the scopes a token may carry.

A token reaches one API surface per scope pair: Liaison's own API (`/api/v1`) or the
Microsoft Graph compatible one (`/graph/v1.0`, named as Graph names its permissions). A
read scope allows safe methods only. A token made without scopes gets Liaison.ReadWrite.
"""

import hashlib

from django.utils.translation import gettext_lazy as _

TOKEN_PREFIX = "lia_"

API = "api"
GRAPH = "graph"

LIAISON_READ = "Liaison.Read"
LIAISON_READ_WRITE = "Liaison.ReadWrite"
GRAPH_READ = "DelegatedAdminRelationship.Read.All"
GRAPH_READ_WRITE = "DelegatedAdminRelationship.ReadWrite.All"

SCOPES = {
    LIAISON_READ: _("Read through the Liaison API"),
    LIAISON_READ_WRITE: _("Read and change through the Liaison API"),
    GRAPH_READ: _("Read GDAP relationships through the Microsoft Graph compatible API"),
    GRAPH_READ_WRITE: _("Read and change GDAP relationships through the Graph compatible API"),
}
# (surface, write) -> the scopes that allow it
ALLOWS = {
    (API, False): {LIAISON_READ, LIAISON_READ_WRITE},
    (API, True): {LIAISON_READ_WRITE},
    (GRAPH, False): {GRAPH_READ, GRAPH_READ_WRITE},
    (GRAPH, True): {GRAPH_READ_WRITE},
}
# Short names clients may send for the Liaison scopes.
ALIASES = {
    "read": LIAISON_READ,
    "read_write": LIAISON_READ_WRITE,
    "readwrite": LIAISON_READ_WRITE,
    "write": LIAISON_READ_WRITE,
}
DEFAULT_SCOPES = (LIAISON_READ_WRITE,)
# Graph paths carry no tenant: a token for them names its partner tenant.
NEEDS_TENANT = {GRAPH_READ, GRAPH_READ_WRITE}


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def canonical_scopes(names) -> list[str] | None:
    """The scopes named (aliases resolved, order kept, no repeats); None if one is unknown."""
    result = []
    for name in names:
        scope = ALIASES.get(str(name).strip().lower(), str(name).strip())
        if scope not in SCOPES:
            return None
        if scope not in result:
            result.append(scope)
    return result


def allows(scopes, *, surface: str, write: bool) -> bool:
    return bool(set(scopes or DEFAULT_SCOPES) & ALLOWS[(surface, write)])
