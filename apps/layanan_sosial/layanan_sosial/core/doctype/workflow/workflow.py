"""Workflow controller: a definition is checked before it governs anything (states,
docstatus moves, roles, update fields, conditions through the safe evaluator's parser);
saving it takes effect in every process at once (meta version bump)."""

from __future__ import annotations

import re

from layanan_sosial.core.document import Document
from layanan_sosial.core.exceptions import ValidationError
from layanan_sosial.core.expressions import ExpressionError
from layanan_sosial.core.workflow.conditions import check_condition
from layanan_sosial.core.workflow.model import parse_roles

# fields a state may not overwrite: identity, audit and the docstatus machinery
_PROTECTED = frozenset(
    {"name", "owner", "creation", "modified", "modified_by", "docstatus", "idx", "amended_from"}
)


class Workflow(Document):
    @property
    def state_field(self) -> str:
        return self.get("workflow_state_field") or "workflow_state"

    def validate(self) -> None:
        doctype = self.get("document_type")
        if not self.ctx.doctype_exists(doctype):
            raise ValidationError(f"DocType {doctype} tidak ada", field="document_type")
        if not re.fullmatch(r"[a-z_][a-z0-9_]*", self.state_field):
            raise ValidationError(
                f"Nama field status {self.state_field!r} tidak sah", field="workflow_state_field"
            )
        states = self._validate_states()
        self._validate_transitions(states)

    def _validate_states(self) -> dict[str, int]:
        meta = self.ctx.get_meta(self.document_type)
        states: dict[str, int] = {}
        for row in self.get_children("states"):
            if row.state in states:
                raise ValidationError(
                    f"Status baris {row.idx}: {row.state} sudah ada di baris lain", field="states"
                )
            states[row.state] = int(row.get("doc_status") or 0)
            if states[row.state] and not meta.is_submittable:
                raise ValidationError(
                    f"Status baris {row.idx}: {self.document_type} tidak dapat diajukan, "
                    "docstatus harus 0",
                    field="states",
                )
            self._check_roles(row.get("allow_edit_roles"), f"Status baris {row.idx}", "states")
            field = row.get("update_field")
            if field and (
                field in _PROTECTED or field == self.state_field or not meta.has_field(field)
            ):
                raise ValidationError(
                    f"Status baris {row.idx}: field {field} tidak ada di {self.document_type} "
                    "atau tidak boleh diubah alur kerja",
                    field="states",
                )
        if not states:
            raise ValidationError("Alur kerja membutuhkan minimal satu status", field="states")
        return states

    def _validate_transitions(self, states: dict[str, int]) -> None:
        for row in self.get_children("transitions"):
            where = f"Transisi baris {row.idx}"
            for key in ("state", "next_state"):
                if row.get(key) not in states:
                    raise ValidationError(
                        f"{where}: status {row.get(key)} tidak ada di daftar status",
                        field="transitions",
                    )
            before, after = states[row.state], states[row.next_state]
            if before == 2:
                raise ValidationError(
                    f"{where}: tidak boleh keluar dari status yang dibatalkan", field="transitions"
                )
            if (before, after) in ((1, 0), (0, 2)):
                raise ValidationError(
                    f"{where}: docstatus {before} → {after} tidak diizinkan", field="transitions"
                )
            if not row.get("allowed") and not parse_roles(row.get("allowed_roles")):
                raise ValidationError(f"{where}: isi peran yang diizinkan", field="transitions")
            self._check_roles(row.get("allowed_roles"), where, "transitions")
            if (row.get("condition") or "").strip():
                try:
                    check_condition(row.condition.strip())
                except ExpressionError as exc:
                    raise ValidationError(
                        f"{where}: syarat tidak sah — {exc}", field="transitions"
                    ) from exc

    def _check_roles(self, listed: str | None, where: str, field: str) -> None:
        """The extension lists are text (no nested tables), so check each role exists."""
        for role in parse_roles(listed):
            if not self.ctx.exists("Role", role):
                raise ValidationError(f"{where}: peran {role} tidak ada", field=field)

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
        """Frappe's rule: a DocType without the state field gets a hidden Custom Field."""
        if self.ctx.get_meta(self.document_type).has_field(self.state_field):
            return
        from layanan_sosial.core.customize import add_custom_field

        with self.ctx.ignore_permissions():
            add_custom_field(
                self.ctx,
                self.document_type,
                {
                    "fieldname": self.state_field,
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
        field = self.state_field
        first: dict[int, str] = {}
        for row in self.get_children("states"):
            first.setdefault(int(row.get("doc_status") or 0), row.state)
        from layanan_sosial.core.db.tables import table_for

        meta = self.ctx.get_meta(self.document_type)
        if meta.issingle or meta.is_virtual:
            return
        table = table_for(meta)
        for docstatus, state in first.items():
            self.ctx.conn.execute(
                table.update()
                .where(
                    table.c.docstatus == docstatus,
                    (table.c[field].is_(None)) | (table.c[field] == ""),
                )
                .values({field: state})
            )
