"""Custom Field: a field added to a DocType at run time (frappe_compat §3).

Stored as a row, merged into meta after the DocType's own fields (`insert_after`), and its
column is added at once, so the field is usable in this request and in every other process
on its next one. Deleting it never drops a column that still holds data.
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from layanan_sosial.core.db.schema import (
    column_holds_data,
    drop_orphan_columns,
    plan_sync,
    sync_table,
)
from layanan_sosial.core.db.tables import table_for
from layanan_sosial.core.document import Document
from layanan_sosial.core.document.persistence import row_values
from layanan_sosial.core.exceptions import ValidationError
from layanan_sosial.core.meta import change
from layanan_sosial.core.meta.customize import CustomisationRows, custom_field_props
from layanan_sosial.core.meta.validate import RESERVED

if TYPE_CHECKING:
    from layanan_sosial.core.context import Context

log = logging.getLogger(__name__)

FIELDNAME_MAX = 64


def fieldname_from_label(label: str) -> str:
    """'Nomor KK' → 'custom_nomor_kk': `custom_` + label lower-cased, spaces → _, other
    characters dropped; a reserved name gets `1` appended (frappe_compat §3)."""
    base = re.sub(r"\s+", "_", (label or "").strip().lower())
    base = re.sub(r"[^a-z0-9_]", "", base).strip("_")
    if not base:
        return ""
    fieldname = ("custom_" + base)[:FIELDNAME_MAX]
    return fieldname + "1" if fieldname in RESERVED else fieldname


class CustomField(Document):
    # -- naming -------------------------------------------------------------------------
    def before_insert(self) -> None:
        self._set_fieldname()

    def autoname(self) -> None:
        self._set_fieldname()
        self.name = f"{self.get('dt')}-{self.get('fieldname')}"

    def _set_fieldname(self) -> None:
        if not self.get("fieldname") and self.get("label"):
            self.fieldname = fieldname_from_label(self.label)
        if not self.get("fieldname"):
            raise ValidationError("Isi label atau fieldname untuk Custom Field", field="label")

    # -- validation ---------------------------------------------------------------------
    def validate(self) -> None:
        ctx = self.ctx
        dt = self.get("dt")
        change.check_customisable(ctx, dt, field="dt")
        if not self.is_new():
            for key in ("dt", "fieldname"):
                if self.get(key) != self.get_db_value(key):
                    raise ValidationError(
                        f"{key} Custom Field tidak dapat diubah; hapus lalu buat yang baru",
                        field=key,
                    )
        meta = ctx.get_meta(dt)
        fieldname = self.fieldname
        if self.is_new() and meta.has_field(fieldname):
            raise ValidationError(f"{dt} sudah memiliki field {fieldname}", field="fieldname")
        insert_after = self.get("insert_after")
        if insert_after and insert_after != fieldname and not meta.has_field(insert_after):
            raise ValidationError(
                f"insert_after: {dt} tidak memiliki field {insert_after}", field="insert_after"
            )
        props = self.field_props()
        change.check_field_targets(
            ctx,
            props,
            dt,
            field="options",
            siblings=[f.fieldname for f in meta.fields],
            owner_istable=meta.istable,
        )
        merged = change.preview(ctx, dt, self._with_this_field, field="fieldname")
        if not merged.issingle:
            plan_sync(ctx.conn, merged)  # refuses before anything is written
        self._undo = change.snapshot(ctx, self.doctype, self.name)

    def field_props(self) -> dict[str, Any]:
        """The DocField properties this row merges into meta."""
        return custom_field_props(row_values(self.meta, self))

    def _with_this_field(self, rows: CustomisationRows) -> None:
        old = self.get_db_value("fieldname") or self.fieldname
        others = [f for f in rows.custom_fields.get(self.dt, []) if f.get("fieldname") != old]
        rows.custom_fields[self.dt] = [*others, self.field_props()]

    def _without_this_field(self, rows: CustomisationRows) -> None:
        rows.custom_fields[self.dt] = [
            f for f in rows.custom_fields.get(self.dt, []) if f.get("fieldname") != self.fieldname
        ]
        rows.property_setters[self.dt] = [
            ps
            for ps in rows.property_setters.get(self.dt, [])
            if ps.get("field_name") != self.fieldname
        ]

    # -- effects ------------------------------------------------------------------------
    def on_update(self) -> None:
        reports = change.apply_schema(self.ctx, [self.dt], self._undo_data())
        self.flags.schema_report = reports[0]

    def on_trash(self) -> None:
        """Refuse when the DocType still needs the field (autoname, title_field, ...); remove
        the field's Property Setters with it."""
        ctx = self.ctx
        change.preview(ctx, self.dt, self._without_this_field, field="fieldname")
        undo = change.snapshot(ctx, self.doctype, self.name)
        ps_table = table_for(ctx.get_meta("Property Setter"))
        where = (ps_table.c.doc_type == self.dt) & (ps_table.c.field_name == self.fieldname)
        if undo is not None:
            undo.keep(ctx.conn, ps_table, where)
        ctx.conn.execute(ps_table.delete().where(where))
        ctx.note_write()
        self._undo = undo

    def after_delete(self) -> None:
        ctx = self.ctx
        ctx.meta_changed()
        meta = ctx.get_meta(self.dt)
        if meta.issingle or meta.is_virtual:
            return
        table = meta.table_name
        fieldname = self.fieldname

        def ddl() -> bool:
            sync_table(ctx.conn, meta)  # drops the field's own index first
            if fieldname not in meta.valid_columns() and _has_column(ctx, table, fieldname):
                if column_holds_data(
                    ctx.conn, table, fieldname, zero_is_empty=self.get("fieldtype") == "Check"
                ):
                    return True
                drop_orphan_columns(ctx.conn, meta, [fieldname])
            return False

        kept = change.run_ddl(ctx, ddl, self._undo_data())
        self.flags.kept_column = kept
        if kept:
            log.warning(
                "site %s: Custom Field %s deleted; column %s.%s still holds data and is kept",
                ctx.site.name,
                self.name,
                table,
                fieldname,
            )

    def _undo_data(self) -> change.Undo | None:
        return getattr(self, "_undo", None)


def _has_column(ctx: Context, table: str, column: str) -> bool:
    return any(c["name"] == column for c in sa.inspect(ctx.conn).get_columns(table))
