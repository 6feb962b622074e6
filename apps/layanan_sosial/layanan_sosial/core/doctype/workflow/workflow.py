"""Workflow controller: a definition is checked before it governs anything; saving it
takes effect in every process at once."""

from __future__ import annotations

from layanan_sosial.core.document import Document
from layanan_sosial.core.exceptions import ValidationError


class Workflow(Document):
    def validate(self) -> None:
        doctype = self.get("document_type")
        if not self.ctx.doctype_exists(doctype):
            raise ValidationError(f"DocType {doctype} tidak ada", field="document_type")
        states = {row.state: int(row.get("doc_status") or 0) for row in self.get_children("states")}
        if not states:
            raise ValidationError("Alur kerja membutuhkan minimal satu status", field="states")
        for row in self.get_children("transitions"):
            for key in ("state", "next_state"):
                if row.get(key) not in states:
                    raise ValidationError(
                        f"Transisi baris {row.idx}: status {row.get(key)} tidak ada di daftar status",
                        field="transitions",
                    )
            before, after = states[row.state], states[row.next_state]
            if before == 2:
                raise ValidationError(
                    f"Transisi baris {row.idx}: tidak boleh keluar dari status yang dibatalkan",
                    field="transitions",
                )
            if (before, after) in ((1, 0), (0, 2)):
                raise ValidationError(
                    f"Transisi baris {row.idx}: docstatus {before} → {after} tidak diizinkan",
                    field="transitions",
                )
            if not row.get("allowed") and not (row.get("allowed_roles") or "").strip():
                raise ValidationError(
                    f"Transisi baris {row.idx}: isi peran yang diizinkan", field="transitions"
                )

    def on_update(self) -> None:
        if self.get("is_active"):
            self._deactivate_others()
            self._ensure_state_field()
            self._backfill_states()
        self.ctx.meta_changed()  # every process reloads workflows on its next request

    def on_trash(self) -> None:
        self.ctx.meta_changed()

    def _deactivate_others(self) -> None:
        with self.ctx.ignore_permissions():
            for name in self.ctx.get_all(
                "Workflow",
                pluck="name",
                filters={
                    "document_type": self.document_type,
                    "is_active": 1,
                    "name": ["!=", self.name],
                },
            ):
                self.ctx.get_doc("Workflow", name).db_set("is_active", 0)

    def _ensure_state_field(self) -> None:
        field = self.get("workflow_state_field") or "workflow_state"
        if self.ctx.get_meta(self.document_type).has_field(field):
            return
        from layanan_sosial.core.customize import add_custom_field

        add_custom_field(
            self.ctx,
            self.document_type,
            {
                "fieldname": field,
                "label": "Workflow State",
                "fieldtype": "Link",
                "options": "Workflow State",
                "hidden": 1,
                "allow_on_submit": 1,
                "no_copy": 1,
                "in_standard_filter": 1,
            },
        )

    def _backfill_states(self) -> None:
        """Documents without a state get the first state matching their docstatus."""
        field = self.get("workflow_state_field") or "workflow_state"
        first: dict[int, str] = {}
        for row in self.get_children("states"):
            first.setdefault(int(row.get("doc_status") or 0), row.state)
        from layanan_sosial.core.db.tables import table_for

        table = table_for(self.ctx.get_meta(self.document_type))
        for docstatus, state in first.items():
            self.ctx.conn.execute(
                table.update()
                .where(
                    table.c.docstatus == docstatus,
                    (table.c[field].is_(None)) | (table.c[field] == ""),
                )
                .values({field: state})
            )
