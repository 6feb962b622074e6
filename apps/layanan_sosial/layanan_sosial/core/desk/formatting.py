"""Values as Indonesian staff read them: dates dd-mm-yyyy, Rupiah, 1.234.567,89."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

NUMERIC = frozenset({"Int", "Long Int", "Float", "Currency", "Percent"})


def group_number(value: Any, decimals: int = 0) -> str:
    """1234567.891 → '1.234.567,89' (thousands with '.', decimals with ',')."""
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):  # not a number: shown as it is
        return str(value)
    text = f"{number:,.{decimals}f}"  # 1,234,567.89
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def format_date(value: Any) -> str:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.strftime("%d-%m-%Y")
    text = str(value)
    try:
        return dt.date.fromisoformat(text[:10]).strftime("%d-%m-%Y")
    except ValueError:
        return text


def format_datetime(value: Any) -> str:
    if not isinstance(value, dt.datetime):
        try:
            value = dt.datetime.fromisoformat(str(value))
        except ValueError:
            return str(value)
    return value.strftime("%d-%m-%Y %H:%M")


def format_value(fieldtype: str | None, value: Any, *, yes: str = "Ya", no: str = "Tidak") -> str:
    """The display text of a stored value for lists, timelines and read-only fields."""
    if value is None or value == "":
        return ""
    if fieldtype == "Date":
        return format_date(value)
    if fieldtype == "Datetime":
        return format_datetime(value)
    if fieldtype == "Currency":
        return "Rp " + group_number(value, 2)
    if fieldtype in ("Int", "Long Int"):
        return group_number(value, 0)
    if fieldtype in ("Float", "Percent"):
        text = group_number(value, 2)
        return text + " %" if fieldtype == "Percent" else text
    if fieldtype == "Check":
        return yes if str(value) not in ("0", "False", "false") else no
    return str(value)
