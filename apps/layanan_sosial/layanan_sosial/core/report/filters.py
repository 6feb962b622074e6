"""Report filters: the definitions a report declares and the values a caller sends.

A definition is a dict `{"fieldname", "label", "fieldtype", "options", "default", "reqd"}`
(the desk builds its filter bar from them). Values arrive as a JSON string or a dict;
missing values take the definition's default, required ones must be present, and declared
types are checked (Int/Check/Float/Date/Datetime), all with Indonesian messages (417).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from ..exceptions import ValidationError

EMPTY = (None, "", [])


def definitions(raw: Any) -> list[dict[str, Any]]:
    """The report's filter definitions as a list of dicts (stored as JSON)."""
    if raw in (None, ""):
        return []
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise ValidationError(f"Definisi filter laporan bukan JSON yang sah: {exc}") from exc
    if not isinstance(raw, list) or not all(isinstance(d, dict) for d in raw):
        raise ValidationError("Definisi filter laporan harus daftar objek")
    for d in raw:
        if not d.get("fieldname"):
            raise ValidationError("Setiap definisi filter laporan membutuhkan fieldname")
    return raw


def parse_values(raw: Any) -> dict[str, Any]:
    """What the caller sent as `filters`: JSON object text, a dict, or nothing."""
    if raw in (None, ""):
        return {}
    if isinstance(raw, bytes):
        raw = raw.decode()
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise ValidationError(f"Filter laporan bukan JSON yang sah: {exc.msg}") from exc
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise ValidationError(
            'Filter laporan harus berupa objek JSON, misalnya {"wilayah": "53.71"}'
        )
    return dict(raw)


def _coerce(definition: dict[str, Any], value: Any) -> Any:
    fieldtype = definition.get("fieldtype") or "Data"
    label = definition.get("label") or definition["fieldname"]
    if isinstance(value, dict):
        raise ValidationError(f"Filter {label}: nilai tidak boleh berupa objek")
    try:
        if fieldtype in ("Int", "Check"):
            return int(value)
        if fieldtype in ("Float", "Currency", "Percent"):
            return float(value)
        if fieldtype == "Date":
            return dt.date.fromisoformat(str(value)[:10]).isoformat()
        if fieldtype == "Datetime":
            return dt.datetime.fromisoformat(str(value)).isoformat(sep=" ")
    except (TypeError, ValueError) as exc:
        kind = {"Date": "tanggal (YYYY-MM-DD)", "Datetime": "tanggal dan jam"}.get(
            fieldtype, "angka"
        )
        raise ValidationError(f"Filter {label}: {value!r} bukan {kind} yang sah") from exc
    if fieldtype == "Select" and definition.get("options"):
        allowed = [o for o in str(definition["options"]).split("\n") if o]
        chosen = value if isinstance(value, list) else [value]
        wrong = [v for v in chosen if str(v) not in allowed]
        if wrong:
            raise ValidationError(
                f"Filter {label}: {wrong[0]!r} bukan pilihan yang sah ({', '.join(allowed)})"
            )
    return value


def resolve(defs: list[dict[str, Any]], values: dict[str, Any]) -> dict[str, Any]:
    """Caller values + defaults, checked against the definitions (unknown keys are kept,
    as in Frappe, for scripts that read them)."""
    result = dict(values)
    missing: list[str] = []
    for d in defs:
        name = d["fieldname"]
        if result.get(name) in EMPTY and d.get("default") not in EMPTY:
            result[name] = d["default"]
        if result.get(name) in EMPTY:
            if d.get("reqd"):
                missing.append(d.get("label") or name)
            continue
        result[name] = _coerce(d, result[name])
    if missing:
        raise ValidationError(f"Filter wajib diisi: {', '.join(missing)}")
    return result
