"""ISO 8601 durations in the forms Graph clients send, with Graph's year of 365 days."""

from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.durations import (
    DAYS_PER_MONTH,
    DAYS_PER_YEAR,
    MAX_DURATION,
    format_iso_duration,
    parse_iso_duration,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("P730D", timedelta(days=730)),
        ("P180D", timedelta(days=180)),
        ("PT0S", timedelta(0)),
        ("P0D", timedelta(0)),
        ("P1D", timedelta(days=1)),
        ("P1DT12H", timedelta(days=1, hours=12)),
        ("PT36H", timedelta(hours=36)),
        ("PT1M", timedelta(minutes=1)),
        ("PT1.5S", timedelta(seconds=1.5)),
        ("P1,5D", timedelta(days=1, hours=12)),
        ("PT0.000001S", timedelta(microseconds=1)),
        ("p730d", timedelta(days=730)),
        ("-P1D", timedelta(days=-1)),
        ("-PT5M", -timedelta(minutes=5)),
    ],
)
def test_forms_that_already_worked_keep_their_value(text, expected):
    assert parse_iso_duration(text) == expected


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("P2Y", 730),
        ("P1Y", 365),
        ("P1Y6M", 545),
        ("P6M", 180),
        ("P1M", 30),
        ("P4W", 28),
        ("P1W2D", 9),
        ("P1Y1M1W1D", 365 + 30 + 7 + 1),
        ("p2y", 730),
    ],
)
def test_years_months_and_weeks_count_as_graph_counts_them(text, days):
    assert parse_iso_duration(text) == timedelta(days=days)


def test_p2y_is_the_documented_maximum_of_730_days():
    assert parse_iso_duration("P2Y") == parse_iso_duration("P730D")
    assert DAYS_PER_YEAR == 365
    assert DAYS_PER_MONTH == 30


def test_fractions_of_larger_units_are_exact():
    assert parse_iso_duration("P1.5Y") == timedelta(days=547, hours=12)
    assert parse_iso_duration("P0.5W") == timedelta(days=3, hours=12)
    assert parse_iso_duration("PT0.0000005S") == timedelta(0)  # rounds half to even
    assert parse_iso_duration("PT0.0000015S") == timedelta(microseconds=2)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "P",
        "PT",
        "P1DT",
        "-P",
        "+P1D",
        "730",
        "730D",
        "P730",
        "P1H",
        "PT1D",
        "P1D1Y",
        "P1S",
        " P1D",
        "P1D ",
        "P1D\n",
        "P1.D",
        "P.5D",
        "P-1D",
        "P1DT-1H",
        "P\u0663D",  # an Arabic-Indic digit
        "730 days, 0:00:00",  # what str(timedelta) gives; Graph refuses it too
        "0:00:00",
    ],
)
def test_text_that_is_not_an_iso_duration_is_refused(text):
    assert parse_iso_duration(text) is None


@pytest.mark.parametrize(
    "text",
    ["P99999999999D", "P999999999999Y", "P36501D", "P101Y", "PT999999999999H", "-P99999999999D"],
)
def test_absurd_sizes_are_refused_without_overflow(text):
    assert parse_iso_duration(text) is None


def test_the_longest_accepted_duration_is_max_duration():
    assert timedelta(days=36_500) == MAX_DURATION
    assert parse_iso_duration("P100Y") == MAX_DURATION
    assert parse_iso_duration("P36500DT0.000001S") is None


@pytest.mark.parametrize("value", [None, 730, 7.5, b"P1D", ["P1D"], {"d": 1}])
def test_non_text_is_refused(value):
    assert parse_iso_duration(value) is None


def test_a_timedelta_passes_through():
    value = timedelta(days=3)
    assert parse_iso_duration(value) is value


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (timedelta(days=730), "P730D"),
        (timedelta(days=180), "P180D"),
        (timedelta(0), "PT0S"),
        (timedelta(days=1, hours=12), "P1DT12H"),
        (timedelta(minutes=5, seconds=3), "PT5M3S"),
        (None, None),
    ],
)
def test_format_writes_graph_form(value, text):
    assert format_iso_duration(value) == text


@given(st.text(max_size=40))
def test_never_raises_for_any_text(text):
    result = parse_iso_duration(text)
    assert result is None or abs(result) <= MAX_DURATION


@given(st.timedeltas(min_value=timedelta(0), max_value=MAX_DURATION))
def test_format_then_parse_round_trips_whole_seconds(value):
    value = timedelta(seconds=int(value.total_seconds()))
    assert parse_iso_duration(format_iso_duration(value)) == value


@given(
    years=st.integers(0, 9),
    months=st.integers(0, 11),
    days=st.integers(0, 400),
    hours=st.integers(0, 48),
)
def test_components_add_up(years, months, days, hours):
    text = f"P{years}Y{months}M{days}DT{hours}H"
    expected = timedelta(days=years * 365 + months * 30 + days, hours=hours)
    assert parse_iso_duration(text) == expected
