"""Field types: which have a column, what column, and how values are coerced.

The split between data field types (a column) and layout/no-value types follows
frappe_compat §1.3; column types are portable SQLAlchemy types with MariaDB variants
where Frappe's storage differs (LONGTEXT, DATETIME(6), TIME(6)).
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal, InvalidOperation
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import mysql

from .exceptions import DataError

VARCHAR_LEN = 140

VARCHAR_TYPES = frozenset(
    {
        "Data",
        "Link",
        "Dynamic Link",
        "Select",
        "Autocomplete",
        "Read Only",
        "Phone",
        "Color",
        "Icon",
    }
)
TEXT_TYPES = frozenset({"Small Text", "Text", "Password", "Attach", "Attach Image"})
LONG_TEXT_TYPES = frozenset(
    {
        "Long Text",
        "Code",
        "Text Editor",
        "Markdown Editor",
        "HTML Editor",
        "Signature",
        "Barcode",
        "Geolocation",
    }
)
INT_TYPES = frozenset({"Int", "Long Int", "Check"})
DECIMAL_TYPES = frozenset({"Float", "Currency", "Percent", "Duration"})
DATE_TYPES = frozenset({"Date", "Datetime", "Time"})
TABLE_TYPES = frozenset({"Table", "Table MultiSelect"})
LAYOUT_TYPES = frozenset(
    {
        "Section Break",
        "Column Break",
        "Tab Break",
        "HTML",
        "Button",
        "Image",
        "Fold",
        "Heading",
    }
)
DATA_FIELD_TYPES = (
    VARCHAR_TYPES
    | TEXT_TYPES
    | LONG_TEXT_TYPES
    | INT_TYPES
    | DECIMAL_TYPES
    | DATE_TYPES
    | {"Rating", "JSON"}
)
NO_VALUE_TYPES = LAYOUT_TYPES | TABLE_TYPES
ALL_FIELD_TYPES = DATA_FIELD_TYPES | NO_VALUE_TYPES
# Types that may not carry a DB index (MariaDB cannot index TEXT without a prefix).
UNINDEXABLE_TYPES = TEXT_TYPES | LONG_TEXT_TYPES | {"JSON"}
TEXT_LIKE_TYPES = VARCHAR_TYPES | TEXT_TYPES | LONG_TEXT_TYPES

_LONGTEXT = sa.Text().with_variant(mysql.LONGTEXT(), "mysql", "mariadb")
_DATETIME = sa.DateTime().with_variant(mysql.DATETIME(fsp=6), "mysql", "mariadb")
_TIME = sa.Time().with_variant(mysql.TIME(fsp=6), "mysql", "mariadb")


def has_column(fieldtype: str) -> bool:
    return fieldtype in DATA_FIELD_TYPES


def column_type(fieldtype: str, length: int | None = None) -> sa.types.TypeEngine:
    """The SQLAlchemy column type that stores `fieldtype`."""
    if fieldtype in VARCHAR_TYPES:
        return sa.String(length or VARCHAR_LEN)
    if fieldtype in TEXT_TYPES:
        return sa.Text()
    if fieldtype in LONG_TEXT_TYPES:
        return _LONGTEXT
    if fieldtype == "Long Int":
        return sa.BigInteger()
    if fieldtype in INT_TYPES:
        return sa.Integer()
    if fieldtype in DECIMAL_TYPES:
        return sa.Numeric(21, 9, asdecimal=False)
    if fieldtype == "Rating":
        return sa.Numeric(3, 2, asdecimal=False)
    if fieldtype == "Date":
        return sa.Date()
    if fieldtype == "Datetime":
        return _DATETIME
    if fieldtype == "Time":
        return _TIME
    if fieldtype == "JSON":
        return _LONGTEXT  # stored as JSON text; MariaDB's JSON is LONGTEXT too
    raise ValueError(f"field type {fieldtype!r} has no column")


def _parse_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        pass
    for fmt in ("%Y-%m-%d", "%d-%m-%Y"):
        try:
            return dt.datetime.strptime(text[:10], fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def _parse_datetime(value: Any) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None) if value.tzinfo else value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    text = str(value).strip().replace("T", " ")
    if text.endswith("Z"):
        text = text[:-1]
    try:
        parsed = dt.datetime.fromisoformat(text)
    except ValueError:
        parsed = dt.datetime.strptime(text, "%d-%m-%Y %H:%M:%S")
    return parsed.replace(tzinfo=None)


def _parse_time(value: Any) -> dt.time:
    if isinstance(value, dt.time):
        return value
    if isinstance(value, dt.timedelta):
        return (dt.datetime.min + value).time()
    return dt.time.fromisoformat(str(value).strip())


def _to_float(value: Any) -> float:
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, int | float | Decimal):
        return float(value)
    text = str(value).strip().replace(",", "")
    return float(Decimal(text))


def _to_int(value: Any) -> int:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError(value)
        return int(value)
    return int(Decimal(str(value).strip()))


def coerce(fieldtype: str, value: Any, *, label: str = "") -> Any:
    """Turn an incoming value (JSON, form text, Python) into the field's Python value.

    Empty strings become None for non-text types; bad values raise DataError naming the field.
    """
    if value is None:
        return 0 if fieldtype == "Check" else None
    try:
        if fieldtype in TEXT_LIKE_TYPES:
            if isinstance(value, dict | list):
                return json.dumps(value)
            return str(value)
        if value == "" and fieldtype != "JSON":
            return 0 if fieldtype == "Check" else None
        if fieldtype == "Check":
            if isinstance(value, str) and value.lower() in ("true", "false"):
                return 1 if value.lower() == "true" else 0
            number = _to_int(value)
            if number not in (0, 1):
                raise ValueError(value)
            return number
        if fieldtype in INT_TYPES:
            return _to_int(value)
        if fieldtype in DECIMAL_TYPES or fieldtype == "Rating":
            return _to_float(value)
        if fieldtype == "Date":
            return _parse_date(value)
        if fieldtype == "Datetime":
            return _parse_datetime(value)
        if fieldtype == "Time":
            return _parse_time(value)
        if fieldtype == "JSON":
            if isinstance(value, str):
                return json.loads(value) if value.strip() else None
            json.dumps(value)  # must be serialisable
            return value
    except (ValueError, TypeError, InvalidOperation, json.JSONDecodeError) as exc:
        raise DataError(
            f"{label or fieldtype}: nilai {value!r} tidak valid untuk tipe {fieldtype}",
            field=label or None,
        ) from exc
    return value


def to_db(fieldtype: str, value: Any) -> Any:
    """Python value → what the column stores."""
    if fieldtype == "JSON" and value is not None:
        return json.dumps(value, default=str, ensure_ascii=False)
    return value


def from_db(fieldtype: str, value: Any) -> Any:
    """Column value → Python value (JSON text is decoded, MariaDB TIME timedelta → time)."""
    if value is None:
        return None
    if fieldtype == "JSON":
        return json.loads(value) if isinstance(value, str) and value else value
    if fieldtype == "Time" and isinstance(value, dt.timedelta):
        return (dt.datetime.min + value).time()
    return value


def to_json_value(value: Any) -> Any:
    """Python value → JSON wire value in Frappe's formats ("2025-01-31", "2025-01-31 10:00:00[.ffffff]")."""
    # isoformat writes Frappe's formats, zero fraction omitted, several times faster than
    # strftime (a list response formats a timestamp per row); offsets are never written
    if isinstance(value, dt.datetime):
        return (value if value.tzinfo is None else value.replace(tzinfo=None)).isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return (value if value.tzinfo is None else value.replace(tzinfo=None)).isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value
