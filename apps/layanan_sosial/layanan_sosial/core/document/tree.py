"""Nested sets for tree DocTypes (`is_tree`): lft/rgt kept on insert, move and delete.

Bulk loads set `ctx.flags.skip_tree_update` and call `rebuild_tree` once at the end.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from ..db.tables import table_for
from ..exceptions import ValidationError

if TYPE_CHECKING:
    from ..context import Context
    from .document import Document


def _parent_of(doc: Document) -> Any:
    value = doc.get(doc.meta.nsm_parent_field)
    return value if value not in (None, "") else None


def on_insert(doc: Document) -> None:
    if doc.ctx.flags.skip_tree_update:
        return
    doc.ctx.note_write()
    table = table_for(doc.meta)
    conn = doc.ctx.conn
    parent = _parent_of(doc)
    if parent is None:
        right = conn.execute(sa.select(sa.func.max(table.c.rgt))).scalar() or 0
        doc.set("lft", right + 1)
        doc.set("rgt", right + 2)
        return
    stmt = sa.select(table.c.rgt).where(table.c.name == parent)
    if doc.ctx.site.is_mariadb:
        stmt = stmt.with_for_update()
    parent_rgt = conn.execute(stmt).scalar()
    if parent_rgt is None:
        raise ValidationError(
            f"{doc.meta.name}: induk {parent} tidak ditemukan", field=doc.meta.nsm_parent_field
        )
    conn.execute(table.update().where(table.c.rgt >= parent_rgt).values(rgt=table.c.rgt + 2))
    conn.execute(table.update().where(table.c.lft > parent_rgt).values(lft=table.c.lft + 2))
    doc.set("lft", parent_rgt)
    doc.set("rgt", parent_rgt + 1)


def after_update(doc: Document, old_parent: Any) -> None:
    """A moved node: rebuild the whole tree (moves are rare; correctness first)."""
    if _parent_of(doc) != old_parent and not doc.ctx.flags.skip_tree_update:
        _check_not_own_descendant(doc)
        rebuild_tree(doc.ctx, doc.doctype)


def _check_not_own_descendant(doc: Document) -> None:
    parent = _parent_of(doc)
    if parent is None:
        return
    table = table_for(doc.meta)
    row = doc.ctx.conn.execute(
        sa.select(table.c.lft, table.c.rgt).where(table.c.name == parent)
    ).first()
    lft, rgt = doc.get_db_value("lft"), doc.get_db_value("rgt")
    if row is not None and lft is not None and lft <= row[0] and row[1] <= rgt:
        raise ValidationError(
            f"{doc.meta.name}: {parent} tidak bisa menjadi induk dari {doc.name} (turunannya sendiri)",
            field=doc.meta.nsm_parent_field,
        )


def before_delete(doc: Document) -> None:
    table = table_for(doc.meta)
    parent_col = table.c[doc.meta.nsm_parent_field]
    child = doc.ctx.conn.execute(
        sa.select(table.c.name).where(parent_col == doc.name).limit(1)
    ).first()
    if child is not None:
        raise ValidationError(f"{doc.meta.name} {doc.name} masih memiliki turunan ({child[0]})")


def after_delete(doc: Document) -> None:
    if doc.ctx.flags.skip_tree_update:
        return
    table = table_for(doc.meta)
    rgt = doc.get_db_value("rgt")
    if rgt is None:
        return
    doc.ctx.note_write()
    conn = doc.ctx.conn
    conn.execute(table.update().where(table.c.rgt > rgt).values(rgt=table.c.rgt - 2))
    conn.execute(table.update().where(table.c.lft > rgt).values(lft=table.c.lft - 2))


def rebuild_tree(ctx: Context, doctype: str) -> int:
    """Recompute lft/rgt for the whole tree from the parent links; returns the node count."""
    ctx.note_write()
    meta = ctx.get_meta(doctype)
    table = table_for(meta)
    parent_col = table.c[meta.nsm_parent_field]
    rows = ctx.conn.execute(sa.select(table.c.name, parent_col).order_by(table.c.name)).all()
    children: dict[Any, list[Any]] = {}
    names = {r[0] for r in rows}
    for name, parent in rows:
        key = parent if parent in names else None
        children.setdefault(key, []).append(name)
    updates: list[dict[str, Any]] = []
    counter = 0
    stack: list[tuple[Any, bool]] = [(n, False) for n in reversed(children.get(None, []))]
    left: dict[Any, int] = {}
    while stack:
        name, done = stack.pop()
        counter += 1
        if done:
            updates.append({"_name": name, "_lft": left[name], "_rgt": counter})
            continue
        left[name] = counter
        stack.append((name, True))
        stack.extend((c, False) for c in reversed(children.get(name, [])))
    stmt = (
        table.update()
        .where(table.c.name == sa.bindparam("_name"))
        .values(lft=sa.bindparam("_lft"), rgt=sa.bindparam("_rgt"))
    )
    for start in range(0, len(updates), 2000):
        ctx.conn.execute(stmt, updates[start : start + 2000])
    return len(updates)


def descendants_range(ctx: Context, doctype: str, name: Any) -> tuple[int, int] | None:
    table = table_for(ctx.get_meta(doctype))
    row = ctx.conn.execute(sa.select(table.c.lft, table.c.rgt).where(table.c.name == name)).first()
    return (int(row[0]), int(row[1])) if row is not None and row[0] is not None else None
