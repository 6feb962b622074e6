"""Run-time customisations stored in the database and merged into meta (frappe_compat §3).

Order: standard (or admin-created) fields → append Custom Fields (after `insert_after`) →
apply Property Setters (DocType- and field-level, including `field_order`).
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from ..db.tables import build_table

if TYPE_CHECKING:
    from .loader import DocTypeFiles

# Columns of the customisation tables that are bookkeeping, not DocField properties.
_NON_PROPERTY_COLUMNS = frozenset(
    {
        "name",
        "owner",
        "creation",
        "modified",
        "modified_by",
        "docstatus",
        "idx",
        "parent",
        "parentfield",
        "parenttype",
        "_user_tags",
        "_comments",
        "_assign",
        "_liked_by",
        "dt",
        "insert_after",
        "module",
        "is_system_generated",
    }
)


@dataclass
class CustomisationRows:
    doctypes: dict[str, dict[str, Any]] = field(default_factory=dict)
    custom_fields: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    property_setters: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    # Custom DocPerm rows by DocType: when present they REPLACE the DocType's own rows.
    docperms: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


def _rows(conn: sa.Connection, files: DocTypeFiles, doctype: str) -> list[dict[str, Any]]:
    from .cache import meta_from_dict

    if not files.has(doctype):
        return []
    table = build_table(meta_from_dict(files.raw(doctype)))
    if not sa.inspect(conn).has_table(table.name):
        return []
    return [dict(r._mapping) for r in conn.execute(sa.select(table).order_by(table.c.idx))]


def _clean(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in row.items() if k not in _NON_PROPERTY_COLUMNS and v not in (None, "")}


def field_props(row: dict[str, Any]) -> dict[str, Any]:
    """DocField properties of a stored DocField row (bookkeeping columns and blanks removed)."""
    props = _clean(row)
    props.pop("is_custom_field", None)
    return props


def custom_field_props(row: dict[str, Any]) -> dict[str, Any]:
    """DocField properties of a stored Custom Field row, as merged into meta."""
    props = _clean(row)
    props["is_custom_field"] = 1
    props["insert_after"] = row.get("insert_after")
    return props


def perm_props(row: dict[str, Any]) -> dict[str, Any]:
    """DocPerm properties of a stored DocPerm row."""
    return _clean(row)


def doctype_props(row: dict[str, Any]) -> dict[str, Any]:
    """Top-level DocType properties of a stored tabDocType row."""
    raw = _clean(row)
    raw["name"] = row["name"]
    raw["module"] = row.get("module")
    return raw


def load_customisations(conn: sa.Connection, files: DocTypeFiles) -> CustomisationRows:
    out = CustomisationRows()
    fields_by_parent: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in _rows(conn, files, "DocField"):
        if row.get("parenttype") == "DocType":
            fields_by_parent[row["parent"]].append(field_props(row))
    perms_by_parent: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in _rows(conn, files, "DocPerm"):
        if row.get("parenttype") == "DocType":
            perms_by_parent[row["parent"]].append(perm_props(row))
    for row in _rows(conn, files, "DocType"):
        if not row.get("custom") or files.has(row["name"]):
            continue
        raw = doctype_props(row)
        raw["fields"] = fields_by_parent.get(row["name"], [])
        raw["permissions"] = perms_by_parent.get(row["name"], [])
        out.doctypes[row["name"]] = raw
    for row in _rows(conn, files, "Custom Field"):
        out.custom_fields.setdefault(row["dt"], []).append(custom_field_props(row))
    for row in _rows(conn, files, "Property Setter"):
        out.property_setters.setdefault(row["doc_type"], []).append(row)
    for row in _rows(conn, files, "Custom DocPerm"):
        out.docperms.setdefault(row["parent"], []).append(perm_props(row))
    return out


def cast_property(value: Any, property_type: str | None) -> Any:
    if value is None:
        return None
    kind = (property_type or "Data").strip()
    if kind in ("Check", "Int"):
        return int(float(value)) if str(value).strip() else 0
    if kind in ("Float", "Currency", "Percent"):
        return float(value)
    if kind == "JSON":
        return json.loads(value) if isinstance(value, str) else value
    return value


def _insert_custom_fields(raw: dict[str, Any], custom_fields: list[dict[str, Any]]) -> None:
    fields: list[dict[str, Any]] = raw.setdefault("fields", [])
    existing = {f.get("fieldname") for f in fields}
    pending = [dict(f) for f in custom_fields if f.get("fieldname") not in existing]
    # Several passes so a custom field may be inserted after another custom field.
    for _ in range(len(pending) + 1):
        still: list[dict[str, Any]] = []
        for cf in pending:
            anchor = cf.pop("insert_after", None)
            positions = [i for i, f in enumerate(fields) if f.get("fieldname") == anchor]
            if anchor and not positions and any(p.get("fieldname") == anchor for p in pending):
                cf["insert_after"] = anchor
                still.append(cf)
                continue
            index = positions[0] + 1 if positions else len(fields)
            fields.insert(index, cf)
        if not still:
            return
        pending = still
    fields.extend(pending)


def apply_customisations(raw: dict[str, Any], custom: CustomisationRows, doctype: str) -> None:
    _insert_custom_fields(raw, custom.custom_fields.get(doctype, []))
    by_name = {f.get("fieldname"): f for f in raw.get("fields", [])}
    field_order: list[str] | None = None
    for ps in custom.property_setters.get(doctype, []):
        value = cast_property(ps.get("value"), ps.get("property_type"))
        prop = ps.get("property")
        if ps.get("doctype_or_field") == "DocField":
            target = by_name.get(ps.get("field_name"))
            if target is not None and prop:
                target[prop] = value
        elif ps.get("doctype_or_field") == "DocType" and prop:
            if prop == "field_order":
                field_order = value if isinstance(value, list) else json.loads(value)
            else:
                raw[prop] = value
    if field_order:
        rank = {name: i for i, name in enumerate(field_order)}
        raw["fields"].sort(key=lambda f: rank.get(f.get("fieldname"), len(rank)))
