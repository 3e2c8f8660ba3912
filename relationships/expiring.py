"""Rows of the expiring relationships view, shared by its page, its CSV and the API: each
relationship as the tenant reads it now (the other party, the end, days left, whether it
may extend itself and why not)."""

from relationships.rules import auto_extend_refusal


def row(rel, tenant, now) -> dict:
    """One relationship of the view (roles come prefetched: no query here)."""
    status = rel.status_at(now)
    end = rel.real_end(now)
    approved = rel.approved_role_list
    is_partner = rel.partner_id == tenant.pk
    refusal = auto_extend_refusal(approved)
    return {
        "rel": rel,
        "is_partner": is_partner,
        "other": rel.customer if is_partner else rel.partner,
        "status": status,
        "expiring": rel.is_expiring(now),
        "end": end,
        "days_left": (end - now).days if end and end > now else None,
        "days_ago": (now - end).days if end and end <= now else None,
        "roles": approved,
        "auto_extends": bool(rel.auto_extend_duration),
        "auto_extend_refusal": refusal,
        "can_switch": status == "active",
    }


CSV_HEADER = [
    "Relationship",
    "Relationship id",
    "Partner",
    "Customer",
    "Status",
    "Roles",
    "Activated",
    "Ends or ended",
    "Days left",
    "Auto-extend",
    "Auto-extend available",
    "Internal reference",
]


def csv_rows(rels, tenant, now):
    """CSV lines (the header is CSV_HEADER: English column names, stable for scripts)."""
    for rel in rels:
        r = row(rel, tenant, now)
        yield [
            rel.display_name,
            str(rel.pk),
            rel.partner.name,
            rel.customer.name if rel.customer else "",
            r["status"],
            "; ".join(role.name for role in r["roles"]),
            rel.activated_at.isoformat() if rel.activated_at else "",
            r["end"].isoformat() if r["end"] else "",
            "" if r["days_left"] is None else r["days_left"],
            "on" if r["auto_extends"] else "off",
            "no: " + r["auto_extend_refusal"] if r["auto_extend_refusal"] else "yes",
            rel.reference if r["is_partner"] else "",
        ]


def filename(tenant, now) -> str:
    return f"expiring-relationships-{tenant.slug or tenant.pk}-{now:%Y%m%d}.csv"
