"""The floors the tenant lists bench holds the product to (issue 16): for each list, the
best SQL written by hand for the same page (one statement: the page in index order, its
total, and every related value the page shows, aggregated per row), and a DRF view
serializing those rows with DRF's own fields. It authenticates as DRF's defaults do (the
same bearer token as the product's request) but asks no access resolver: it reads the
partner id from the URL. It takes no code from the product's selectors or serializers.
"""

import json
from datetime import datetime, timedelta

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


class FloorInvitations(APIView):
    """GET /bench/floor/lists/<partner>/invitations: the partner's sent invitations."""

    def get(self, request, partner):
        from django.utils import timezone

        page, size = _page(request)
        with connection.cursor() as cursor:
            params = {"partner": partner, "limit": size, "offset": (page - 1) * size}
            cursor.execute(INVITATIONS_SQL, params)
            rows = cursor.fetchall()
        now, field = timezone.now(), serializers.DateTimeField()
        count = rows[0][0] if rows else 0
        results = []
        for row in rows:
            (_c, iid, pname, email, customer, types, message, lead, status, sent, resent,
             last_sent, expires, responded, created, uid, uemail, reference,
             gid, gname, gstatus, gend, gduration, gextend, groles) = row  # fmt: skip
            if status == "pending" and expires <= now:
                status = "expired"
            since = {"pending": last_sent, "expired": expires}.get(status, responded)
            gdap = None
            if gid is not None:
                if gstatus == "active" and gend is not None:
                    end = gend
                    if end <= now and gextend:
                        end = end + ((now - end) // gextend + 1) * gextend
                    if end <= now:
                        gstatus = "expired"
                gdap = {
                    "id": str(gid),
                    "display_name": gname,
                    "status": gstatus,
                    "duration": _duration(gduration),
                    "auto_extend_duration": _duration(gextend),
                    "role_definition_ids": [
                        str(r) for r in (json.loads(groles) if isinstance(groles, str) else groles)
                    ],
                }
            results.append(
                {
                    "id": str(iid),
                    "partner": {"tenant_id": str(partner), "name": pname},
                    "email": email,
                    "customer_tenant_id": str(customer) if customer else None,
                    "relationship_types": json.loads(types) if isinstance(types, str) else types,
                    "message": message,
                    "lead_id": str(lead) if lead else None,
                    "gdap": gdap,
                    "status": status,
                    "sent_at": field.to_representation(sent),
                    "resent_count": resent,
                    "last_sent_at": field.to_representation(last_sent),
                    "expires_at": field.to_representation(expires),
                    "responded_at": field.to_representation(responded) if responded else None,
                    "status_changed_at": field.to_representation(since) if since else None,
                    "created_at": field.to_representation(created),
                    "created_by": {"id": str(uid), "email": uemail} if uid else None,
                    "reference": reference,
                }
            )
        return _envelope(request, count, page, size, results)


urlpatterns = [
    path("<uuid:partner>/invitations", FloorInvitations.as_view()),
    path("<uuid:partner>/customers", FloorCustomers.as_view()),
    path("<uuid:tenant>/users", FloorUsers.as_view()),
]
