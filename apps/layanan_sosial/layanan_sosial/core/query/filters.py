"""Parse Frappe's filter forms into `Filter` records, validated against meta.

Accepted: a JSON string of any form below; a dict {field: value} / {field: [op, value]};
a list of [field, op, value], [doctype, field, op, value] or [field, value]. A missing
operator means "=".
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from ..exceptions import FilterError

OPERATORS = (
    "=",
    "!=",
    "<>",
    ">",
    "<",
    ">=",
    "<=",
    "like",
    "not like",
    "in",
    "not in",
    "is",
    "between",
    "timespan",
    "previous",
    "next",
    "descendants of",
    "descendants of (inclusive)",
    "not descendants of",
    "ancestors of",
    "not ancestors of",
)


@dataclass(frozen=True)
class Filter:
    doctype: str | None  # None: the queried DocType
    fieldname: str
    operator: str
    value: Any


def load_json(value: Any, what: str) -> Any:
    if isinstance(value, str | bytes):
        text = value.strip() if isinstance(value, str) else value.decode().strip()
        if not text:
            return None
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise FilterError(f"{what}: JSON tidak valid ({exc.msg})") from exc
    return value


def _operator(raw: Any) -> str:
    if not isinstance(raw, str):
        raise FilterError(f"operator tidak valid: {raw!r}")
    op = " ".join(raw.strip().lower().split())
    if op == "<>":
        op = "!="
    if op == "==":
        op = "="
    if op not in OPERATORS:
        raise FilterError(f"Operator must be one of {', '.join(OPERATORS)} (bukan {raw!r})")
    return op


def _field(raw: Any) -> str:
    if not isinstance(raw, str) or not raw.strip():
        raise FilterError(f"nama field tidak valid dalam filter: {raw!r}")
    return raw.strip().strip("`")


def parse_filters(filters: Any, what: str = "filters") -> list[Filter]:
    filters = load_json(filters, what)
    if filters is None or filters == "":
        return []
    out: list[Filter] = []
    if isinstance(filters, dict):
        for key, value in filters.items():
            if isinstance(value, list | tuple) and len(value) == 2 and isinstance(value[0], str):
                op = value[0].strip().lower()
                if " ".join(op.split()) in OPERATORS or op in ("<>", "=="):
                    out.append(Filter(None, _field(key), _operator(value[0]), value[1]))
                    continue
            out.append(Filter(None, _field(key), "=", value))
        return out
    if not isinstance(filters, list | tuple):
        raise FilterError(f"{what} harus berupa daftar atau objek")
    for item in filters:
        if isinstance(item, dict):
            out.extend(parse_filters(item, what))
            continue
        if not isinstance(item, list | tuple):
            raise FilterError(f"{what}: setiap filter harus berupa daftar, bukan {item!r}")
        if len(item) == 2:
            out.append(Filter(None, _field(item[0]), "=", item[1]))
        elif len(item) == 3:
            out.append(Filter(None, _field(item[0]), _operator(item[1]), item[2]))
        elif len(item) in (4, 5):  # Frappe tolerates a 5th element (ignored)
            out.append(Filter(_field(item[0]), _field(item[1]), _operator(item[2]), item[3]))
        else:
            raise FilterError(f"{what}: filter {item!r} harus 2–4 unsur")
    return out
