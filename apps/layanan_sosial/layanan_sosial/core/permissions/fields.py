"""Field levels (permlevel): hidden on read, unwritable on write — never leaked.

Child-table fields use the permissions of the parent DocType, as in Frappe; a Table
field at a level the user cannot read hides the whole table.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..meta.model import CHILD_COLUMNS, PARENT_EXTRA_COLUMNS, STANDARD_COLUMNS
from .rights import role_rights

if TYPE_CHECKING:
    from ..context import Context
    from ..document.document import Document
    from ..meta.model import Meta

_ALWAYS = frozenset(STANDARD_COLUMNS + CHILD_COLUMNS + PARENT_EXTRA_COLUMNS + ("doctype", "_seen"))


def readable_fieldnames(ctx: Context, meta: Meta, rights_doctype: str | None = None) -> set[str]:
    """Fields (incl. Table fields and standard columns) the user may read on `meta`."""
    owner = rights_doctype or meta.name
    levels = role_rights(ctx, owner).read_levels or _shared_levels(ctx, owner, "read")
    return set(_ALWAYS) | {f.fieldname for f in meta.fields if f.permlevel in levels}


def _shared_levels(ctx: Context, doctype: str, right: str) -> frozenset[int]:
    """Documents shared with a user open their level-0 fields to them (as in Frappe)."""
    from .shares import has_shares

    return frozenset({0}) if has_shares(ctx, doctype, right) else frozenset()


def strip_unreadable(
    ctx: Context, meta: Meta, data: dict[str, Any], rights_doctype: str | None = None
) -> dict[str, Any]:
    """A copy of a document dict without fields at levels the user may not read."""
    if not ctx.enforce_permissions:
        return data
    owner = rights_doctype or meta.name
    allowed = readable_fieldnames(ctx, meta, owner)
    out: dict[str, Any] = {}
    for key, value in data.items():
        if key not in allowed:
            continue
        df = meta.get_field(key)
        if df is not None and df.is_table and isinstance(value, list):
            child_meta = ctx.get_meta(df.options)
            value = [strip_unreadable(ctx, child_meta, row, owner) for row in value]
        out[key] = value
    return out


def reset_unwritable(doc: Document, stored: Document | None) -> None:
    """Put back stored values (or defaults for new documents) of fields the user may not
    write — silently, as Frappe does, so a client echoing a whole document still works."""
    ctx = doc.ctx
    if not ctx.enforce_permissions:
        return
    levels = role_rights(ctx, doc.doctype).write_levels or _shared_levels(ctx, doc.doctype, "write")
    _reset(doc, stored, levels)


def _reset(doc: Document, stored: Document | None, levels: frozenset[int]) -> None:
    from ..document.validation import default_value

    for df in doc.meta.fields:
        if df.permlevel in levels or not (df.has_column or df.is_table):
            continue
        if df.is_table:
            doc.set(
                df.fieldname,
                [r.as_dict() for r in stored.get_children(df.fieldname)] if stored else [],
            )
            continue
        doc._data[df.fieldname] = (
            stored.get(df.fieldname) if stored is not None else default_value(ctx_of(doc), df)
        )
    for fieldname, row in doc.all_children():
        old = None
        if stored is not None:
            old = next((r for r in stored.get_children(fieldname) if r.name == row.name), None)
        _reset(row, old, levels)


def ctx_of(doc: Document) -> Context:
    return doc.ctx
