"""Date arithmetic for the `timespan`, `previous`, `next` and `between` filters.

Ranges are inclusive (first day, last day) and follow Frappe's definitions: calendar weeks,
months, quarters and years; `last 6 months` is the two whole quarters before this one;
`previous`/`next` "1 week" … "1 year" are the last/next calendar period of that size.
Weeks start on Monday (ISO 8601, the Indonesian convention). "Today" always comes from the
caller (`ctx.today()`), so tests can pin the clock.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..exceptions import DataError, FilterError
from ..fieldtypes import coerce

DAY = dt.timedelta(days=1)


def month_start(day: dt.date, months: int = 0) -> dt.date:
    """First day of the month `months` away from `day`'s month."""
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def _month(day: dt.date, months: int) -> tuple[dt.date, dt.date]:
    return month_start(day, months), month_start(day, months + 1) - DAY


def _quarter(day: dt.date, quarters: int) -> tuple[dt.date, dt.date]:
    first = dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    return month_start(first, 3 * quarters), month_start(first, 3 * quarters + 3) - DAY


def _week(day: dt.date, weeks: int) -> tuple[dt.date, dt.date]:
    first = day - dt.timedelta(days=day.weekday()) + dt.timedelta(weeks=weeks)
    return first, first + 6 * DAY


def _year(day: dt.date, years: int) -> tuple[dt.date, dt.date]:
    return dt.date(day.year + years, 1, 1), dt.date(day.year + years, 12, 31)


def _spans(today: dt.date) -> dict[str, tuple[dt.date, dt.date]]:
    return {
        "today": (today, today),
        "yesterday": (today - DAY, today - DAY),
        "tomorrow": (today + DAY, today + DAY),
        "this week": _week(today, 0),
        "last week": _week(today, -1),
        "next week": _week(today, 1),
        "this month": _month(today, 0),
        "last month": _month(today, -1),
        "next month": _month(today, 1),
        "this quarter": _quarter(today, 0),
        "last quarter": _quarter(today, -1),
        "next quarter": _quarter(today, 1),
        "last 6 months": (_quarter(today, -2)[0], _quarter(today, -1)[1]),
        "next 6 months": (_quarter(today, 1)[0], _quarter(today, 2)[1]),
        "this year": _year(today, 0),
        "last year": _year(today, -1),
        "next year": _year(today, 1),
        "last 7 days": (today - 7 * DAY, today),
        "last 14 days": (today - 14 * DAY, today),
        "last 30 days": (today - 30 * DAY, today),
        "last 90 days": (today - 90 * DAY, today),
        "next 7 days": (today, today + 7 * DAY),
        "next 14 days": (today, today + 14 * DAY),
        "next 30 days": (today, today + 30 * DAY),
    }


TIMESPANS = tuple(_spans(dt.date(2000, 1, 1)))
PERIODS = {"1 week": "week", "1 month": "month", "3 months": "quarter", "6 months": "6 months"}
PERIODS["1 year"] = "year"


def _words(value: Any) -> str:
    return " ".join(str(value).lower().split()) if isinstance(value, str) else ""


def timespan_range(span: Any, today: dt.date) -> tuple[dt.date, dt.date]:
    """Frappe's named period `span` relative to `today`, as an inclusive day range."""
    spans = _spans(today)
    key = _words(span)
    if key not in spans:
        raise FilterError(f"timespan {span!r} tidak dikenal; pilihan: {', '.join(TIMESPANS)}")
    return spans[key]


def period_range(direction: str, period: Any, today: dt.date) -> tuple[dt.date, dt.date]:
    """`previous`/`next` + "1 week" … "1 year" → the last/next calendar period (Frappe)."""
    size = PERIODS.get(_words(period))
    if size is None:
        raise FilterError(
            f"{direction}: periode {period!r} tidak dikenal; pilihan: {', '.join(PERIODS)}"
        )
    return timespan_range(f"{'last' if direction == 'previous' else 'next'} {size}", today)


def day_bounds(fieldtype: str, start: dt.date, end: dt.date) -> tuple[Any, Any]:
    """An inclusive day range as column values: Datetime columns span whole days."""
    if fieldtype == "Datetime":
        return dt.datetime.combine(start, dt.time.min), dt.datetime.combine(end, dt.time.max)
    return start, end


def _has_time(value: Any) -> bool:
    if isinstance(value, dt.datetime):
        return True
    return isinstance(value, str) and len(value.strip()) > 10


def between_bound(fieldtype: str, value: Any, upper: bool, fieldname: str) -> Any:
    """One side of a `between` on a Date/Datetime column: a date-only value widens to the
    start (lower side) or end (upper side) of its day; an explicit time is kept."""
    try:
        if fieldtype == "Datetime" and _has_time(value):
            return coerce("Datetime", value, label=fieldname)
        day = coerce("Date", value, label=fieldname)
    except DataError as exc:
        raise FilterError(f"filter {fieldname}: tanggal tidak valid {value!r}") from exc
    if fieldtype != "Datetime":
        return day
    return dt.datetime.combine(day, dt.time.max if upper else dt.time.min)
