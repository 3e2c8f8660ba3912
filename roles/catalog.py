"""The built-in role catalog: loading it from the CSV, and an in-process cache of it."""

import csv
import uuid
from pathlib import Path

CSV_PATH = Path(__file__).resolve().parent / "data" / "entra_builtin_roles.csv"

GLOBAL_ADMINISTRATOR = uuid.UUID("62e90394-69f5-4237-9190-012177145e10")

# Roles that only make sense for the tenant's own accounts or for Microsoft's own staff;
# Microsoft's GDAP does not offer them either.
NOT_GDAP_ASSIGNABLE = {
    "Directory Synchronization Accounts",
    "Partner Tier1 Support",
    "Partner Tier2 Support",
    "Tenant Creator",
    "Microsoft 365 Support Engineer",
}


def read_csv() -> list[dict]:
    with CSV_PATH.open(newline="", encoding="utf-8") as fh:
        return [
            {
                "id": uuid.UUID(row["template_id"]),
                "name": row["name"].strip(),
                "summary": row["summary"].strip(),
                "is_privileged": row["privileged"].strip().lower() == "true",
                "gdap_assignable": row["name"].strip() not in NOT_GDAP_ASSIGNABLE,
                "blocks_auto_extend": uuid.UUID(row["template_id"]) == GLOBAL_ADMINISTRATOR,
            }
            for row in csv.DictReader(fh)
        ]


def load(role_model) -> int:
    """Add or rename catalog roles by template id (never by name); returns the row count."""
    rows = read_csv()
    for row in rows:
        role_id = row.pop("id")
        role_model.objects.update_or_create(id=role_id, defaults=row)
    return len(rows)


_cache: dict = {}


def roles_by_id() -> dict:
    """Every RoleDefinition by id, read once per process (the catalog changes by migration)."""
    if not _cache:
        from roles.models import RoleDefinition

        _cache.update({role.id: role for role in RoleDefinition.objects.all()})
    return _cache


def get_roles(ids) -> list:
    """Roles for ids, in catalog order; reloads once if an id is unknown to the cache."""
    ids = set(ids)
    known = roles_by_id()
    if not ids <= known.keys():
        _cache.clear()
        known = roles_by_id()
    return sorted((known[i] for i in ids if i in known), key=lambda r: r.name)


def clear_cache() -> None:
    _cache.clear()
