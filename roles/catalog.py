"""The built-in role catalog: loading it from the CSV, and an in-process cache of it."""

import csv
import uuid
from pathlib import Path

from core.text import lazy_text

CSV_PATH = Path(__file__).resolve().parent / "data" / "entra_builtin_roles.csv"
# Microsoft's German names (Microsoft Learn, de-de); `source` says which ones we translated.
CSV_PATH_DE = Path(__file__).resolve().parent / "data" / "entra_builtin_roles.de.csv"

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


def read_german_csv() -> dict:
    """{template id: {"name_de", "summary_de"}} from the German catalog."""
    with CSV_PATH_DE.open(newline="", encoding="utf-8") as fh:
        return {
            uuid.UUID(row["template_id"]): {
                "name_de": row["name"].strip(),
                "summary_de": row["summary"].strip(),
            }
            for row in csv.DictReader(fh)
        }


def load(role_model) -> int:
    """Add or rename catalog roles by template id (never by name); returns the row count."""
    rows = read_csv()
    # Migrations before roles.0005 pass a historical model without the German fields.
    field_names = {f.name for f in role_model._meta.get_fields()}
    german = read_german_csv() if "name_de" in field_names else {}
    for row in rows:
        role_id = row.pop("id")
        row.update(german.get(role_id, {}))
        role_model.objects.update_or_create(id=role_id, defaults=row)
    return len(rows)


def load_german(role_model) -> int:
    """Set the German name and summary of every catalog role; returns the row count."""
    german = read_german_csv()
    for role_id, fields in german.items():
        role_model.objects.filter(id=role_id).update(**fields)
    return len(german)


def lazy_names(roles) -> list:
    """Lazy display names of roles (RoleDefinitions or English names) for mail context:
    each renders in the language active when the mail is rendered."""
    names = [getattr(role, "name", role) for role in roles]
    return [lazy_text(localized_name, name) for name in names]


def localized_name(name: str) -> str:
    """The name of the role called `name` (English, as stored in audit events) in the
    active language; unknown names come back unchanged."""
    for role in roles_by_id().values():
        if role.name == name:
            return role.display_name
    return name


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
    return sorted((known[i] for i in ids if i in known), key=lambda r: r.sort_key)


def roles_for(ids) -> dict:
    """{id: RoleDefinition} for ids, from the cache (reloaded once if an id is unknown)."""
    ids = set(ids)
    if not ids <= roles_by_id().keys():
        _cache.clear()
    known = roles_by_id()
    return {i: known[i] for i in ids if i in known}


def clear_cache() -> None:
    _cache.clear()
