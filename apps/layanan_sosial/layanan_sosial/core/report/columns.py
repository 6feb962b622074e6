"""Report columns and rows in one shape: columns as Frappe's dicts, rows as dicts.

A column may be given as a dict (`fieldname`, `label`, `fieldtype`, `options`, `width`, any
other key kept) or in Frappe's string form `"Label:Fieldtype/Options:Width"`, e.g.
`"Nama"`, `"Jumlah:Int:80"`, `"Wilayah:Link/Wilayah:150"`. Rows may be dicts (keyed by
fieldname), lists/tuples (in column order) or any mapping; they come out as dicts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..exceptions import ValidationError
from ..meta.model import scrub

NUMERIC_TYPES = frozenset({"Int", "Float", "Currency", "Percent", "Duration"})
TOTAL_LABEL = "Total"


def _width(text: str) -> int | None:
    text = text.strip()
    if not text:
        return None
    try:
        return int(float(text))
    except ValueError as exc:
        raise ValidationError(f"Lebar kolom {text!r} bukan angka") from exc


def parse_column(column: Any) -> dict[str, Any]:
    """One column as a dict with at least fieldname, label and fieldtype."""
    if isinstance(column, str):
        parts = column.split(":")
        label = parts[0].strip()
        fieldtype, _, options = (parts[1] if len(parts) > 1 else "").partition("/")
        result: dict[str, Any] = {
            "fieldname": scrub(label) or label,
            "label": label,
            "fieldtype": fieldtype.strip() or "Data",
        }
        if options.strip():
            result["options"] = options.strip()
        width = _width(parts[2]) if len(parts) > 2 else None
        if width is not None:
            result["width"] = width
        return result
    if isinstance(column, Mapping):
        result = dict(column)
        label = result.get("label")
        fieldname = result.get("fieldname") or (scrub(str(label)) if label else None)
        if not fieldname:
            raise ValidationError(f"Kolom laporan tanpa fieldname maupun label: {column!r}")
        result["fieldname"] = str(fieldname)
        result["label"] = str(label) if label else str(fieldname).replace("_", " ").title()
        result["fieldtype"] = result.get("fieldtype") or "Data"
        return result
    raise ValidationError(f"Kolom laporan harus teks atau objek, bukan {type(column).__name__}")


def normalise_columns(columns: Any) -> list[dict[str, Any]]:
    if columns is None:
        return []
    if isinstance(columns, str | bytes) or not isinstance(columns, Sequence):
        raise ValidationError("Kolom laporan harus berupa daftar")
    return [parse_column(c) for c in columns]


def normalise_rows(columns: list[dict[str, Any]], rows: Any) -> list[dict[str, Any]]:
    """Rows as dicts keyed by fieldname (list rows are matched to columns by position)."""
    if rows is None:
        return []
    names = [c["fieldname"] for c in columns]
    out: list[dict[str, Any]] = []
    for row in rows:
        if isinstance(row, Mapping):
            out.append(dict(row))
        elif hasattr(row, "_mapping"):  # SQLAlchemy Row
            out.append(dict(row._mapping))
        elif isinstance(row, Sequence) and not isinstance(row, str | bytes):
            out.append(dict(zip(names, row, strict=False)))
        else:
            raise ValidationError(f"Baris laporan harus objek atau daftar, bukan {row!r}")
    return out


def _number(value: Any) -> float:
    try:
        return float(value or 0)
    except (TypeError, ValueError):
        return 0.0


def total_row(columns: list[dict[str, Any]], rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Frappe's total row: numeric columns summed (Percent averaged), the first column says
    "Total" when it is not numeric."""
    total: dict[str, Any] = {}
    for column in columns:
        if column.get("fieldtype") not in NUMERIC_TYPES:
            continue
        name = column["fieldname"]
        values = [_number(r.get(name)) for r in rows]
        value = sum(values)
        if column["fieldtype"] == "Percent" and values:
            value = value / len(values)
        if column["fieldtype"] == "Int":
            value = int(value)
        total[name] = value
    if columns and columns[0].get("fieldtype") not in NUMERIC_TYPES:
        total[columns[0]["fieldname"]] = TOTAL_LABEL
    return total
