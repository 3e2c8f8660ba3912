"""$orderby, $select, $top, $count and the whole set of a request's system query options."""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from core.odata.errors import ODataQueryError
from core.odata.syntax import IDENT, Node, parse_filter

MAX_ORDERBY_ITEMS = 8
DEFAULT_MAX_TOP = 300  # "$top supports up to 300 objects" on the GDAP list pages
SUPPORTED_OPTIONS = ("$filter", "$orderby", "$select", "$top", "$count", "$skiptoken")


@dataclass(frozen=True)
class OrderBy:
    property: str
    descending: bool = False


def parse_orderby(text: str, allowed: Iterable[str] | None = None) -> tuple[OrderBy, ...]:
    """``prop [asc|desc], ...``; ``allowed`` names the sortable properties."""
    known = None if allowed is None else {name.lower(): name for name in allowed}
    items, seen = [], set()
    for part in (text or "").split(","):
        words = part.split()
        if not words or len(words) > 2:
            raise ODataQueryError(f"Invalid $orderby clause: '{text}'.")
        prop, direction = words[0], (words[1].lower() if len(words) == 2 else "asc")
        if direction not in ("asc", "desc") or not re.fullmatch(rf"{IDENT}(?:/{IDENT})*", prop):
            raise ODataQueryError(f"Invalid $orderby clause: '{text}'.")
        if known is not None:
            if prop.lower() not in known:
                raise ODataQueryError(f"Ordering by '{prop}' is not supported.")
            prop = known[prop.lower()]
        if prop.lower() in seen:
            raise ODataQueryError(f"Duplicate property '{prop}' in $orderby.")
        seen.add(prop.lower())
        items.append(OrderBy(prop, direction == "desc"))
    if len(items) > MAX_ORDERBY_ITEMS:
        raise ODataQueryError(f"$orderby takes at most {MAX_ORDERBY_ITEMS} properties.")
    return tuple(items)


def parse_select(text: str, allowed: Iterable[str] | None = None) -> tuple[str, ...]:
    """``prop,prop``, in the caller's spelling of each property, without repeats."""
    known = None if allowed is None else {name.lower(): name for name in allowed}
    chosen: list[str] = []
    for part in (text or "").split(","):
        prop = part.strip()
        if not re.fullmatch(IDENT, prop, re.ASCII):
            raise ODataQueryError(f"Invalid $select clause: '{text}'.")
        if known is not None:
            if prop.lower() not in known:
                raise ODataQueryError(f"Could not find a property named '{prop}' to $select.")
            prop = known[prop.lower()]
        if prop not in chosen:
            chosen.append(prop)
    return tuple(chosen)


def parse_top(text: str, *, maximum: int = DEFAULT_MAX_TOP) -> int:
    """A page size from 1 to ``maximum``."""
    if not isinstance(text, str) or not re.fullmatch(r"\d{1,9}", text.strip(), re.ASCII):
        raise ODataQueryError(f"Invalid value '{text}' for $top: it must be a whole number.")
    value = int(text)
    if not 1 <= value <= maximum:
        raise ODataQueryError(
            f"Invalid page size specified: '{value}'. Must be between 1 and {maximum} inclusive."
        )
    return value


def parse_count(text: str) -> bool:
    """``true`` or ``false``, in any case."""
    value = text.strip().lower() if isinstance(text, str) else None
    if value not in ("true", "false"):
        raise ODataQueryError(f"Invalid value '{text}' for $count: use true or false.")
    return value == "true"


@dataclass(frozen=True)
class ODataQuery:
    filter: Node | None = None
    orderby: tuple[OrderBy, ...] = ()
    select: tuple[str, ...] = ()
    top: int | None = None
    count: bool = False
    skiptoken: str | None = None


def parse_query(
    params,
    *,
    sortable: Iterable[str] | None = None,
    selectable: Iterable[str] | None = None,
    supported: Sequence[str] = SUPPORTED_OPTIONS,
    max_top: int = DEFAULT_MAX_TOP,
) -> ODataQuery:
    """Every system query option of a request (a QueryDict or a plain mapping).

    Names are matched case-insensitively ($Top, $skipToken); a system option ($...) that
    is not in ``supported`` (for example $expand, $skip, $search) or that is given twice is
    refused; parameters without a ``$`` are left alone. The filter is parsed but not
    translated: call ``filter_to_q`` with the resource's field map.
    """
    values: dict[str, str] = {}
    for name in params:
        if not name.startswith("$"):
            continue
        key = name.lower()
        given = params.getlist(name) if hasattr(params, "getlist") else [params[name]]
        if key not in supported:
            raise ODataQueryError(f"Query option '{name}' is not supported.")
        if key in values or len(given) != 1:
            raise ODataQueryError(f"Query option '{name}' was specified more than once.")
        values[key] = given[0]
    return ODataQuery(
        filter=parse_filter(values["$filter"]) if "$filter" in values else None,
        orderby=parse_orderby(values["$orderby"], sortable) if "$orderby" in values else (),
        select=parse_select(values["$select"], selectable) if "$select" in values else (),
        top=parse_top(values["$top"], maximum=max_top) if "$top" in values else None,
        count=parse_count(values["$count"]) if "$count" in values else False,
        skiptoken=values.get("$skiptoken"),
    )
