"""Graph's collections: OData query options on a queryset, keyset pages, the nextLink.

$filter, $orderby, $select, $top (at most 300) and $count=true are honoured through
core.odata and the resource's field map; any other system option, or a property or
expression the resource does not support, is a 400 in Graph's envelope, never ignored.
Pages are keyset pages: the opaque, signed $skiptoken holds the sort key of the last row
sent, so rows added or removed meanwhile neither repeat nor go missing. @odata.nextLink is
absolute, on the host the client called, with every other option kept (the SDKs' page
iterators follow it as it is).
"""

from urllib.parse import quote

from core.odata import (
    DEFAULT_MAX_TOP,
    filter_to_q,
    keyset_page,
    parse_query,
)
from graph.api.base import graph_response, metadata_context

DEFAULT_PAGE_SIZE = 100
SAFE_IN_VALUE = "$',/:()"
# $filter functions the lists allow (on string properties; others are refused as values).
FUNCTIONS = ("startswith",)


def _next_link(request, skiptoken: str) -> str:
    params = [
        (name, value)
        for name, values in request.query_params.lists()
        if name.lower() != "$skiptoken"
        for value in values
    ]
    params.append(("$skiptoken", skiptoken))
    query = "&".join(
        f"{quote(name, safe='$')}={quote(value, safe=SAFE_IN_VALUE)}" for name, value in params
    )
    return f"{request.build_absolute_uri(request.path)}?{query}"


def _select(body: dict, chosen: tuple[str, ...]) -> dict:
    if not chosen:
        return body
    keep = {"@odata.type", "@odata.etag", *chosen}
    return {key: value for key, value in body.items() if key in keep}


def odata_page(request, queryset, resource, *, scope: str = ""):
    """(rows, query, next token, count) for one page of queryset under the request's
    OData options. `scope` binds the skiptoken to this collection (a tenant, a parent)."""
    query = parse_query(
        request.query_params,
        sortable=resource.sortable,
        selectable=resource.properties,
        max_top=DEFAULT_MAX_TOP,
    )
    if query.filter is not None:
        queryset = queryset.filter(
            filter_to_q(
                query.filter, resource.filters, type_name=resource.type_name, functions=FUNCTIONS
            )
        )
    order = [(resource.sortable[item.property], item.descending) for item in query.orderby]
    order = [*(order or resource.default_order), ("pk", False)]
    count = queryset.count() if query.count else None
    context = "|".join([scope, request.path, repr(query.filter), repr(query.orderby)])
    rows, next_token = keyset_page(
        queryset,
        order=order,
        top=query.top or DEFAULT_PAGE_SIZE,
        skiptoken=query.skiptoken,
        context=context,
    )
    return rows, query, next_token, count


def collection_response(request, rows, query, next_token, count, *, context: str, represent):
    """The collection's JSON: @odata.context, @odata.count, @odata.nextLink, value."""
    fragment = context
    if query.select:
        fragment = f"{context}({','.join(query.select)})"
    body = {"@odata.context": metadata_context(request, fragment)}
    if count is not None:
        body["@odata.count"] = count
    if next_token:
        body["@odata.nextLink"] = _next_link(request, next_token)
    body["value"] = [_select(represent(row), query.select) for row in rows]
    return graph_response(body)


def select_only(request, body: dict, resource) -> dict:
    """$select on a single object (the only option a GET of one object takes)."""
    query = parse_query(
        request.query_params, selectable=resource.properties, supported=("$select",)
    )
    return _select(body, query.select)
