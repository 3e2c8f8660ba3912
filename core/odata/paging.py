"""Keyset paging and its opaque, signed $skiptoken."""

import hashlib
import uuid
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.core import signing
from django.db.models import F, Q

from core.odata.errors import ODataQueryError

SKIPTOKEN_SALT = "liaison.graph.skiptoken"


def _pack(value):
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, datetime):
        return {"dt": value.isoformat()}
    if isinstance(value, date):
        return {"d": value.isoformat()}
    if isinstance(value, uuid.UUID):
        return {"u": str(value)}
    if isinstance(value, Decimal):
        return {"n": str(value)}
    if isinstance(value, timedelta):
        return {"td": value // timedelta(microseconds=1)}
    raise TypeError(f"cannot put {type(value).__name__} in a skiptoken")


def _unpack(value):
    if not isinstance(value, dict):
        return value
    (tag, raw), = value.items()  # fmt: skip
    return {
        "dt": datetime.fromisoformat,
        "d": date.fromisoformat,
        "u": uuid.UUID,
        "n": Decimal,
        "td": lambda micros: timedelta(microseconds=micros),
    }[tag](raw)


def _fingerprint(context: str) -> str:
    return hashlib.sha256(context.encode()).hexdigest()[:16]


def encode_skiptoken(key: Sequence[Any], *, context: str = "") -> str:
    """An opaque, signed token for the sort key of the last row of a page.

    ``context`` binds the token to one query (say the path, $filter and $orderby): a token
    replayed on another query is refused. Values may be None, bool, int, str, datetime,
    date, UUID, Decimal or timedelta.
    """
    payload = {"k": [_pack(value) for value in key], "c": _fingerprint(context)}
    return signing.dumps(payload, salt=SKIPTOKEN_SALT, compress=True)


def decode_skiptoken(token: str, *, context: str = "", max_age: float | None = None) -> tuple:
    """The sort key packed by ``encode_skiptoken``; ODataQueryError if forged or foreign."""
    try:
        payload = signing.loads(token, salt=SKIPTOKEN_SALT, max_age=max_age)
        if payload["c"] != _fingerprint(context):
            raise ValueError("another query's token")
        return tuple(_unpack(value) for value in payload["k"])
    except Exception:  # bad signature, expired, or not a token of ours at all
        raise ODataQueryError("The $skiptoken is not valid for this request.") from None


def keyset_ordering(order: Sequence[tuple[str, bool]]) -> list:
    """ORDER BY for (lookup, descending) pairs, with null above every value on any database."""
    return [
        F(lookup).desc(nulls_first=True) if descending else F(lookup).asc(nulls_last=True)
        for lookup, descending in order
    ]


def keyset_after(order: Sequence[tuple[str, bool]], key: Sequence[Any]) -> Q:
    """The rows that come after ``key`` in ``keyset_ordering(order)``.

    End ``order`` with a unique column (the primary key) so that no two rows tie.
    """
    if len(order) != len(key):
        raise ODataQueryError("The $skiptoken is not valid for this request.")
    after, equal_so_far = Q(pk__in=[]), Q()
    for (lookup, descending), value in zip(order, key, strict=True):
        if value is None:
            step = Q(**{f"{lookup}__isnull": False}) if descending else Q(pk__in=[])
            same = Q(**{f"{lookup}__isnull": True})
        else:
            comparison = "lt" if descending else "gt"
            step = Q(**{f"{lookup}__{comparison}": value})
            if not descending:
                step |= Q(**{f"{lookup}__isnull": True})
            same = Q(**{lookup: value})
        after |= equal_so_far & step
        equal_so_far &= same
    return after


def row_key(row, order: Sequence[tuple[str, bool]]) -> tuple:
    """The sort key of a model instance (or a dict from .values()) for ``order``."""
    key = []
    for lookup, _descending in order:
        if isinstance(row, dict):
            key.append(row[lookup])
            continue
        value = row
        for part in lookup.split("__"):
            value = getattr(value, part, None)
        key.append(value)
    return tuple(key)


def keyset_page(
    queryset,
    *,
    order: Sequence[tuple[str, bool]],
    top: int,
    skiptoken: str | None = None,
    context: str = "",
) -> tuple[list, str | None]:
    """One page of ``queryset`` and the skiptoken of the next page (None on the last).

    Stable under inserts and deletes: a page starts strictly after the last row the client
    saw, so no row is repeated or skipped because others came or went before it.
    """
    if skiptoken:
        queryset = queryset.filter(
            keyset_after(order, decode_skiptoken(skiptoken, context=context))
        )
    rows = list(queryset.order_by(*keyset_ordering(order))[: top + 1])
    if len(rows) <= top:
        return rows, None
    rows = rows[:top]
    return rows, encode_skiptoken(row_key(rows[-1], order), context=context)
