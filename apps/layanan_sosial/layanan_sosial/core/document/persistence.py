"""SQL for documents: load, insert, update, delete parent and child rows; Single DocTypes."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from ..db import fastpath
from ..db.internal import singles_table
from ..db.tables import cached_statement, table_for
from ..fieldtypes import from_db, to_db

if TYPE_CHECKING:
    from ..context import Context
    from ..meta.model import Meta
    from .document import Document


def _decode(meta: Meta, row: dict[str, Any]) -> dict[str, Any]:
    for df in meta.data_fields:
        if df.fieldtype in ("JSON", "Time") and row.get(df.fieldname) is not None:
            row[df.fieldname] = from_db(df.fieldtype, row[df.fieldname])
    return row


def row_values(meta: Meta, doc: Document) -> dict[str, Any]:
    """Column → DB value for one document (its own columns only)."""
    out: dict[str, Any] = {}
    data = doc._data
    for column, fieldtype in meta.column_types:
        value = data.get(column)
        out[column] = to_db(fieldtype, value) if fieldtype == "JSON" else value
    for column in meta.unique_columns:  # "" is "no value": must not collide in the index
        if out.get(column) == "":
            out[column] = None
    out["docstatus"] = int(out.get("docstatus") or 0)
    out["idx"] = int(out.get("idx") or 0)
    return out


def load_row(
    ctx: Context, meta: Meta, name: Any, *, for_update: bool = False
) -> dict[str, Any] | None:
    lock = for_update and ctx.site.is_mariadb

    def build() -> sa.Select[Any]:
        table = table_for(meta)
        stmt = sa.select(table).where(table.c.name == sa.bindparam("name"))
        return stmt.with_for_update() if lock else stmt

    stmt = cached_statement(meta, ("load_row", lock), build)
    row = ctx.conn.execute(stmt, {"name": name}).mappings().first()
    return _decode(meta, dict(row)) if row is not None else None


def row_exists(ctx: Context, doctype: str, name: Any) -> bool:
    meta = ctx.get_meta(doctype)
    if meta.issingle:
        return True
    table = table_for(meta)
    return ctx.conn.execute(sa.select(table.c.name).where(table.c.name == name)).first() is not None


def load_children(ctx: Context, meta: Meta, parent_name: Any) -> dict[str, list[dict[str, Any]]]:
    """Child rows of one parent, grouped by table field, ordered by idx (one query per child DocType)."""
    grouped: dict[str, list[dict[str, Any]]] = {}
    by_child_doctype: dict[str, list[str]] = {}
    for df in meta.table_fields:
        by_child_doctype.setdefault(df.options, []).append(df.fieldname)
    for child_doctype, fieldnames in by_child_doctype.items():
        child_meta = ctx.get_meta(child_doctype)

        def build(child_meta: Meta = child_meta, fieldnames: list[str] = fieldnames) -> Any:
            table = table_for(child_meta)
            return (
                sa.select(table)
                .where(table.c.parent == sa.bindparam("parent"), table.c.parenttype == meta.name)
                .where(table.c.parentfield.in_(fieldnames))
                .order_by(table.c.idx)
            )

        stmt = cached_statement(meta, ("children", child_doctype), build)
        for row in ctx.conn.execute(stmt, {"parent": str(parent_name)}).mappings():
            grouped.setdefault(row["parentfield"], []).append(_decode(child_meta, dict(row)))
    return grouped


def insert_rows(ctx: Context, doc: Document) -> None:
    write_rows(ctx, doc.meta, [row_values(doc.meta, doc)])
    _insert_children(ctx, doc)


def write_rows(ctx: Context, meta: Meta, rows: list[dict[str, Any]]) -> None:
    """INSERT rows produced by `row_values` (the document hot path, see db/fastpath.py)."""
    ctx.note_write()
    columns = meta.column_names_tuple
    fastpath.insert_rows(ctx.conn, meta.table_name, columns, [tuple(r.values()) for r in rows])


def _insert_children(ctx: Context, doc: Document) -> None:
    batches: dict[str, list[dict[str, Any]]] = {}
    for _fieldname, row in doc.all_children():
        batches.setdefault(row.doctype, []).append(row_values(row.meta, row))
    for child_doctype, rows in batches.items():
        write_rows(ctx, ctx.get_meta(child_doctype), rows)


def update_rows(ctx: Context, doc: Document) -> None:
    """Update the parent row and replace its child rows with the document's list."""
    meta = doc.meta
    table = table_for(meta)
    values = row_values(meta, doc)
    values.pop("name")
    ctx.note_write()
    ctx.conn.execute(table.update().where(table.c.name == doc.name).values(**values))
    delete_children(ctx, meta, doc.name)
    _insert_children(ctx, doc)


def delete_children(ctx: Context, meta: Meta, parent_name: Any) -> None:
    for child_doctype in {df.options for df in meta.table_fields}:
        table = table_for(ctx.get_meta(child_doctype))
        ctx.conn.execute(
            table.delete().where(
                table.c.parent == str(parent_name), table.c.parenttype == meta.name
            )
        )


def delete_rows(ctx: Context, meta: Meta, name: Any) -> None:
    ctx.note_write()
    delete_children(ctx, meta, name)
    table = table_for(meta)
    ctx.conn.execute(table.delete().where(table.c.name == name))


def update_columns(ctx: Context, meta: Meta, name: Any, values: dict[str, Any]) -> None:
    ctx.note_write()
    if meta.issingle:
        for key, value in values.items():
            _write_single_value(ctx, meta.name, key, value, meta.fieldtype_of(key) or "Data")
        return
    table = table_for(meta)
    converted = {k: to_db(meta.fieldtype_of(k) or "Data", v) for k, v in values.items()}
    ctx.conn.execute(table.update().where(table.c.name == name).values(**converted))


# -- Single DocTypes: values in tabSingles(doctype, field, value) -----------------------------


def load_single(ctx: Context, meta: Meta) -> dict[str, Any]:
    from ..fieldtypes import coerce

    rows = ctx.conn.execute(
        sa.select(singles_table.c.field, singles_table.c.value).where(
            singles_table.c.doctype == meta.name
        )
    ).all()
    out: dict[str, Any] = {"name": meta.name, "docstatus": 0, "idx": 0}
    for field, value in rows:
        fieldtype = meta.fieldtype_of(field)
        if fieldtype is None:
            continue
        if fieldtype == "JSON":
            out[field] = json.loads(value) if value else None
        elif value is None:
            out[field] = None
        else:
            out[field] = coerce(fieldtype, value, label=field)
    return out


def _write_single_value(ctx: Context, doctype: str, field: str, value: Any, fieldtype: str) -> None:
    from ..fieldtypes import to_json_value

    ctx.conn.execute(
        singles_table.delete().where(
            singles_table.c.doctype == doctype, singles_table.c.field == field
        )
    )
    if value is None:
        return
    if fieldtype == "JSON":
        text = json.dumps(value, default=str)
    else:
        text = str(to_json_value(value))
    ctx.conn.execute(singles_table.insert().values(doctype=doctype, field=field, value=text))


def save_single(ctx: Context, doc: Document) -> None:
    ctx.note_write()
    meta = doc.meta
    for column in ("modified", "modified_by", "creation", "owner"):
        _write_single_value(
            ctx, meta.name, column, doc._data.get(column), meta.fieldtype_of(column) or "Data"
        )
    for df in meta.data_fields:
        _write_single_value(ctx, meta.name, df.fieldname, doc._data.get(df.fieldname), df.fieldtype)
    delete_children(ctx, meta, meta.name)
    _insert_children(ctx, doc)
