"""Custom DocPerm: run-time role permissions that replace a DocType's own rows."""

from __future__ import annotations

from layanan_sosial.core.document import Document
from layanan_sosial.core.exceptions import ValidationError


class CustomDocPerm(Document):
    def validate(self) -> None:
        if not 0 <= int(self.get("permlevel") or 0) <= 9:
            raise ValidationError("Level harus 0–9", field="permlevel")
        if not self.ctx.doctype_exists(self.get("parent")):
            raise ValidationError(f"DocType {self.get('parent')} tidak ada", field="parent")

    def on_update(self) -> None:
        self.ctx.meta_changed()  # every process applies the new rows on its next request

    def on_trash(self) -> None:
        self.ctx.meta_changed()
