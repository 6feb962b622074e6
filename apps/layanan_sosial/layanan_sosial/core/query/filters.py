"""Parse Frappe's filter forms into `Filter` records, validated against meta.

Accepted (also as a JSON string): a dict {field: value} / {field: [op, value]}; a list of
[field, op, value], [doctype, field, op, value] (a 5th element is ignored, as Frappe does),
[field, value] or dicts. A missing operator means "=". Operators are matched
case-insensitively against the closed list `OPERATORS`; anything else is a FilterError.

`parse_filters` resolves every filter to the DocType that owns the column — the queried
DocType (plain fields and `link_field.target_field` / `table_field.child_field` paths) or
one of its child table DocTypes (the 4-element form, or a field only a child table has,
which Frappe routes to that table) — so the SQL builder never sees an unchecked name.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..exceptions import FilterError

if TYPE_CHECKING:
    from ..meta.model import Meta

OPERATORS = (
    "=",
    "!=",
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
_SYNONYMS = {"<>": "!=", "==": "="}


@dataclass(frozen=True)
class Filter:
    """One validated condition. `doctype` owns `fieldname`: the queried DocType (fieldname
    may then be a `link_field.field` / `table_field.field` path) or a child table DocType."""

    doctype: str
    fieldname: str
    operator: str
    value: Any


def load_json(value: Any, what: str) -> Any:
    """Query parameters arrive as JSON text over REST; Python callers pass objects."""
    if isinstance(value, str | bytes):
        text = value.strip() if isinstance(value, str) else value.decode().strip()
        if not text:
            return None
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise FilterError(f"{what}: JSON tidak valid ({exc.msg})") from exc
    return value


def normalise_operator(raw: Any) -> str | None:
    """The canonical operator for `raw`, or None when it is not one."""
    if not isinstance(raw, str):
        return None
    op = " ".join(raw.strip().lower().split())
    op = _SYNONYMS.get(op, op)
    return op if op in OPERATORS else None


def _operator(raw: Any) -> str:
    op = normalise_operator(raw)
    if op is None:
        raise FilterError(f"Operator must be one of {', '.join(OPERATORS)} (bukan {raw!r})")
    return op


def _name(raw: Any, what: str) -> str:
    if not isinstance(raw, str) or not raw.strip() or len(raw) > 200:
        raise FilterError(f"{what}: nama field tidak valid: {raw!r}")
    return raw.strip()


def _raw_filters(filters: Any, what: str) -> list[tuple[str | None, str, str, Any]]:
    """(doctype or None, field, operator, value) for every filter, shapes checked only."""
    if isinstance(filters, dict):
        out = []
        for key, value in filters.items():
            if isinstance(value, list | tuple):
                if len(value) != 2:  # Frappe reads a list value as [operator, value]
                    raise FilterError(f"{what}: {key!r} harus [operator, nilai], bukan {value!r}")
                out.append((None, _name(key, what), _operator(value[0]), value[1]))
            else:
                out.append((None, _name(key, what), "=", value))
        return out
    if not isinstance(filters, list | tuple):
        raise FilterError(f"{what} harus berupa daftar atau objek")
    out = []
    for item in filters:
        if isinstance(item, dict):
            out.extend(_raw_filters(item, what))
        elif not isinstance(item, list | tuple):
            raise FilterError(f"{what}: setiap filter harus berupa daftar, bukan {item!r}")
        elif len(item) == 2:
            out.append((None, _name(item[0], what), "=", item[1]))
        elif len(item) == 3:
            out.append((None, _name(item[0], what), _operator(item[1]), item[2]))
        elif len(item) in (4, 5):
            doctype = _name(item[0], what)
            out.append((doctype, _name(item[1], what), _operator(item[2]), item[3]))
        else:
            raise FilterError(f"{what}: filter {item!r} harus 2–4 unsur")
    return out


def _strip_table(fieldname: str, meta: Meta) -> tuple[str | None, str]:
    """`tabX`.field / tabX.field (X the queried or a child DocType) → (X, field); any other
    name comes back without backquotes."""
    bare = fieldname.replace("`", "")
    head, dot, field = bare.rpartition(".")
    if dot and head.startswith("tab"):
        doctype = head[3:]
        if doctype == meta.name or any(f.options == doctype for f in meta.table_fields):
            return doctype, field
    return None, bare


def _resolve(
    meta: Meta,
    doctype: str | None,
    fieldname: str,
    get_meta: Callable[[str], Meta] | None,
    what: str,
) -> tuple[str, str]:
    """The owning DocType and the field name for one filter (FilterError if unknown)."""
    named, fieldname = _strip_table(fieldname, meta)
    doctype = named or doctype or meta.name
    if doctype == meta.name:
        if fieldname in meta.valid_columns():
            return doctype, fieldname
        if "." in fieldname:
            via, _, target = fieldname.partition(".")
            df = meta.get_field(via)
            if df is None or not (df.fieldtype == "Link" or df.is_table):
                raise FilterError(f"{what}: {via!r} bukan field Link atau Table di {meta.name}")
            if get_meta is not None and target not in get_meta(df.options).valid_columns():
                raise FilterError(f"{what}: {df.options} tidak memiliki field {target!r}")
            return doctype, fieldname
        # Frappe routes a field only a child table has to that table
        owners = {
            f.options
            for f in meta.table_fields
            if get_meta is not None and get_meta(f.options).has_field(fieldname)
        }
        if len(owners) != 1:
            raise FilterError(f"{what}: {meta.name} tidak memiliki field {fieldname!r}")
        return owners.pop(), fieldname
    if not any(f.options == doctype for f in meta.table_fields):
        raise FilterError(f"{what}: {doctype} bukan tabel anak dari {meta.name}")
    if get_meta is not None and fieldname not in get_meta(doctype).valid_columns():
        raise FilterError(f"{what}: {doctype} tidak memiliki field {fieldname!r}")
    return doctype, fieldname


def parse_filters(
    meta: Meta,
    filters: Any,
    *,
    what: str = "filters",
    get_meta: Callable[[str], Meta] | None = None,
) -> list[Filter]:
    """Every filter of `filters` (any Frappe form) as a validated `Filter` of `meta`.

    Pass `get_meta` (e.g. `ctx.get_meta`) to also check the fields of linked and child
    DocTypes and to route a field only a child table has. Without it those fields are
    left for the query builder to check, and a field of neither `meta` nor a named child
    table is refused rather than guessed.
    """
    filters = load_json(filters, what)
    if filters is None or filters == "" or filters == [] or filters == {}:
        return []
    out = []
    for doctype, fieldname, op, value in _raw_filters(filters, what):
        owner, field = _resolve(meta, doctype, fieldname, get_meta, what)
        out.append(Filter(owner, field, op, value))
    return out
