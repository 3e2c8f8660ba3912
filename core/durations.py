"""ISO 8601 durations as Microsoft Graph writes them: P730D, P2Y, P180D, PT0S.

Graph types GDAP durations as Edm.Duration, which its .NET stack converts to a TimeSpan
with a year worth 365 days and a month worth 30 days: that is why the documented maximum
``P2Y`` equals 730 days, and why msgraph-sdk (kiota) reads ``P2Y`` back as 730 days too.
"""

import re
from datetime import timedelta
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation

DAYS_PER_YEAR = 365
DAYS_PER_MONTH = 30
DAYS_PER_WEEK = 7

# Nothing Liaison stores comes near this; anything longer is refused rather than overflowing.
MAX_DURATION = timedelta(days=100 * DAYS_PER_YEAR)

# At most 12 digits before the separator and 9 after it, in any component.
_NUMBER = r"\d{1,12}(?:[.,]\d{1,9})?"
_ISO_DURATION = re.compile(
    rf"""
    (?P<sign>-?)P
    (?:(?P<years>{_NUMBER})Y)?
    (?:(?P<months>{_NUMBER})M)?
    (?:(?P<weeks>{_NUMBER})W)?
    (?:(?P<days>{_NUMBER})D)?
    (?:(?P<time>T)
        (?:(?P<hours>{_NUMBER})H)?
        (?:(?P<minutes>{_NUMBER})M)?
        (?:(?P<seconds>{_NUMBER})S)?
    )?
    """,
    re.VERBOSE | re.ASCII,
)
_MICROSECONDS = {
    "years": DAYS_PER_YEAR * 86_400_000_000,
    "months": DAYS_PER_MONTH * 86_400_000_000,
    "weeks": DAYS_PER_WEEK * 86_400_000_000,
    "days": 86_400_000_000,
    "hours": 3_600_000_000,
    "minutes": 60_000_000,
    "seconds": 1_000_000,
}
_DATE_PARTS = ("years", "months", "weeks", "days")
_TIME_PARTS = ("hours", "minutes", "seconds")
_MAX_MICROSECONDS = MAX_DURATION // timedelta(microseconds=1)


def parse_iso_duration(value) -> timedelta | None:
    """A timedelta for "P730D"-style text (or a timedelta), None when it is not one.

    Takes every ISO 8601 duration form (``P2Y``, ``P1Y6M``, ``P4W``, ``P1DT12H``,
    ``PT0.5S``, lower case too, a leading ``-``); a year counts 365 days and a month 30,
    as in Graph. Refuses a bare ``P``, a ``T`` with nothing after it, and anything longer
    than ``MAX_DURATION``. Never raises for any text.
    """
    if isinstance(value, timedelta):
        return value
    if not isinstance(value, str):
        return None
    match = _ISO_DURATION.fullmatch(value.upper())
    if match is None:
        return None
    parts = match.groupdict()
    if not any(parts[name] for name in _DATE_PARTS + _TIME_PARTS):
        return None  # "P" or "PT": ISO 8601 wants at least one component
    if parts["time"] and not any(parts[name] for name in _TIME_PARTS):
        return None  # "P1DT": a time designator must be followed by a time component
    try:
        total = sum(
            Decimal(parts[name].replace(",", ".")) * _MICROSECONDS[name]
            for name in _MICROSECONDS
            if parts[name]
        )
    except InvalidOperation:
        return None
    micros = int(total.to_integral_value(rounding=ROUND_HALF_EVEN))
    if micros > _MAX_MICROSECONDS:
        return None
    result = timedelta(microseconds=micros)
    return -result if parts["sign"] else result


def format_iso_duration(value: timedelta | None) -> str | None:
    """Graph's own form: whole days as "P730D", zero as "PT0S", otherwise days and time."""
    if value is None:
        return None
    if not value:
        return "PT0S"
    seconds = int(value.total_seconds())
    days, rest = divmod(seconds, 86400)
    if not rest:
        return f"P{days}D"
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    time = "".join(f"{n}{u}" for n, u in ((hours, "H"), (minutes, "M"), (secs, "S")) if n)
    return f"P{days}DT{time}" if days else f"PT{time}"
