"""Date filters: every timespan and previous/next period (Frappe's calendar definitions),
between with whole-day widening, and the clock taken from ctx.today() — on both databases."""

from __future__ import annotations

import datetime as dt

import pytest

from layanan_sosial.core.exceptions import FilterError
from layanan_sosial.core.query.dates import TIMESPANS, period_range, timespan_range

D = dt.date
THURSDAY = D(2026, 5, 14)

SPANS = {
    "today": (D(2026, 5, 14), D(2026, 5, 14)),
    "yesterday": (D(2026, 5, 13), D(2026, 5, 13)),
    "tomorrow": (D(2026, 5, 15), D(2026, 5, 15)),
    "this week": (D(2026, 5, 11), D(2026, 5, 17)),
    "last week": (D(2026, 5, 4), D(2026, 5, 10)),
    "next week": (D(2026, 5, 18), D(2026, 5, 24)),
    "this month": (D(2026, 5, 1), D(2026, 5, 31)),
    "last month": (D(2026, 4, 1), D(2026, 4, 30)),
    "next month": (D(2026, 6, 1), D(2026, 6, 30)),
    "this quarter": (D(2026, 4, 1), D(2026, 6, 30)),
    "last quarter": (D(2026, 1, 1), D(2026, 3, 31)),
    "next quarter": (D(2026, 7, 1), D(2026, 9, 30)),
    "last 6 months": (D(2025, 10, 1), D(2026, 3, 31)),
    "next 6 months": (D(2026, 7, 1), D(2026, 12, 31)),
    "this year": (D(2026, 1, 1), D(2026, 12, 31)),
    "last year": (D(2025, 1, 1), D(2025, 12, 31)),
    "next year": (D(2027, 1, 1), D(2027, 12, 31)),
    "last 7 days": (D(2026, 5, 7), D(2026, 5, 14)),
    "last 14 days": (D(2026, 4, 30), D(2026, 5, 14)),
    "last 30 days": (D(2026, 4, 14), D(2026, 5, 14)),
    "last 90 days": (D(2026, 2, 13), D(2026, 5, 14)),
    "next 7 days": (D(2026, 5, 14), D(2026, 5, 21)),
    "next 14 days": (D(2026, 5, 14), D(2026, 5, 28)),
    "next 30 days": (D(2026, 5, 14), D(2026, 6, 13)),
}


def test_every_timespan_is_known():
    assert set(TIMESPANS) == set(SPANS)


@pytest.mark.parametrize(("span", "expected"), SPANS.items())
def test_timespan_range(span, expected):
    assert timespan_range(span, THURSDAY) == expected
    assert timespan_range(span.upper().replace(" ", "  "), THURSDAY) == expected


@pytest.mark.parametrize(
    ("span", "today", "expected"),
    [
        ("last month", D(2026, 1, 15), (D(2025, 12, 1), D(2025, 12, 31))),
        ("last quarter", D(2026, 2, 1), (D(2025, 10, 1), D(2025, 12, 31))),
        ("next month", D(2026, 12, 31), (D(2027, 1, 1), D(2027, 1, 31))),
        ("last month", D(2026, 3, 31), (D(2026, 2, 1), D(2026, 2, 28))),
        ("this month", D(2028, 2, 10), (D(2028, 2, 1), D(2028, 2, 29))),
        ("this week", D(2026, 5, 17), (D(2026, 5, 11), D(2026, 5, 17))),  # Sunday
        ("this week", D(2026, 5, 11), (D(2026, 5, 11), D(2026, 5, 17))),  # Monday
        ("last 6 months", D(2026, 2, 1), (D(2025, 7, 1), D(2025, 12, 31))),
        ("next 6 months", D(2026, 11, 30), (D(2027, 1, 1), D(2027, 6, 30))),
    ],
)
def test_timespan_across_year_and_month_ends(span, today, expected):
    assert timespan_range(span, today) == expected


@pytest.mark.parametrize(
    ("direction", "period", "span"),
    [
        ("previous", "1 week", "last week"),
        ("previous", "1 month", "last month"),
        ("previous", "3 months", "last quarter"),
        ("previous", "6 months", "last 6 months"),
        ("previous", "1 year", "last year"),
        ("next", "1 week", "next week"),
        ("next", "1 month", "next month"),
        ("next", "3 months", "next quarter"),
        ("next", "6 months", "next 6 months"),
        ("next", "1 year", "next year"),
    ],
)
def test_previous_and_next_are_calendar_periods(direction, period, span):
    assert period_range(direction, period, THURSDAY) == SPANS[span]


@pytest.mark.parametrize("bad", ["kemarin", "last 8 days", "", None, 7, ["today"]])
def test_unknown_periods_are_refused(bad):
    with pytest.raises(FilterError):
        timespan_range(bad, THURSDAY)
    with pytest.raises(FilterError):
        period_range("previous", bad, THURSDAY)


# -- against the database -----------------------------------------------------------------

DATES = {
    "sun-before": ("2026-05-10", "2026-05-10 23:59:59.999999"),
    "mon": ("2026-05-11", "2026-05-11 00:00:00"),
    "today": ("2026-05-14", "2026-05-14 12:00:00"),
    "sun": ("2026-05-17", "2026-05-17 23:59:59.500000"),
    "mon-after": ("2026-05-18", "2026-05-18 00:00:00"),
    "april": ("2026-04-30", "2026-04-30 08:00:00"),
    "none": (None, None),
}


@pytest.fixture
def dated(ctx):
    ctx.now_override = dt.datetime(2026, 5, 14, 9, 30)
    for key, (date, stamp) in DATES.items():
        ctx.new_doc("Uji Semua Tipe", text=key, date=date, datetime=stamp).insert()
    return ctx


def _found(ctx, filters):
    return set(ctx.get_all("Uji Semua Tipe", filters=filters, pluck="text"))


@pytest.mark.parametrize("field", ["date", "datetime"])
def test_timespans_cover_whole_days(dated, field):
    week = {"mon", "today", "sun"}
    assert _found(dated, {field: ["timespan", "this week"]}) == week
    assert _found(dated, {field: ["Timespan", "last week"]}) == {"sun-before"}
    assert _found(dated, {field: ["timespan", "today"]}) == {"today"}
    assert _found(dated, {field: ["timespan", "last month"]}) == {"april"}
    assert _found(dated, {field: ["previous", "1 month"]}) == {"april"}
    assert _found(dated, {field: ["next", "1 week"]}) == {"mon-after"}
    assert _found(dated, {field: ["timespan", "last 14 days"]}) == {
        "april",
        "sun-before",
        "mon",
        "today",
    }


def test_the_clock_comes_from_the_context(dated):
    assert _found(dated, {"date": ["timespan", "today"]}) == {"today"}
    dated.now_override = dt.datetime(2026, 5, 18, 0, 1)
    assert _found(dated, {"date": ["timespan", "today"]}) == {"mon-after"}
    assert _found(dated, {"datetime": ["timespan", "yesterday"]}) == {"sun"}


def test_between_on_dates_is_inclusive_and_widened_for_datetimes(dated):
    span = ["2026-05-11", "2026-05-17"]
    assert _found(dated, {"date": ["between", span]}) == {"mon", "today", "sun"}
    assert _found(dated, {"datetime": ["between", span]}) == {"mon", "today", "sun"}
    # an explicit time is kept, each side on its own
    exact = ["2026-05-14 12:00:00", "2026-05-17"]
    assert _found(dated, {"datetime": ["between", exact]}) == {"today", "sun"}
    later = ["2026-05-14 12:00:01", "2026-05-17 23:00:00"]
    assert _found(dated, {"datetime": ["between", later]}) == set()
    # a missing side is open; NULL counts as the earliest date
    assert _found(dated, {"date": ["between", [None, "2026-04-30"]]}) == {"april", "none"}
    assert _found(dated, {"date": ["between", ["2026-05-17"]]}) == {"sun", "mon-after"}
    assert _found(dated, {"date": ["between", [dt.date(2026, 5, 14), dt.date(2026, 5, 14)]]}) == {
        "today"
    }


def test_date_comparisons_and_refusals(dated):
    assert _found(dated, {"date": ["<", "2026-05-10"]}) == {"april", "none"}
    assert _found(dated, {"datetime": [">=", "2026-05-17 23:59:59.5"]}) == {"sun", "mon-after"}
    for bad in (
        {"date": ["timespan", "kapan-kapan"]},
        {"int_val": ["timespan", "today"]},  # not a date field
        {"date": ["previous", "2 weeks"]},
        {"date": ["between", ["2026-01-01", "2026-02-01", "2026-03-01"]]},
        {"date": ["between", ["bukan tanggal", "2026-02-01"]]},
    ):
        with pytest.raises(FilterError):
            _found(dated, bad)
