"""The floors the tenant lists bench holds the product to (issue 16): for each list, the
best SQL written by hand for the same page (one statement: the page in index order, its
total, and every related value the page shows, aggregated per row), and a DRF view
serializing those rows with DRF's own fields. It authenticates as DRF's defaults do (the
same bearer token as the product's request) but asks no access resolver: it reads the
partner id from the URL. It takes no code from the product's selectors or serializers.
"""

import json
from datetime import datetime, timedelta
from types import SimpleNamespace

from django.db import connection
from django.urls import path
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param
from rest_framework.views import APIView

_SORT_KEY: dict = {}


def _has_sort_key() -> bool:
    """Whether partners_partnerrelationship has the customers list's sort key (issue 16);
    the schema before it orders by the joined tenant's name."""
    if "customers" not in _SORT_KEY:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT 1 FROM information_schema.columns WHERE table_name = "
                "'partners_partnerrelationship' AND column_name = 'customer_name'"
            )
            _SORT_KEY["customers"] = cursor.fetchone() is not None
    return _SORT_KEY["customers"]


CUSTOMERS_SQL = """
WITH page AS MATERIALIZED (
    SELECT r.customer_id, {name} AS name, r.types, r.started_at
    FROM partners_partnerrelationship r {join}
    WHERE r.partner_id = %(partner)s AND r.types <> '[]'::jsonb
    ORDER BY {name}, r.customer_id LIMIT %(limit)s OFFSET %(offset)s
), version AS (
    SELECT id FROM agreements_agreementversion
    WHERE kind = 'customer_agreement' AND published_at IS NOT NULL
    ORDER BY published_at DESC, created_at DESC LIMIT 1
)
SELECT
    (SELECT count(*) FROM partners_partnerrelationship
     WHERE partner_id = %(partner)s AND types <> '[]'::jsonb),
    p.customer_id, p.name, p.types, p.started_at,
    EXISTS (SELECT 1 FROM agreements_agreementacceptance a, version v
            WHERE a.tenant_id = p.customer_id AND a.version_id = v.id),
    (SELECT coalesce(json_agg(json_build_array(g.id, g.display_name, g.status, g.end_at,
                     g.ended_at, extract(epoch FROM g.auto_extend_duration))
                     ORDER BY g.created_at DESC), '[]')
     FROM roles_delegatedadminrelationship g
     WHERE g.customer_id = p.customer_id AND g.partner_id = %(partner)s
       AND g.status <> 'created')
FROM page p ORDER BY p.name, p.customer_id
"""


def _json(value):
    return json.loads(value) if isinstance(value, str) else value


def _page(request) -> tuple[int, int]:
    size = min(int(request.query_params.get("page_size", 20)), 100)
    return int(request.query_params.get("page", 1)), size


def _envelope(request, count, page, size, results) -> Response:
    url = request.build_absolute_uri()
    previous = None
    if page > 1:
        previous = (
            remove_query_param(url, "page")
            if page == 2
            else replace_query_param(url, "page", page - 1)
        )
    return Response(
        {
            "count": count,
            "next": replace_query_param(url, "page", page + 1) if page * size < count else None,
            "previous": previous,
            "results": results,
        }
    )


class _Gdap(serializers.Serializer):
    id = serializers.UUIDField()
    display_name = serializers.CharField()
    status = serializers.CharField()
    end_at = serializers.DateTimeField(allow_null=True)


class _Customer(serializers.Serializer):
    tenant_id = serializers.UUIDField()
    name = serializers.CharField()
    relationship_types = serializers.ListField(child=serializers.CharField())
    agreement_accepted = serializers.BooleanField()
    started_at = serializers.DateTimeField()
    gdap = _Gdap(many=True)


def _gdap(row, now) -> dict:
    """A GDAP relationship's status and end as read now (an active grant past its
    possibly auto-extended end reads expired; an ended one ended when it ended)."""
    gid, name, status, end_at, ended_at, extend = row
    end = datetime.fromisoformat(end_at) if end_at else None
    ended = datetime.fromisoformat(ended_at) if ended_at else None
    if end is not None and end <= now and extend:
        step = timedelta(seconds=extend)
        end = end + ((now - end) // step + 1) * step
    if status == "active" and end is not None and end <= now:
        status = "expired"
    if status in ("terminated", "declined"):
        end = ended or end
    elif status == "expired" and (end is None or (ended is not None and ended < end)):
        end = ended
    return {"id": gid, "display_name": name, "status": status, "end_at": end}


class FloorCustomers(APIView):
    """GET /bench/floor/lists/<partner>/customers: one statement for the page."""

    def get(self, request, partner):
        from django.utils import timezone

        page, size = _page(request)
        sort = _has_sort_key()
        sql = CUSTOMERS_SQL.format(
            name="r.customer_name" if sort else "t.name",
            join="" if sort else "JOIN tenants_tenant t ON t.id = r.customer_id",
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, {"partner": partner, "limit": size, "offset": (page - 1) * size})
            rows = cursor.fetchall()
        now = timezone.now()
        count = rows[0][0] if rows else 0
        results = [
            {
                "tenant_id": cid,
                "name": name,
                "relationship_types": json.loads(types) if isinstance(types, str) else types,
                "agreement_accepted": accepted,
                "started_at": started,
                "gdap": [
                    _gdap(g, now) for g in (json.loads(gdap) if isinstance(gdap, str) else gdap)
                ],
            }
            for _count, cid, name, types, started, accepted, gdap in rows
        ]
        return _envelope(request, count, page, size, _Customer(results, many=True).data)


USERS_SQL = """
WITH page AS MATERIALIZED (
    SELECT m.id, m.user_id, m.partner_tenant_id, m.created_at, u.email, u.display_name
    FROM tenants_membership m JOIN tenants_user u ON u.id = m.user_id
    WHERE m.tenant_id = %(tenant)s
    ORDER BY u.email LIMIT %(limit)s OFFSET %(offset)s
)
SELECT
    (SELECT count(*) FROM tenants_membership WHERE tenant_id = %(tenant)s),
    p.user_id, p.email, p.display_name, p.partner_tenant_id, p.created_at,
    (SELECT coalesce(json_agg(json_build_array(r.id, r.name) ORDER BY r.name), '[]')
     FROM tenants_membership_roles mr JOIN roles_roledefinition r ON r.id = mr.roledefinition_id
     WHERE mr.membership_id = p.id)
FROM page p ORDER BY p.email
"""


class _Role(serializers.Serializer):
    role_definition_id = serializers.UUIDField()
    name = serializers.CharField()


class _Member(serializers.Serializer):
    id = serializers.UUIDField()
    email = serializers.EmailField()
    display_name = serializers.CharField()
    roles = _Role(many=True)
    partner_tenant_id = serializers.UUIDField(allow_null=True)
    added_at = serializers.DateTimeField()


class FloorUsers(APIView):
    """GET /bench/floor/lists/<tenant>/users: the members page in one statement."""

    def get(self, request, tenant):
        page, size = _page(request)
        with connection.cursor() as cursor:
            cursor.execute(
                USERS_SQL, {"tenant": tenant, "limit": size, "offset": (page - 1) * size}
            )
            rows = cursor.fetchall()
        count = rows[0][0] if rows else 0
        results = [
            {
                "id": uid,
                "email": email,
                "display_name": name,
                "roles": [
                    {"role_definition_id": rid, "name": rname}
                    for rid, rname in (json.loads(roles) if isinstance(roles, str) else roles)
                ],
                "partner_tenant_id": partner,
                "added_at": added,
            }
            for _count, uid, email, name, partner, added, roles in rows
        ]
        return _envelope(request, count, page, size, _Member(results, many=True).data)


INVITATIONS_SQL = """
WITH page AS MATERIALIZED (
    SELECT i.* FROM partners_invitation i WHERE i.partner_id = %(partner)s
    ORDER BY i.created_at DESC LIMIT %(limit)s OFFSET %(offset)s
)
SELECT
    (SELECT count(*) FROM partners_invitation WHERE partner_id = %(partner)s),
    p.id, t.name, p.email, p.customer_id, p.relationship_types, p.message, p.lead_id,
    p.status, p.sent_at, p.resent_count, p.last_sent_at, p.expires_at, p.responded_at,
    p.created_at, u.id, u.email, p.reference,
    g.id, g.display_name, g.status, g.end_at, g.duration, g.auto_extend_duration,
    (SELECT coalesce(json_agg(r.roledefinition_id ORDER BY rd.name), '[]')
     FROM roles_delegatedadminrelationship_requested_roles r
     JOIN roles_roledefinition rd ON rd.id = r.roledefinition_id
     WHERE r.delegatedadminrelationship_id = g.id)
FROM page p
JOIN tenants_tenant t ON t.id = p.partner_id
LEFT JOIN tenants_user u ON u.id = p.created_by_id
LEFT JOIN roles_delegatedadminrelationship g ON g.id = p.gdap_relationship_id
ORDER BY p.created_at DESC
"""


def _duration(value):
    from core.durations import format_iso_duration  # the API's duration format

    return format_iso_duration(value)


class _TenantName(serializers.Serializer):
    tenant_id = serializers.UUIDField()
    name = serializers.CharField()


class _GdapRequest(serializers.Serializer):
    id = serializers.UUIDField()
    display_name = serializers.CharField()
    status = serializers.CharField()
    duration = serializers.CharField()
    auto_extend_duration = serializers.CharField()
    role_definition_ids = serializers.ListField(child=serializers.UUIDField())


class _UserRef(serializers.Serializer):
    id = serializers.UUIDField()
    email = serializers.EmailField()


class _Invitation(serializers.Serializer):
    id = serializers.UUIDField()
    partner = _TenantName()
    email = serializers.EmailField()
    customer_tenant_id = serializers.UUIDField(allow_null=True)
    relationship_types = serializers.ListField(child=serializers.CharField())
    message = serializers.CharField()
    lead_id = serializers.UUIDField(allow_null=True)
    gdap = _GdapRequest(allow_null=True)
    status = serializers.CharField()
    sent_at = serializers.DateTimeField()
    resent_count = serializers.IntegerField()
    last_sent_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField()
    responded_at = serializers.DateTimeField(allow_null=True)
    status_changed_at = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()
    created_by = _UserRef(allow_null=True)
    reference = serializers.CharField(allow_null=True)


def _gdap_request(columns, now):
    """The invitation's GDAP request as the API shows it (its status as of now), from the
    statement's last seven columns."""
    gid, gname, gstatus, gend, gduration, gextend, groles = columns
    if gid is None:
        return None
    if gstatus == "active" and gend is not None:
        end = gend
        if end <= now and gextend:
            end = end + ((now - end) // gextend + 1) * gextend
        if end <= now:
            gstatus = "expired"
    return {
        "id": gid,
        "display_name": gname,
        "status": gstatus,
        "duration": _duration(gduration),
        "auto_extend_duration": _duration(gextend),
        "role_definition_ids": _json(groles),
    }


# The columns of INVITATIONS_SQL and RECEIVED_SQL between the count and the GDAP request.
SENT_COLUMNS = (
    "iid", "pname", "email", "customer", "types", "message", "lead", "status", "sent",
    "resent", "last_sent", "expires", "responded", "created", "uid", "uemail", "reference",
)  # fmt: skip
RECEIVED_COLUMNS = (
    "iid", "partner", "pname", "email", "customer", "types", "message", "lead", "status",
    "sent", "resent", "last_sent", "expires", "responded", "created",
)  # fmt: skip


def _invitation(row: dict, now, *, created_by=None, reference=None) -> dict:
    """An invitation as the API shows it (its status as of now), from its columns by name
    and the statement's last seven (its GDAP request)."""
    status, expires = row["status"], row["expires"]
    if status == "pending" and expires <= now:
        status = "expired"
    return {
        "id": row["iid"],
        "partner": {"tenant_id": row["partner"], "name": row["pname"]},
        "email": row["email"],
        "customer_tenant_id": row["customer"],
        "relationship_types": _json(row["types"]),
        "message": row["message"],
        "lead_id": row["lead"],
        "gdap": _gdap_request(row["gdap"], now),
        "status": status,
        "sent_at": row["sent"],
        "resent_count": row["resent"],
        "last_sent_at": row["last_sent"],
        "expires_at": expires,
        "responded_at": row["responded"],
        "status_changed_at": {"pending": row["last_sent"], "expired": expires}.get(
            status, row["responded"]
        ),
        "created_at": row["created"],
        "created_by": created_by,
        "reference": reference,
    }


class FloorInvitations(APIView):
    """GET /bench/floor/lists/<partner>/invitations: the partner's sent invitations."""

    def get(self, request, partner):
        from django.utils import timezone

        if request.query_params.get("direction") == "received":
            return FloorInvitationsReceived().get(request, partner)

        page, size = _page(request)
        with connection.cursor() as cursor:
            params = {"partner": partner, "limit": size, "offset": (page - 1) * size}
            cursor.execute(INVITATIONS_SQL, params)
            rows = cursor.fetchall()
        now = timezone.now()
        count = rows[0][0] if rows else 0
        results = []
        for row in rows:
            columns = dict(zip(SENT_COLUMNS, row[1:-7], strict=True))
            columns.update(partner=partner, gdap=row[-7:])
            uid = columns["uid"]
            created_by = {"id": uid, "email": columns["uemail"]} if uid else None
            results.append(
                _invitation(columns, now, created_by=created_by, reference=columns["reference"])
            )
        return _envelope(request, count, page, size, _Invitation(results, many=True).data)


GDAP_COLUMNS = """
    p.id, p.display_name, p.status, p.duration, p.auto_extend_duration,
    p.customer_id, c.name, p.partner_id, t.name, p.created_at, p.activated_at, p.end_at,
    p.ended_at, p.last_modified_at, u.id, u.email, p.reference,
    (SELECT coalesce(json_agg(json_build_array(r.id, r.blocks_auto_extend, r.name)
                              ORDER BY r.name), '[]')
     FROM roles_delegatedadminrelationship_approved_roles a
     JOIN roles_roledefinition r ON r.id = a.roledefinition_id
     WHERE a.delegatedadminrelationship_id = p.id),
    (SELECT coalesce(json_agg(r.id ORDER BY r.name), '[]')
     FROM roles_delegatedadminrelationship_requested_roles q
     JOIN roles_roledefinition r ON r.id = q.roledefinition_id
     WHERE q.delegatedadminrelationship_id = p.id)
FROM page p
JOIN tenants_tenant t ON t.id = p.partner_id
LEFT JOIN tenants_tenant c ON c.id = p.customer_id
LEFT JOIN tenants_user u ON u.id = p.created_by_id
"""

# The tenant's relationships as partner, and as customer once sent for approval: two index
# ranges, each stopped at the page's end, merged in created_at order (no row is in both).
GDAP_SQL = (
    """
WITH page AS MATERIALIZED (
    SELECT * FROM (
        (SELECT g.* FROM roles_delegatedadminrelationship g WHERE g.partner_id = %(tenant)s
         ORDER BY g.created_at DESC LIMIT %(end)s)
        UNION ALL
        (SELECT g.* FROM roles_delegatedadminrelationship g
         WHERE g.customer_id = %(tenant)s AND g.status <> 'created'
           AND g.partner_id <> %(tenant)s
         ORDER BY g.created_at DESC LIMIT %(end)s)
    ) g ORDER BY g.created_at DESC LIMIT %(limit)s OFFSET %(offset)s
)
SELECT
    (SELECT count(*) FROM roles_delegatedadminrelationship
     WHERE partner_id = %(tenant)s OR (customer_id = %(tenant)s AND status <> 'created')),
"""
    + GDAP_COLUMNS
    + "ORDER BY p.created_at DESC"
)

# Running now (active, ending ahead or auto-extending), then expired in the last year
# (recorded, or active past its end without auto-extend): soonest end first.
_RUNNING = "(g.status = 'active' AND (g.end_at > %(now)s OR g.auto_extend_duration > '0'))"
_EXPIRED = (
    "((g.status = 'expired' OR (g.status = 'active' AND g.end_at <= %(now)s"
    " AND g.auto_extend_duration = '0')) AND g.end_at > %(since)s AND g.end_at <= %(now)s)"
)
EXPIRING_SQL = (
    f"""
WITH page AS MATERIALIZED (
    SELECT g.*, CASE WHEN {_RUNNING} THEN 0 ELSE 1 END AS is_over
    FROM roles_delegatedadminrelationship g
    WHERE (g.partner_id = %(tenant)s OR (g.customer_id = %(tenant)s AND g.status <> 'created'))
      AND ({_RUNNING} OR {_EXPIRED})
    ORDER BY is_over, g.end_at, g.display_name LIMIT %(limit)s OFFSET %(offset)s
)
SELECT
    (SELECT count(*) FROM roles_delegatedadminrelationship g
     WHERE (g.partner_id = %(tenant)s OR (g.customer_id = %(tenant)s AND g.status <> 'created'))
       AND ({_RUNNING} OR {_EXPIRED})),
"""
    + GDAP_COLUMNS
    + "ORDER BY p.is_over, p.end_at, p.display_name"
)


class _GdapTenant(serializers.Serializer):
    tenant_id = serializers.UUIDField()
    display_name = serializers.CharField()


class _UnifiedRole(serializers.Serializer):
    role_definition_id = serializers.UUIDField()


class _AccessDetails(serializers.Serializer):
    unified_roles = _UnifiedRole(many=True)


class _Ref(serializers.Serializer):
    id = serializers.UUIDField()
    email = serializers.EmailField()


class _Relationship(serializers.Serializer):
    id = serializers.UUIDField()
    display_name = serializers.CharField()
    status = serializers.CharField()
    is_expiring = serializers.BooleanField()
    duration = serializers.CharField()
    auto_extend_duration = serializers.CharField()
    customer = _GdapTenant(allow_null=True)
    partner = _GdapTenant()
    access_details = _AccessDetails()
    requested_access_details = _AccessDetails()
    created_date_time = serializers.DateTimeField()
    activated_date_time = serializers.DateTimeField(allow_null=True)
    end_date_time = serializers.DateTimeField(allow_null=True)
    ended_date_time = serializers.DateTimeField(allow_null=True)
    last_modified_date_time = serializers.DateTimeField()
    created_by = _Ref(allow_null=True)
    reference = serializers.CharField(allow_null=True)


class _Expiring(_Relationship):
    auto_extend_available = serializers.BooleanField()
    auto_extend_unavailable_reason = serializers.CharField(allow_null=True)


def _refusal(approved) -> str | None:
    from relationships.rules import auto_extend_refusal  # the API's wording

    return auto_extend_refusal(
        [SimpleNamespace(name=name, blocks_auto_extend=blocks) for _id, blocks, name in approved]
    )


def _relationship(row, tenant, now, *, expiring: bool) -> dict:
    """A GDAP relationship as read now (the status, end and expiry clients see)."""
    (_count, gid, name, status, duration, extend, cid, cname, pid, pname, created,
     activated, end_at, ended_at, modified, uid, uemail, reference,
     approved, requested) = row[:20]  # fmt: skip
    approved = _json(approved)
    end = end_at
    if end is not None and end <= now and extend:
        end = end + ((now - end) // extend + 1) * extend
    if status == "active" and end is not None and end <= now:
        status = "expired"
    real_end = end
    if status in ("terminated", "declined"):
        real_end = ended_at or end
    elif status == "expired" and (end is None or (ended_at is not None and ended_at < end)):
        real_end = ended_at
    mine = str(pid) == str(tenant)
    data = {
        "id": gid,
        "display_name": name,
        "status": status,
        "is_expiring": status == "active" and end is not None and end - now <= timedelta(30),
        "duration": _duration(duration),
        "auto_extend_duration": _duration(extend),
        "customer": {"tenant_id": cid, "display_name": cname} if cid else None,
        "partner": {"tenant_id": pid, "display_name": pname},
        "access_details": {"unified_roles": [{"role_definition_id": r[0]} for r in approved]},
        "requested_access_details": {
            "unified_roles": [{"role_definition_id": r} for r in _json(requested)]
        },
        "created_date_time": created,
        "activated_date_time": activated,
        "end_date_time": real_end,
        "ended_date_time": ended_at,
        "last_modified_date_time": modified,
        "created_by": {"id": uid, "email": uemail} if mine and uid else None,
        "reference": reference if mine else None,
    }
    if expiring:
        reason = _refusal(approved)
        data["auto_extend_available"] = reason is None
        data["auto_extend_unavailable_reason"] = reason
    return data


class FloorGdapRelationships(APIView):
    """GET /bench/floor/lists/<tenant>/delegated-admin-relationships: both sides' page."""

    sql, serializer, expiring = GDAP_SQL, _Relationship, False

    def get(self, request, tenant):
        from django.utils import timezone

        page, size = _page(request)
        now = timezone.now()
        params = {
            "tenant": tenant,
            "limit": size,
            "offset": (page - 1) * size,
            "end": page * size,
            "now": now,
            "since": now - timedelta(days=365),
        }
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            rows = cursor.fetchall()
        count = rows[0][0] if rows else 0
        results = [_relationship(row, tenant, now, expiring=self.expiring) for row in rows]
        return _envelope(request, count, page, size, self.serializer(results, many=True).data)


class FloorExpiring(FloorGdapRelationships):
    """GET /bench/floor/lists/<tenant>/expiring: running, then expired, soonest end first."""

    sql, serializer, expiring = EXPIRING_SQL, _Expiring, True


# Events in or by the tenant: its two index ranges (target, time) and (acting, time), each
# stopped at the page's end, merged.
AUDIT_SQL = """
WITH page AS MATERIALIZED (
    SELECT * FROM (
        (SELECT e.* FROM audit_auditevent e WHERE e.target_tenant_id = %(tenant)s
         ORDER BY e.occurred_at DESC, e.id DESC LIMIT %(end)s)
        UNION ALL
        (SELECT e.* FROM audit_auditevent e WHERE e.acting_tenant_id = %(tenant)s
           AND e.target_tenant_id IS DISTINCT FROM %(tenant)s
         ORDER BY e.occurred_at DESC, e.id DESC LIMIT %(end)s)
    ) e ORDER BY e.occurred_at DESC, e.id DESC LIMIT %(limit)s OFFSET %(offset)s
)
SELECT
    (SELECT count(*) FROM audit_auditevent
     WHERE target_tenant_id = %(tenant)s OR acting_tenant_id = %(tenant)s),
    p.id, p.occurred_at, p.action, p.actor_id, p.actor_email, p.actor_kind,
    p.acting_tenant_id, a.name, p.target_tenant_id, t.name, p.relationship_id,
    p.object_type, p.object_id, p.object_repr, p.before, p.after, p.ip
FROM page p
LEFT JOIN tenants_tenant a ON a.id = p.acting_tenant_id
LEFT JOIN tenants_tenant t ON t.id = p.target_tenant_id
ORDER BY p.occurred_at DESC, p.id DESC
"""


class _NamedTenant(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()


class _Actor(serializers.Serializer):
    id = serializers.UUIDField(allow_null=True)
    email = serializers.CharField()
    kind = serializers.CharField()
    organisation = serializers.CharField()
    is_partner_technician = serializers.BooleanField()


class _AuditEvent(serializers.Serializer):
    id = serializers.UUIDField()
    occurred_at = serializers.DateTimeField()
    action = serializers.CharField()
    actor = _Actor()
    acting_tenant = _NamedTenant(allow_null=True)
    target_tenant = _NamedTenant(allow_null=True)
    relationship_id = serializers.UUIDField(allow_null=True)
    object_type = serializers.CharField()
    object_id = serializers.CharField()
    object_repr = serializers.CharField()
    before = serializers.JSONField()
    after = serializers.JSONField()
    ip = serializers.IPAddressField(allow_null=True)
    description = serializers.CharField()


def _sentence(**event) -> str:
    from audit.describe import sentence  # the log's sentence in the reader's language

    return sentence(SimpleNamespace(**event))


class FloorAuditEvents(APIView):
    """GET /bench/floor/lists/<tenant>/audit-events: the log's page, newest first."""

    def get(self, request, tenant):
        page, size = _page(request)
        with connection.cursor() as cursor:
            params = {
                "tenant": tenant,
                "limit": size,
                "offset": (page - 1) * size,
                "end": page * size,
            }
            cursor.execute(AUDIT_SQL, params)
            rows = cursor.fetchall()
        count = rows[0][0] if rows else 0
        results = []
        for row in rows:
            (_c, eid, occurred, action, uid, email, kind, acting, aname, target, tname, rid,
             otype, oid, orepr, before, after, ip) = row  # fmt: skip
            before, after = _json(before), _json(after)
            organisation = ""
            if kind == "staff":
                organisation = "Liaison support"
            elif kind == "user" and acting is not None and (rid or acting != target):
                organisation = aname
            results.append(
                {
                    "id": eid,
                    "occurred_at": occurred,
                    "action": action,
                    "actor": {
                        "id": uid,
                        "email": email,
                        "kind": kind,
                        "organisation": organisation,
                        "is_partner_technician": bool(rid) and bool(organisation),
                    },
                    "acting_tenant": {"id": acting, "name": aname} if acting else None,
                    "target_tenant": {"id": target, "name": tname} if target else None,
                    "relationship_id": rid,
                    "object_type": otype,
                    "object_id": oid,
                    "object_repr": orepr,
                    "before": before,
                    "after": after,
                    "ip": ip,
                    "description": _sentence(
                        action=action,
                        before=before,
                        after=after,
                        object_repr=orepr,
                        object_type=otype,
                        target_tenant_id=target,
                        target_tenant=SimpleNamespace(name=tname),
                    ),
                }
            )
        return _envelope(request, count, page, size, _AuditEvent(results, many=True).data)


LEADS_SQL = """
WITH page AS MATERIALIZED (
    SELECT l.* FROM partners_lead l WHERE l.partner_id = %(partner)s
    ORDER BY l.created_at DESC, l.id DESC LIMIT %(limit)s OFFSET %(offset)s
)
SELECT
    (SELECT count(*) FROM partners_lead WHERE partner_id = %(partner)s),
    p.id, p.status, p.customer_id, c.name, u.id, u.email, u.display_name, p.country, p.city,
    p.contact_name, p.email, p.phone, s.slug, s.name, p.org_name, i.slug, i.name,
    p.business_needs, p.created_at, p.status_changed_at
FROM page p
JOIN tenants_tenant c ON c.id = p.customer_id
LEFT JOIN tenants_user u ON u.id = p.submitted_by_id
JOIN partners_organizationsize s ON s.id = p.org_size_id
JOIN partners_industry i ON i.id = p.industry_id
ORDER BY p.created_at DESC, p.id DESC
"""

NEXT_STATUSES = {"new": ["contacted"], "contacted": ["converted", "closed"]}


class _SlugName(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()


class _CodeName(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class _TenantRef(serializers.Serializer):
    tenant_id = serializers.UUIDField()
    name = serializers.CharField()


class _Submitter(serializers.Serializer):
    id = serializers.UUIDField()
    email = serializers.EmailField()
    display_name = serializers.CharField()


class _Lead(serializers.Serializer):
    id = serializers.UUIDField()
    status = serializers.CharField()
    next_statuses = serializers.ListField(child=serializers.CharField())
    customer = _TenantRef()
    submitted_by = _Submitter(allow_null=True)
    country = _CodeName()
    city = serializers.CharField()
    contact_name = serializers.CharField()
    email = serializers.EmailField()
    phone = serializers.CharField()
    org_size = _SlugName()
    org_name = serializers.CharField()
    industry = _SlugName()
    business_needs = serializers.CharField()
    created_at = serializers.DateTimeField()
    status_changed_at = serializers.DateTimeField(allow_null=True)


class FloorLeads(APIView):
    """GET /bench/floor/lists/<partner>/leads: the partner's inbox, newest first."""

    def get(self, request, partner):
        from django.utils.translation import gettext
        from django_countries import countries

        page, size = _page(request)
        with connection.cursor() as cursor:
            cursor.execute(
                LEADS_SQL, {"partner": partner, "limit": size, "offset": (page - 1) * size}
            )
            rows = cursor.fetchall()
        count = rows[0][0] if rows else 0
        results = []
        for row in rows:
            (_c, lid, status, cid, cname, uid, uemail, uname, country, city, contact, email,
             phone, size_slug, size_name, org, industry_slug, industry_name, needs, created,
             changed) = row  # fmt: skip
            results.append(
                {
                    "id": lid,
                    "status": status,
                    "next_statuses": NEXT_STATUSES.get(status, []),
                    "customer": {"tenant_id": cid, "name": cname},
                    "submitted_by": (
                        {"id": uid, "email": uemail, "display_name": uname} if uid else None
                    ),
                    "country": {"code": country, "name": str(countries.name(country))},
                    "city": city,
                    "contact_name": contact,
                    "email": email,
                    "phone": phone,
                    "org_size": {"slug": size_slug, "name": gettext(size_name)},
                    "org_name": org,
                    "industry": {"slug": industry_slug, "name": gettext(industry_name)},
                    "business_needs": needs,
                    "created_at": created,
                    "status_changed_at": changed,
                }
            )
        return _envelope(request, count, page, size, _Lead(results, many=True).data)


# Invitations the customer received: naming it (acceptance names the tenant it was accepted
# in), or naming none and addressed to one of its own admins who may accept: two index
# ranges, each stopped at the page's end, merged in created_at order.
RECEIVED_SQL = """
WITH addressees AS (
    SELECT DISTINCT lower(u.email) AS email
    FROM tenants_membership m
    JOIN tenants_membership_roles mr ON mr.membership_id = m.id
    JOIN tenants_user u ON u.id = m.user_id
    WHERE m.tenant_id = %(tenant)s AND u.is_active AND mr.roledefinition_id = ANY(%(roles)s)
), matching AS (
    (SELECT i.* FROM partners_invitation i WHERE i.customer_id = %(tenant)s
     ORDER BY i.created_at DESC LIMIT %(end)s)
    UNION ALL
    (SELECT i.* FROM partners_invitation i WHERE i.customer_id IS NULL
       AND i.email IN (SELECT email FROM addressees)
     ORDER BY i.created_at DESC LIMIT %(end)s)
), page AS MATERIALIZED (
    SELECT * FROM matching ORDER BY created_at DESC LIMIT %(limit)s OFFSET %(offset)s
)
SELECT
    (SELECT count(*) FROM partners_invitation
     WHERE customer_id = %(tenant)s
        OR (customer_id IS NULL AND email IN (SELECT email FROM addressees))),
    p.id, p.partner_id, t.name, p.email, p.customer_id, p.relationship_types, p.message,
    p.lead_id, p.status, p.sent_at, p.resent_count, p.last_sent_at, p.expires_at,
    p.responded_at, p.created_at,
    g.id, g.display_name, g.status, g.end_at, g.duration, g.auto_extend_duration,
    (SELECT coalesce(json_agg(r.roledefinition_id ORDER BY rd.name), '[]')
     FROM roles_delegatedadminrelationship_requested_roles r
     JOIN roles_roledefinition rd ON rd.id = r.roledefinition_id
     WHERE r.delegatedadminrelationship_id = g.id)
FROM page p
JOIN tenants_tenant t ON t.id = p.partner_id
LEFT JOIN roles_delegatedadminrelationship g ON g.id = p.gdap_relationship_id
ORDER BY p.created_at DESC
"""


class FloorInvitationsReceived(APIView):
    """GET /bench/floor/lists/<customer>/invitations?direction=received: the customer's inbox."""

    def get(self, request, customer):
        from django.utils import timezone

        from roles.permissions import PARTNERS_MANAGE, role_ids_granting  # the role table

        page, size = _page(request)
        with connection.cursor() as cursor:
            params = {
                "tenant": customer,
                "roles": list(role_ids_granting(PARTNERS_MANAGE)),
                "limit": size,
                "offset": (page - 1) * size,
                "end": page * size,
            }
            cursor.execute(RECEIVED_SQL, params)
            rows = cursor.fetchall()
        now = timezone.now()
        count = rows[0][0] if rows else 0
        results = []
        for row in rows:
            columns = dict(zip(RECEIVED_COLUMNS, row[1:-7], strict=True), gdap=row[-7:])
            results.append(_invitation(columns, now))  # its creator and reference: the partner's
        return _envelope(request, count, page, size, _Invitation(results, many=True).data)


SUBSCRIPTIONS_SQL = """
WITH page AS MATERIALIZED (
    SELECT s.* FROM billing_subscription s WHERE s.tenant_id = %(tenant)s
    ORDER BY s.bought_at DESC, s.id DESC LIMIT %(limit)s OFFSET %(offset)s
)
SELECT
    (SELECT count(*) FROM billing_subscription WHERE tenant_id = %(tenant)s),
    p.id, o.id, o.sku, o.name, o.summary, o.unit_price, o.currency, o.term, p.quantity,
    p.status, p.channel, t.id, t.name, u.id, u.email, p.bought_at, p.renewal_date,
    p.cancelled_at
FROM page p
JOIN billing_product o ON o.id = p.product_id
LEFT JOIN tenants_tenant t ON t.id = p.partner_id
LEFT JOIN tenants_user u ON u.id = p.bought_by_id
ORDER BY p.bought_at DESC, p.id DESC
"""


class _Product(serializers.Serializer):
    id = serializers.UUIDField()
    sku = serializers.CharField()
    name = serializers.CharField()
    summary = serializers.CharField()
    unit_price = serializers.DecimalField(max_digits=10, decimal_places=2)
    currency = serializers.CharField()
    term = serializers.CharField()


class _Subscription(serializers.Serializer):
    id = serializers.UUIDField()
    product = _Product()
    quantity = serializers.IntegerField()
    status = serializers.CharField()
    channel = serializers.CharField()
    partner = _TenantRef(allow_null=True)
    bought_by = _Ref(allow_null=True)
    bought_at = serializers.DateTimeField()
    renewal_date = serializers.DateField()
    cancelled_at = serializers.DateTimeField(allow_null=True)


class FloorSubscriptions(APIView):
    """GET /bench/floor/lists/<tenant>/subscriptions: every subscription, newest first."""

    def get(self, request, tenant):
        page, size = _page(request)
        with connection.cursor() as cursor:
            cursor.execute(
                SUBSCRIPTIONS_SQL, {"tenant": tenant, "limit": size, "offset": (page - 1) * size}
            )
            rows = cursor.fetchall()
        count = rows[0][0] if rows else 0
        results = [
            {
                "id": sid,
                "product": {
                    "id": oid,
                    "sku": sku,
                    "name": name,
                    "summary": summary,
                    "unit_price": price,
                    "currency": currency,
                    "term": term,
                },
                "quantity": quantity,
                "status": status,
                "channel": channel,
                "partner": {"tenant_id": pid, "name": pname} if pid else None,
                "bought_by": {"id": uid, "email": uemail} if uid else None,
                "bought_at": bought,
                "renewal_date": renewal,
                "cancelled_at": cancelled,
            }
            for (_c, sid, oid, sku, name, summary, price, currency, term, quantity, status,
                 channel, pid, pname, uid, uemail, bought, renewal, cancelled) in rows
        ]  # fmt: skip
        return _envelope(request, count, page, size, _Subscription(results, many=True).data)


DEVICES_SQL = """
WITH page AS MATERIALIZED (
    SELECT d.id, d.serial_number, d.product_key_id, d.manufacturer, d.model, d.group_tag,
           d.hash_digest, d.registered_by_id, d.registered_by_partner_id, d.registered_at,
           d.updated_at
    FROM devices_autopilotdevice d WHERE d.tenant_id = %(tenant)s
    ORDER BY d.registered_at DESC, d.id DESC LIMIT %(limit)s OFFSET %(offset)s
)
SELECT
    (SELECT count(*) FROM devices_autopilotdevice WHERE tenant_id = %(tenant)s),
    p.id, p.serial_number, p.product_key_id, p.manufacturer, p.model, p.group_tag,
    p.hash_digest, u.id, u.email, t.id, t.name, p.registered_at, p.updated_at
FROM page p
LEFT JOIN tenants_user u ON u.id = p.registered_by_id
LEFT JOIN tenants_tenant t ON t.id = p.registered_by_partner_id
ORDER BY p.registered_at DESC, p.id DESC
"""


class _Device(serializers.Serializer):
    id = serializers.UUIDField()
    serial_number = serializers.CharField()
    product_key_id = serializers.CharField()
    manufacturer = serializers.CharField()
    model = serializers.CharField()
    group_tag = serializers.CharField()
    hash_digest = serializers.CharField()
    registered_by = _Ref(allow_null=True)
    registered_by_partner = _TenantRef(allow_null=True)
    registered_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class FloorDevices(APIView):
    """GET /bench/floor/lists/<tenant>/autopilot-devices: the registry's page, newest first
    (the hardware hashes stay on disk)."""

    def get(self, request, tenant):
        page, size = _page(request)
        with connection.cursor() as cursor:
            cursor.execute(
                DEVICES_SQL, {"tenant": tenant, "limit": size, "offset": (page - 1) * size}
            )
            rows = cursor.fetchall()
        count = rows[0][0] if rows else 0
        results = [
            {
                "id": did,
                "serial_number": serial,
                "product_key_id": key,
                "manufacturer": maker,
                "model": model,
                "group_tag": tag,
                "hash_digest": digest,
                "registered_by": {"id": uid, "email": uemail} if uid else None,
                "registered_by_partner": {"tenant_id": pid, "name": pname} if pid else None,
                "registered_at": registered,
                "updated_at": updated,
            }
            for (_c, did, serial, key, maker, model, tag, digest, uid, uemail, pid, pname,
                 registered, updated) in rows
        ]  # fmt: skip
        return _envelope(request, count, page, size, _Device(results, many=True).data)


urlpatterns = [
    path("<uuid:partner>/invitations", FloorInvitations.as_view()),
    path("<uuid:partner>/customers", FloorCustomers.as_view()),
    path("<uuid:tenant>/users", FloorUsers.as_view()),
    path("<uuid:tenant>/delegated-admin-relationships", FloorGdapRelationships.as_view()),
    path("<uuid:tenant>/expiring", FloorExpiring.as_view()),
    path("<uuid:tenant>/audit-events", FloorAuditEvents.as_view()),
    path("<uuid:partner>/leads", FloorLeads.as_view()),
    path("<uuid:tenant>/subscriptions", FloorSubscriptions.as_view()),
    path("<uuid:tenant>/autopilot-devices", FloorDevices.as_view()),
]
