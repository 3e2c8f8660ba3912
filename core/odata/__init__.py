"""OData query options as Microsoft Graph reads them, for the /graph/v1.0 surface.

Parses ``$filter`` (eq ne gt ge lt le, and or not, ``in (...)``, parentheses, string
literals with '' escaping, GUIDs, dates and times, numbers, booleans, null, ``duration'..'``,
property paths such as ``customer/tenantId``), ``$orderby``, ``$select``, ``$top``,
``$count`` and ``$skiptoken``, and turns a filter into a Django ``Q`` through a mapping the
caller supplies. Every refusal, whatever the input, is one ``ODataQueryError`` carrying
the code and message that Graph's 400 answer would carry. Keyset paging with a signed,
opaque skiptoken lives here too. Imports no Liaison app.
"""

from core.odata.errors import ERROR_CODE, ODataQueryError
from core.odata.options import (
    DEFAULT_MAX_TOP,
    SUPPORTED_OPTIONS,
    ODataQuery,
    OrderBy,
    parse_count,
    parse_orderby,
    parse_query,
    parse_select,
    parse_top,
)
from core.odata.paging import (
    decode_skiptoken,
    encode_skiptoken,
    keyset_after,
    keyset_ordering,
    keyset_page,
    row_key,
)
from core.odata.q import (
    FieldMap,
    as_bool,
    as_datetime,
    as_duration,
    as_enum,
    as_guid,
    as_string,
    filter_to_q,
)
from core.odata.syntax import (
    And,
    Comparison,
    FunctionCall,
    In,
    Literal,
    Node,
    Not,
    Or,
    parse_filter,
)

__all__ = [
    "DEFAULT_MAX_TOP",
    "ERROR_CODE",
    "SUPPORTED_OPTIONS",
    "And",
    "Comparison",
    "FieldMap",
    "FunctionCall",
    "In",
    "Literal",
    "Node",
    "Not",
    "ODataQuery",
    "ODataQueryError",
    "Or",
    "OrderBy",
    "as_bool",
    "as_datetime",
    "as_duration",
    "as_enum",
    "as_guid",
    "as_string",
    "decode_skiptoken",
    "encode_skiptoken",
    "filter_to_q",
    "keyset_after",
    "keyset_ordering",
    "keyset_page",
    "parse_count",
    "parse_filter",
    "parse_orderby",
    "parse_query",
    "parse_select",
    "parse_top",
    "row_key",
]
