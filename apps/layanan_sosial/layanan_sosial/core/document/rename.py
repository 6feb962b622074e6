"""Rename a document and every reference to it (Links, Dynamic Links, child rows, tree
parents, versions, shares, user permissions, secrets) in one transaction."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..db.internal import auth_table
from ..db.tables import table_for
from ..exceptions import DuplicateEntryError, ValidationError

if TYPE_CHECKING:
    from ..context import Context


def _update(ctx: Context, doctype: str, column: str, old: Any, new: Any, extra: Any = None) -> None:
    meta = ctx.get_meta(doctype)
    if meta.issingle or meta.is_virtual or column not in meta.valid_columns():
        return
    table = table_for(meta)
    stmt = table.update().where(table.c[column] == str(old))
    if extra is not None:
        stmt = stmt.where(extra(table))
    ctx.conn.execute(stmt.values({column: new}))


def rename_doc(
    ctx: Context,
    doctype: str,
    old: Any,
    new: Any,
    *,
    merge: bool = False,
    ignore_allow_rename: bool = False,
) -> Any:
    """Rename `old` to `new`, or with `merge` fold `old` into the existing `new` (its child
    rows, versions and every reference move over; `old` disappears). `ignore_allow_rename`
    is for app code that merges records of a DocType users may not rename (e.g. duplicate
    recipients); the caller's write permission is still checked."""
    meta = ctx.get_meta(doctype)
    new = str(new).strip()
    if meta.issingle or meta.istable:
        raise ValidationError(f"{doctype} tidak dapat diganti nama")
    if not meta.flag("allow_rename") and not ignore_allow_rename:
        raise ValidationError(f"{doctype} tidak mengizinkan ganti nama (allow_rename)")
    if not new or "<" in new or ">" in new:
        raise ValidationError("Nama baru tidak valid", field="name")
    doc = ctx.get_doc(doctype, old, for_update=True)
    ctx.check_permission(doctype, "write", doc)
    exists = ctx.exists(doctype, new)
    if exists and not merge:
        raise DuplicateEntryError(f"{doctype} {new} sudah ada")
    ctx.note_write()
    table = table_for(meta)
    if exists:
        ctx.conn.execute(table.delete().where(table.c.name == str(old)))
    else:
        ctx.conn.execute(table.update().where(table.c.name == str(old)).values(name=new))
    for child in {df.options for df in meta.table_fields}:
        _update(ctx, child, "parent", old, new, lambda t: t.c.parenttype == doctype)
    for source in ctx.site.meta_cache.link_sources(ctx.conn, ctx.meta_version, doctype):
        _update(ctx, source.doctype, source.fieldname, old, new)
    for name in ctx.all_doctypes():
        other = ctx.get_meta(name)
        for df in other.fields:
            if df.fieldtype == "Dynamic Link" and other.has_field(df.options):
                _update(
                    ctx, name, df.fieldname, old, new, lambda t, f=df.options: t.c[f] == doctype
                )
    _update(ctx, "Version", "docname", old, new, lambda t: t.c.ref_doctype == doctype)
    ctx.conn.execute(
        auth_table.update()
        .where(auth_table.c.doctype == doctype, auth_table.c.name == str(old))
        .values(name=new)
    )
    if meta.is_tree:
        from .tree import rebuild_tree

        rebuild_tree(ctx, doctype)
    return new
