"""ISO 8601 durations as Microsoft Graph writes them: P730D, P180D, PT0S."""

from datetime import timedelta

from django.utils.dateparse import parse_duration


def parse_iso_duration(value) -> timedelta | None:
    """A timedelta for "P730D"-style text (or a timedelta), None when it is not one."""
    if isinstance(value, timedelta):
        return value
    if not isinstance(value, str) or not value.upper().startswith(("P", "-P")):
        return None
    return parse_duration(value.upper())


def format_iso_duration(value: timedelta | None) -> str | None:
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
