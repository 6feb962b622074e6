"""Filter operators to SQLAlchemy conditions, with Frappe's NULL semantics: a missing value
behaves like "" (text), 0 (numbers) or the earliest date, so `!= 'x'` includes empty rows."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from ..db.tables import table_for
from ..exceptions import DataError, FilterError
from ..fieldtypes import DATE_TYPES, DECIMAL_TYPES, INT_TYPES, coerce

if TYPE_CHECKING:
    from ..context import Context

Col = sa.ColumnElement[Any]
NUMERIC = INT_TYPES | DECIMAL_TYPES | {"Rating"}


def _value(fieldtype: str, value: Any, fieldname: str) -> Any:
    if fieldtype in ("Link", "Dynamic Link", "Data", "Select") or value is None:
        return value
    try:
        return coerce(fieldtype, value, label=fieldname)
    except DataError as exc:
        raise FilterError(f"filter {fieldname}: {exc.message}", field=fieldname) from exc


def _empty(fieldtype: str) -> Any:
    if fieldtype in NUMERIC:
        return 0
    if fieldtype in DATE_TYPES:
        return None  # the earliest possible date: below everything
    return ""


def _empty_satisfies(op: str, fieldtype: str, value: Any) -> bool:
    empty = _empty(fieldtype)
    if empty is None:
        return op in ("<", "<=")
    try:
        return {
            ">": lambda: empty > value,
            "<": lambda: empty < value,
            ">=": lambda: empty >= value,
            "<=": lambda: empty <= value,
        }[op]()
    except TypeError:
        return False


def _is_empty_cond(col: Col, fieldtype: str) -> Col:
    if fieldtype in NUMERIC or fieldtype in DATE_TYPES:
        return col.is_(None)
    return sa.or_(col.is_(None), col == "")


def _as_list(value: Any) -> list[Any]:
    if isinstance(value, str):
        return [v.strip() for v in value.split(",")]
    if isinstance(value, list | tuple | set):
        return list(value)
    return [value]


def _day_range(fieldtype: str, start: dt.date, end: dt.date) -> tuple[Any, Any]:
    if fieldtype == "Datetime":
        return (
            dt.datetime.combine(start, dt.time.min),
            dt.datetime.combine(end, dt.time.max),
        )
    return start, end


def _to_date(value: Any, fieldname: str) -> dt.date:
    try:
        return coerce("Date", value, label=fieldname)
    except DataError as exc:
        raise FilterError(f"filter {fieldname}: tanggal tidak valid {value!r}") from exc


def _between(col: Col, fieldtype: str, value: Any, fieldname: str) -> Col:
    values = _as_list(value)
    if len(values) != 2:
        raise FilterError(f"filter {fieldname}: between membutuhkan [dari, sampai]")
    if fieldtype in ("Date", "Datetime"):
        start, end = _to_date(values[0], fieldname), _to_date(values[1], fieldname)
        if fieldtype == "Datetime" and isinstance(values[1], str) and len(values[1].strip()) > 10:
            return col.between(
                _value("Datetime", values[0], fieldname), _value("Datetime", values[1], fieldname)
            )
        low, high = _day_range(fieldtype, start, end)
        return col.between(low, high)
    return col.between(
        _value(fieldtype, values[0], fieldname), _value(fieldtype, values[1], fieldname)
    )


def _month_start(day: dt.date, months: int = 0) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def timespan_range(span: str, today: dt.date) -> tuple[dt.date, dt.date]:
    """Frappe's named periods relative to `today` (inclusive day ranges)."""
    span = " ".join(str(span).lower().split())
    day = dt.timedelta(days=1)
    week_start = today - dt.timedelta(days=today.weekday())
    quarter_start = dt.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    fixed = {
        "today": (today, today),
        "yesterday": (today - day, today - day),
        "tomorrow": (today + day, today + day),
        "this week": (week_start, week_start + 6 * day),
        "last week": (week_start - 7 * day, week_start - day),
        "next week": (week_start + 7 * day, week_start + 13 * day),
        "this month": (_month_start(today), _month_start(today, 1) - day),
        "last month": (_month_start(today, -1), _month_start(today) - day),
        "next month": (_month_start(today, 1), _month_start(today, 2) - day),
        "this quarter": (quarter_start, _month_start(quarter_start, 3) - day),
        "last quarter": (_month_start(quarter_start, -3), quarter_start - day),
        "next quarter": (_month_start(quarter_start, 3), _month_start(quarter_start, 6) - day),
        "this year": (dt.date(today.year, 1, 1), dt.date(today.year, 12, 31)),
        "last year": (dt.date(today.year - 1, 1, 1), dt.date(today.year - 1, 12, 31)),
        "next year": (dt.date(today.year + 1, 1, 1), dt.date(today.year + 1, 12, 31)),
        "last 7 days": (today - 7 * day, today),
        "last 14 days": (today - 14 * day, today),
        "last 30 days": (today - 30 * day, today),
        "next 7 days": (today, today + 7 * day),
        "next 14 days": (today, today + 14 * day),
        "next 30 days": (today, today + 30 * day),
        "last 6 months": (_month_start(today, -6).replace(day=1), today),
        "next 6 months": (today, _month_start(today, 7) - day),
    }
    if span not in fixed:
        raise FilterError(f"timespan {span!r} tidak dikenal; pilihan: {', '.join(fixed)}")
    return fixed[span]


_PERIODS = {
    "1 week": dt.timedelta(weeks=1),
    "1 month": 1,
    "3 months": 3,
    "6 months": 6,
    "1 year": 12,
}


def _shift(today: dt.date, period: str, sign: int) -> dt.date:
    amount = _PERIODS.get(" ".join(str(period).lower().split()))
    if amount is None:
        raise FilterError(f"periode {period!r} tidak dikenal; pilihan: {', '.join(_PERIODS)}")
    if isinstance(amount, dt.timedelta):
        return today + sign * amount
    month = _month_start(today, sign * amount)
    last_day = (_month_start(month, 1) - dt.timedelta(days=1)).day
    return month.replace(day=min(today.day, last_day))


def _tree_condition(
    ctx: Context, col: Col, op: str, target: str, value: Any, fieldname: str
) -> Col:
    meta = ctx.get_meta(target)
    if not meta.is_tree:
        raise FilterError(f"filter {fieldname}: {op} hanya untuk DocType pohon ({target} bukan)")
    table = table_for(meta)
    node = ctx.conn.execute(
        sa.select(table.c.lft, table.c.rgt).where(table.c.name == value)
    ).first()
    if node is None or node[0] is None:
        return sa.false() if not op.startswith("not") else sa.true()
    lft, rgt = node
    inner = table.alias()
    if op.endswith("descendants of"):
        cond = sa.and_(inner.c.lft > lft, inner.c.rgt < rgt)
    elif op == "descendants of (inclusive)":
        cond = sa.and_(inner.c.lft >= lft, inner.c.rgt <= rgt)
    else:
        cond = sa.and_(inner.c.lft < lft, inner.c.rgt > rgt)
    names = subtree_names(ctx, sa.select(inner.c.name).where(cond))
    if op.startswith("not"):
        return sa.or_(col.is_(None), col.not_in(names))
    return col.in_(names)


SUBTREE_LIST_LIMIT = 2000


def subtree_names(ctx: Context, select: sa.Select[Any]) -> Any:
    """The node names as a literal list when there are not too many — MariaDB then estimates
    the range well and walks the sort index (1 ms instead of 7–15 ms with a semi-join
    subquery on 100k rows) — else the sub-select itself."""
    names = ctx.conn.execute(select.limit(SUBTREE_LIST_LIMIT + 1)).scalars().all()
    return names if len(names) <= SUBTREE_LIST_LIMIT else select


def condition(
    ctx: Context,
    col: Col,
    fieldtype: str,
    op: str,
    value: Any,
    fieldname: str,
    link_target: str | None,
) -> Col:
    """The SQL condition for one filter on one column."""
    if op in ("=", "!="):
        if value is None or value == "":
            empty = _is_empty_cond(col, fieldtype)
            return empty if op == "=" else sa.not_(empty)
        typed = _value(fieldtype, value, fieldname)
        return col == typed if op == "=" else sa.or_(col.is_(None), col != typed)
    if op in (">", "<", ">=", "<="):
        typed = _value(fieldtype, value, fieldname)
        cond = {">": col > typed, "<": col < typed, ">=": col >= typed, "<=": col <= typed}[op]
        return sa.or_(col.is_(None), cond) if _empty_satisfies(op, fieldtype, typed) else cond
    if op in ("like", "not like"):
        text = str(value if value is not None else "")
        return col.like(text) if op == "like" else sa.or_(col.is_(None), sa.not_(col.like(text)))
    if op in ("in", "not in"):
        values = [v for v in _as_list(value)]
        wants_empty = any(v in (None, "") for v in values)
        typed = [_value(fieldtype, v, fieldname) for v in values if v not in (None, "")]
        cond = col.in_(typed) if typed else sa.false()
        if op == "in":
            return sa.or_(_is_empty_cond(col, fieldtype), cond) if wants_empty else cond
        if wants_empty:
            return sa.and_(sa.not_(_is_empty_cond(col, fieldtype)), sa.not_(cond))
        return sa.or_(col.is_(None), sa.not_(cond)) if typed else sa.true()
    if op == "is":
        word = str(value).strip().lower()
        if word not in ("set", "not set"):
            raise FilterError(f"filter {fieldname}: 'is' membutuhkan 'set' atau 'not set'")
        empty = _is_empty_cond(col, fieldtype)
        return sa.not_(empty) if word == "set" else empty
    if op == "between":
        return _between(col, fieldtype, value, fieldname)
    if op == "timespan":
        start, end = timespan_range(value, ctx.today())
        return col.between(*_day_range(fieldtype, start, end))
    if op in ("previous", "next"):
        today = ctx.today()
        start, end = (
            (_shift(today, value, -1), today)
            if op == "previous"
            else (today, _shift(today, value, 1))
        )
        return col.between(*_day_range(fieldtype, start, end))
    if "descendants" in op or "ancestors" in op:
        if not link_target:
            raise FilterError(f"filter {fieldname}: {op} membutuhkan field Link ke DocType pohon")
        return _tree_condition(ctx, col, op, link_target, value, fieldname)
    raise FilterError(f"operator {op!r} tidak didukung")
