"""A parsed $filter to a Django Q, through the caller's map of Graph properties."""

import uuid
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db.models import Q

from core.durations import parse_iso_duration
from core.odata.errors import ODataQueryError
from core.odata.syntax import And, FunctionCall, In, Literal, Node, Not, Or, invalid

Converter = Callable[[Any], Any]
FieldMap = Mapping[str, "tuple[str, Converter] | str"]
_LOOKUPS = {"gt": "gt", "ge": "gte", "lt": "lt", "le": "lte"}
_FUNCTION_LOOKUPS = {"startswith": "startswith", "endswith": "endswith", "contains": "contains"}


def _field(fields: FieldMap, prop: str, type_name: str) -> tuple[str, Converter]:
    entries = {key.lower(): value for key, value in fields.items()}
    entry = entries.get(prop.lower())
    if entry is None:
        on_type = f" on type '{type_name}'" if type_name else ""
        raise ODataQueryError(f"Could not find a property named '{prop}'{on_type}.")
    if isinstance(entry, str):
        return entry, _identity
    return entry


def _convert(convert: Converter, prop: str, literal: Literal) -> Any:
    try:
        return convert(literal.value)
    except ODataQueryError:
        raise
    except Exception:  # a converter's refusal of a value, whatever it raised
        raise ODataQueryError(
            f"Invalid filter clause: '{_show(literal)}' is not a valid value for '{prop}'."
        ) from None


def _show(literal: Literal) -> str:
    return "null" if literal.value is None else str(literal.value)


def filter_to_q(
    node: Node,
    fields: FieldMap,
    *,
    type_name: str = "",
    functions: Iterable[str] = (),
) -> Q:
    """A Django Q for a parsed filter.

    ``fields`` maps each filterable Graph property path (matched case-insensitively) to a
    Django lookup path, or to ``(lookup path, converter)``; the converter turns the
    literal's Python value (str, uuid.UUID, datetime, date, int/Decimal, bool, timedelta)
    into the stored value and may raise anything to refuse it. ``functions`` names the
    string functions allowed (startswith, endswith, contains); none are by default.
    ``ne`` and ``not`` follow OData: a null property is "not equal" to any value.
    """
    allowed_functions = {name.lower() for name in functions}

    def build(item) -> Q:
        if isinstance(item, And):
            return build(item.left) & build(item.right)
        if isinstance(item, Or):
            return build(item.left) | build(item.right)
        if isinstance(item, Not):
            return ~build(item.operand)
        if isinstance(item, In):
            lookup, convert = _field(fields, item.property, type_name)
            values = [v for v in item.values if v.kind != "null"]
            query = Q(**{f"{lookup}__in": [_convert(convert, item.property, v) for v in values]})
            if len(values) < len(item.values):
                query |= Q(**{f"{lookup}__isnull": True})
            return query
        if isinstance(item, FunctionCall):
            if item.name not in allowed_functions:
                raise invalid(f"the function '{item.name}' is not supported here.")
            lookup, convert = _field(fields, item.property, type_name)
            if item.value.kind != "string":
                raise invalid(f"'{item.name}' takes a string value.")
            value = _convert(convert, item.property, item.value)
            return Q(**{f"{lookup}__{_FUNCTION_LOOKUPS[item.name]}": value})
        lookup, convert = _field(fields, item.property, type_name)
        if item.value.kind == "null":
            if item.operator not in ("eq", "ne"):
                raise invalid(f"'{item.operator}' cannot compare with null.")
            return Q(**{f"{lookup}__isnull": item.operator == "eq"})
        value = _convert(convert, item.property, item.value)
        if item.operator == "eq":
            return Q(**{lookup: value})
        if item.operator == "ne":
            return ~Q(**{lookup: value})
        return Q(**{f"{lookup}__{_LOOKUPS[item.operator]}": value})

    return build(node)


def _identity(value):
    return value


def as_string(value) -> str:
    """A quoted string literal, as it is."""
    if not isinstance(value, str):
        raise TypeError("not a string")
    return value


def as_guid(value) -> uuid.UUID:
    """A GUID, quoted or not."""
    return value if isinstance(value, uuid.UUID) else uuid.UUID(as_string(value))


def as_datetime(value) -> datetime:
    """A DateTimeOffset: unquoted (2022-02-10T11:24:42Z) or quoted; no offset reads as UTC."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if not isinstance(value, datetime):
        raise TypeError("not a date and time")
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def as_bool(value) -> bool:
    if not isinstance(value, bool):
        raise TypeError("not a boolean")
    return value


def as_duration(value) -> timedelta:
    """duration'P730D', or a quoted 'P730D'."""
    result = parse_iso_duration(value)
    if result is None:
        raise ValueError("not a duration")
    return result


def as_enum(members: Mapping[str, Any]) -> Converter:
    """A converter from Graph enum members ("approvalPending") to stored values."""
    table = dict(members)

    def convert(value):
        return table[as_string(value)]

    return convert
