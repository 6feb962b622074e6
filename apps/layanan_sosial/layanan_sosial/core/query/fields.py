"""Parse `fields`, `order_by` and `group_by` tokens. Only known shapes are accepted:

    name | field | field as alias | link_field.target_field | table_field.child_field
    `tabDocType`.field | tabDocType.field | count(*) | count(field) | count(distinct field)
    sum/avg/min/max(field)   — each optionally followed by `as alias`

Anything else (sub-queries, functions, comments, `;`) is a FilterError.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ..exceptions import FilterError
from .filters import load_json

_IDENT = r"[A-Za-z_][A-Za-z0-9_]{0,63}"
_DOCTYPE = r"[A-Za-z][A-Za-z0-9 _\-]{0,60}"
_ALIAS = re.compile(rf"^(?P<expr>.+?)\s+as\s+(?P<alias>`?{_IDENT}`?)$", re.IGNORECASE)
_AGG = re.compile(
    r"^(?P<fn>count|sum|avg|min|max)\(\s*(?P<distinct>distinct\s+)?(?P<arg>[^()]+?)\s*\)$",
    re.IGNORECASE,
)
_TABLE_FIELD = re.compile(rf"^`tab(?P<doctype>{_DOCTYPE})`\.`?(?P<field>{_IDENT}|\*)`?$")
_DOTTED = re.compile(rf"^`?(?P<left>{_IDENT})`?\.`?(?P<right>{_IDENT}|\*)`?$")
_PLAIN = re.compile(rf"^`?(?P<field>{_IDENT})`?$")


@dataclass(frozen=True)
class FieldRef:
    """One reference: `kind` is plain, link (via link field), child (via table field),
    table (by DocType name) or star; `agg` is set for aggregates."""

    kind: str
    field: str
    via: str | None = None  # link/table fieldname, or DocType for kind "table"
    agg: str | None = None
    distinct: bool = False
    alias: str | None = None
    text: str = ""


def _ref(expr: str) -> FieldRef:
    """A plain, dotted (`link_field.field`, `table_field.field`, or unquoted tabX.field)
    or backquoted `tabX`.field reference; the builder checks every name against meta."""
    expr = expr.strip()
    if expr == "*":
        return FieldRef("star", "*", text=expr)
    match = _TABLE_FIELD.match(expr)
    if match:
        kind = "star" if match["field"] == "*" else "table"
        return FieldRef(kind, match["field"], via=match["doctype"], text=expr)
    match = _DOTTED.match(expr)
    if match and match["right"] == "*":
        if match["left"].startswith("tab"):
            return FieldRef("star", "*", via=match["left"][3:], text=expr)
    elif match:
        return FieldRef("dotted", match["right"], via=match["left"], text=expr)
    match = _PLAIN.match(expr)
    if match:
        return FieldRef("plain", match["field"], text=expr)
    raise FilterError(f"field tidak dikenal atau tidak diizinkan: {expr!r}")


def parse_field(token: str) -> FieldRef:
    if not isinstance(token, str) or not token.strip() or len(token) > 200:
        raise FilterError(f"field tidak valid: {token!r}")
    return _parse_text(token)


@lru_cache(maxsize=4096)  # clients repeat the same few field lists; FieldRef is frozen
def _parse_text(token: str) -> FieldRef:
    text = " ".join(token.strip().split())
    alias = None
    match = _ALIAS.match(text)
    if match:
        text, alias = match["expr"].strip(), match["alias"].strip("`")
    agg = _AGG.match(text)
    if agg:
        ref = _ref(agg["arg"])
        if ref.kind == "star" and (agg["distinct"] or ref.via):
            raise FilterError(f"agregat tidak diizinkan: {token!r}")
        return FieldRef(
            ref.kind,
            ref.field,
            ref.via,
            agg["fn"].lower(),
            bool(agg["distinct"]),
            alias,
            token.strip(),
        )
    ref = _ref(text)
    return FieldRef(ref.kind, ref.field, ref.via, None, False, alias, token.strip())


@dataclass(frozen=True)
class OrderItem:
    ref: FieldRef
    descending: bool


_DIRECTION = re.compile(r"^(?P<expr>.+?)(?:\s+(?P<dir>asc|desc))?$", re.IGNORECASE)


def split_list(value: Any, what: str) -> list[str]:
    """`order_by`/`group_by` as "a desc, b", a list of such strings, or JSON of either."""
    if isinstance(value, str) and value.strip()[:1] in ("[", '"'):
        value = load_json(value, what)
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise FilterError(f"{what} harus berupa teks atau daftar teks, bukan {value!r}")
    return [" ".join(p.split()) for v in value for p in v.split(",") if p.strip()]


def parse_order_by(order_by: Any) -> list[OrderItem]:
    items: list[OrderItem] = []
    for part in split_list(order_by, "order_by"):
        match = _DIRECTION.match(part)
        assert match is not None
        items.append(
            OrderItem(parse_field(match["expr"]), (match["dir"] or "asc").lower() == "desc")
        )
    return items


def parse_group_by(group_by: Any) -> list[FieldRef]:
    refs = [parse_field(part) for part in split_list(group_by, "group_by")]
    for ref in refs:
        if ref.agg or ref.kind == "star":
            raise FilterError(f"group_by: {ref.text!r} bukan field")
    return refs
