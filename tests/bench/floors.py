"""The floors the directory bench holds the product to (issue 16).

For each directory request, the floor answers the same JSON from the best SQL written by
hand (one statement over the same schema: the GIN-indexed `facet_ids`, a materialized CTE
of narrow rows, the 20 wide rows joined last; one statement for every facet count), plus
the curated labels, and a DRF view that returns the rows. It takes no code from partners'
search, selectors or serializers: only the schema, the labels and DRF. The landing page's
floor is a Django view returning "ok".
"""

import re

from django.db import connection
from django.http import HttpResponse
from django_countries import countries as country_registry
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param
from rest_framework.views import APIView

from partners import relationship_types

SPAN = 100_000_000
DIMS = ["country", "industry", "product", "service", "org_size", "relationship_type"]
CURATED = {
    "industry": "industries",
    "product": "products",
    "service": "services",
    "org_size": "org_sizes",
}
TYPE_NUMBERS = [
    "advisor",
    "isv",
    "indirect_reseller",
    "industry_partner",
    "mpsa_partner",
    "oem",
    "partner_user_account",
    "gdap",
    "reseller",
]
LABELS_SQL = """
SELECT 'industry', id, slug, name, position FROM partners_industry
UNION ALL SELECT 'product', id, slug, name, position FROM partners_product
UNION ALL SELECT 'service', id, slug, name, position FROM partners_service
UNION ALL SELECT 'org_size', id, slug, name, position FROM partners_organizationsize
ORDER BY 5, 4
"""


def ok(request):
    return HttpResponse("ok")


def _labels():
    """{dim: [(facet id, slug, name)]} in admin order."""
    from django.utils.translation import gettext

    labels = {dim: [] for dim in CURATED}
    with connection.cursor() as cursor:
        cursor.execute(LABELS_SQL)
        for dim, pk, slug, name, _position in cursor.fetchall():
            labels[dim].append((DIMS.index(dim) * SPAN + pk, slug, gettext(name)))
    return labels


def _ids(dim, values, labels) -> list[int]:
    if dim == "country":
        return [(ord(v[0]) - 65) * 26 + ord(v[1]) - 65 for v in values]
    if dim == "relationship_type":
        base = DIMS.index(dim) * SPAN
        return [base + TYPE_NUMBERS.index(v) + 1 for v in values if v in TYPE_NUMBERS]
    return [fid for fid, slug, _name in labels[dim] if slug in values]


def _parse(params):
    q = " ".join(params.get("q", "").split())
    filters = {}
    for dim in DIMS:
        values = [v.upper() if dim == "country" else v.lower() for v in params.getlist(dim)]
        if values:
            filters[dim] = values
    return q, filters, int(params.get("page", 1))


def _text(q):
    """(where, params, rank, rank params) of the text query."""
    raw = " & ".join(f"{w}:*" for w in re.findall(r"\w+", q.lower())[:12])
    return (
        "(p.search_vector @@ to_tsquery('simple'::regconfig, %s) OR p.name %%> %s)",
        [raw, q],
        "ts_rank(p.search_vector, to_tsquery('simple'::regconfig, %s))"
        " + word_similarity(%s, p.name)::double precision",
        [raw, q],
    )


class FloorPartners(APIView):
    """GET /bench/floor/directory/partners: one statement for the page and its total."""

    permission_classes = [AllowAny]

    def get(self, request):
        q, filters, page = _parse(request.query_params)
        labels = _labels()
        where, params = ["p.is_certified"], []
        rank, rank_params, order = "", [], "name, tenant_id"
        if q:
            text, text_params, rank_sql, rank_params = _text(q)
            where.append(text)
            params += text_params
            rank, order = f", {rank_sql} AS rank", "rank DESC, name, tenant_id"
        for dim, values in filters.items():
            where.append("p.facet_ids && %s::integer[]")
            params.append(_ids(dim, values, labels))
        sql = (
            f"WITH m AS MATERIALIZED (SELECT p.tenant_id, p.name{rank} "
            f"FROM partners_partnerprofile p WHERE {' AND '.join(where)}) "
            "SELECT (SELECT count(*) FROM m), p.tenant_id, p.name, p.summary, p.website, "
            "p.headquarters_country, p.countries, p.relationship_types, p.facet_ids "
            f"FROM (SELECT * FROM m ORDER BY {order} LIMIT 20 OFFSET %s) pg "
            f"JOIN partners_partnerprofile p ON p.tenant_id = pg.tenant_id "
            f"ORDER BY {', '.join('pg.' + c for c in order.split(', '))}"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*rank_params, *params, (page - 1) * 20])
            rows = cursor.fetchall()
        count = rows[0][0] if rows else 0
        url = request.build_absolute_uri()
        return Response(
            {
                "count": count,
                "next": replace_query_param(url, "page", page + 1) if page * 20 < count else None,
                "previous": None,
                "results": [_listing(row[1:], labels) for row in rows],
            }
        )


def _country(code):
    return {"code": code, "name": country_registry.name(code)}


def _listing(row, labels) -> dict:
    tenant_id, name, summary, website, hq, countries, types, facet_ids = row
    ids = set(facet_ids)
    listing = {
        "partner_id": str(tenant_id),
        "name": name,
        "summary": summary,
        "website": website,
        "headquarters_country": _country(hq),
        "countries": [_country(c) for c in countries.split(",") if c],
    }
    for dim, key in CURATED.items():
        listing[key] = [{"slug": s, "name": n} for fid, s, n in labels[dim] if fid in ids]
    listing["relationship_types"] = [
        {"code": c, "name": relationship_types.label(c)} for c in types.split(",") if c
    ]
    listing["is_certified"] = True
    return listing


class FloorFacets(APIView):
    """GET /bench/floor/directory/facets: every count in one statement."""

    permission_classes = [AllowAny]

    def get(self, request):
        q, filters, _page = _parse(request.query_params)
        labels = _labels()
        oks, ok_params, where, params, own = [], [], ["p.is_certified"], [], []
        if q:
            text, text_params, _rank, _rank_params = _text(q)
            where.append(text)
            params += text_params
        for n, (dim, values) in enumerate(filters.items()):
            oks.append(f", p.facet_ids && %s::integer[] AS ok{n}")
            ok_params.append(_ids(dim, values, labels))
            own.append(f"(m.ok{n} OR v / {SPAN} = {DIMS.index(dim)})")
        sql = (
            f"WITH m AS MATERIALIZED (SELECT p.facet_ids{''.join(oks)} "
            f"FROM partners_partnerprofile p WHERE {' AND '.join(where)}) "
            "SELECT v, count(*) FROM m, unnest(m.facet_ids) v "
            f"{'WHERE ' + ' AND '.join(own) if own else ''} GROUP BY v"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*ok_params, *params])
            counts = dict(cursor.fetchall())
        body = {}
        for dim in DIMS:
            selected = filters.get(dim, [])
            if dim == "country":
                codes = {(v // 26, v % 26) for v in counts if v < SPAN}
                choices = [chr(65 + a) + chr(65 + b) for a, b in codes] + selected
                choices = sorted(
                    ((c, country_registry.name(c) or c) for c in set(choices)),
                    key=lambda c: c[1],
                )
                ids = {code: (ord(code[0]) - 65) * 26 + ord(code[1]) - 65 for code, _ in choices}
            elif dim == "relationship_type":
                choices = [(t.code, str(t.label)) for t in relationship_types.TYPES]
                base = DIMS.index(dim) * SPAN
                ids = {code: base + TYPE_NUMBERS.index(code) + 1 for code, _ in choices}
            else:
                choices = [(slug, name) for _fid, slug, name in labels[dim]]
                ids = {slug: fid for fid, slug, _name in labels[dim]}
            body[dim] = [
                {
                    "value": v,
                    "label": label,
                    "count": counts.get(ids[v], 0),
                    "selected": v in selected,
                }
                for v, label in choices
            ]
        return Response(body)
