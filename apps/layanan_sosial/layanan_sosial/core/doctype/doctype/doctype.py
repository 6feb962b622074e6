"""DocType records: admin-created (custom) DocTypes are defined and changed here.

Standard DocTypes come from the apps' JSON files; their tabDocType rows exist only so Links
to "DocType" work, and are changed through Customize Form (Property Setter / Custom Field),
never through this document. A custom DocType is validated like a file (every error names
the field and the problem), then its table is created or altered at once.
"""

from __future__ import annotations

import logging
from typing import Any

import sqlalchemy as sa

from layanan_sosial.core.db.internal import internal_metadata, singles_table
from layanan_sosial.core.db.schema import plan_sync
from layanan_sosial.core.db.tables import table_for
from layanan_sosial.core.document import Document
from layanan_sosial.core.document.persistence import row_values
from layanan_sosial.core.exceptions import LinkExistsError, MetaError, ValidationError
from layanan_sosial.core.meta import change
from layanan_sosial.core.meta.customize import (
    CustomisationRows,
    doctype_props,
    field_props,
    perm_props,
)
from layanan_sosial.core.meta.validate import validate_doctype_dict

log = logging.getLogger(__name__)

DEFAULT_MODULE = "Custom"
# naming_rule (the desk's label) → autoname, for the rules that need no argument.
NAMING_RULES = {
    "Set by user": "prompt",
    "Autoincrement": "autoincrement",
    "Random": "hash",
    'By "Naming Series" field': "naming_series:",
}
# Switches that decide what the table looks like; changing them with documents stored
# would strand those documents.
_SHAPE_FLAGS = ("istable", "issingle", "is_virtual")
_INTERNAL_TABLES = frozenset(name.lower() for name in internal_metadata.tables)


def naming_rule_for(autoname: str) -> str:
    """The desk label of an autoname rule (frappe_compat §1.1 naming_rule)."""
    rule = (autoname or "").strip().lower()
    if rule.startswith("field:"):
        return "By fieldname"
    if rule.startswith("format:"):
        return "Expression"
    if "#" in rule and not rule.startswith("naming_series:"):
        return "Expression (old style)"
    reverse = {v: k for k, v in NAMING_RULES.items()}
    return reverse.get(rule, "")


class DocType(Document):
    # -- definition -----------------------------------------------------------------------
    def definition(self) -> dict[str, Any]:
        """The DocType JSON shape of this document (what the meta loader would read)."""
        raw = doctype_props(row_values(self.meta, self))
        raw["fields"] = [field_props(row_values(r.meta, r)) for r in self.get_children("fields")]
        raw["permissions"] = [
            perm_props(row_values(r.meta, r)) for r in self.get_children("permissions")
        ]
        return raw

    # -- hooks ----------------------------------------------------------------------------
    def before_insert(self) -> None:
        # New DocType records are always custom: standard ones come from files.
        self.custom = 1
        # Before naming and the stamping of child rows, so a default DocPerm row is stored.
        self._fill_defaults()

    def validate(self) -> None:
        ctx = self.ctx
        if self._is_standard():
            raise ValidationError(
                f"DocType standar {self.name} tidak dapat diubah di sini; gunakan Customize "
                "Form (Property Setter / Custom Field)",
                field="name",
            )
        if not self.get("custom"):
            raise ValidationError("DocType yang dibuat di sini harus custom", field="custom")
        if self.is_new():
            self._check_new_name()
        else:
            self._check_shape_kept()
        self._fill_defaults()
        definition = self.definition()
        self._validate_definition(definition)
        merged = change.preview(ctx, self.name, self._with_this, field="fields")
        plan_sync(ctx.conn, merged)  # refuses before anything is written
        self._undo = change.snapshot(ctx, self.doctype, self.name)

    def on_update(self) -> None:
        reports = change.apply_schema(self.ctx, [self.name], getattr(self, "_undo", None))
        self.flags.schema_report = reports[0]
        if reports[0].orphans:
            log.info("DocType %s: columns kept with their data: %s", self.name, reports[0].orphans)

    def on_trash(self) -> None:
        """Refuse while other DocTypes use this one or documents exist (unless
        `flags.keep_data`); Custom Fields and Property Setters aimed at it go with it."""
        ctx = self.ctx
        if self._is_standard() or not self.get("custom"):
            raise ValidationError(
                f"DocType standar {self.name} tidak dapat dihapus; ia berasal dari berkas aplikasi",
                field="name",
            )
        self._check_not_used_elsewhere()
        count = self._document_count()
        if count and not self.flags.keep_data:
            raise ValidationError(
                f"DocType {self.name} masih memiliki {count} dokumen; hapus dokumennya dulu "
                "atau hapus dengan keep_data agar tabel dan datanya disimpan",
                field="name",
            )
        undo = change.snapshot(ctx, self.doctype, self.name)
        for doctype, column in (("Custom Field", "dt"), ("Property Setter", "doc_type")):
            table = table_for(ctx.get_meta(doctype))
            where = table.c[column] == self.name
            if undo is not None:
                undo.keep(ctx.conn, table, where)
            ctx.conn.execute(table.delete().where(where))
            ctx.note_write()
        self._undo = undo
        self.flags.kept_table = bool(count)

    def after_delete(self) -> None:
        """Drop the table only when it is empty; a table with rows is kept and reported."""
        ctx = self.ctx
        ctx.meta_changed()
        if self.flags.kept_table:
            log.warning(
                "site %s: DocType %s deleted; table tab%s and its rows are kept",
                ctx.site.name,
                self.name,
                self.name,
            )
            return
        if self.get("issingle") or self.get("is_virtual"):
            return
        table_name = "tab" + self.name

        def ddl() -> None:
            if sa.inspect(ctx.conn).has_table(table_name):
                sa.Table(table_name, sa.MetaData()).drop(ctx.conn)

        change.run_ddl(ctx, ddl, getattr(self, "_undo", None))

    # -- checks ---------------------------------------------------------------------------
    def _is_standard(self) -> bool:
        return self.ctx.site.meta_cache.files.has(self.name or "")

    def _check_new_name(self) -> None:
        name = str(self.name or "")
        lowered = name.lower()
        files = self.ctx.site.meta_cache.files
        clash = next((n for n in files.names() if n.lower() == lowered), None)
        if clash:
            raise ValidationError(
                f"Nama {name} sudah dipakai DocType standar {clash}", field="name"
            )
        clash = next((n for n in self.ctx.all_doctypes() if n.lower() == lowered), None)
        if clash:
            raise ValidationError(f"DocType {clash} sudah ada", field="name")
        if ("tab" + lowered) in _INTERNAL_TABLES:
            raise ValidationError(f"Nama {name} dipakai tabel internal", field="name")

    def _check_shape_kept(self) -> None:
        stored_autoname = (self.get_db_value("autoname") or "").strip().lower()
        autoname = (self.get("autoname") or "").strip().lower()
        if "autoincrement" in (stored_autoname, autoname) and stored_autoname != autoname:
            raise ValidationError(
                "Penamaan autoincrement tidak dapat diubah setelah DocType dibuat "
                "(tipe kolom name berbeda)",
                field="autoname",
            )
        for flag in _SHAPE_FLAGS:
            if bool(self.get(flag)) != bool(self.get_db_value(flag)) and self._document_count():
                raise ValidationError(
                    f"{flag} tidak dapat diubah karena DocType {self.name} sudah memiliki dokumen",
                    field=flag,
                )

    def _fill_defaults(self) -> None:
        if not self.get("module"):
            self.module = DEFAULT_MODULE
        if not self.get("autoname") and self.get("naming_rule") in NAMING_RULES:
            self.autoname = NAMING_RULES[self.naming_rule]
        elif self.get("autoname") and not self.get("naming_rule"):
            self.naming_rule = naming_rule_for(self.autoname) or None
        if not self.get_children("permissions"):
            # Usable at once by administrators; roles are added like any DocPerm row.
            self.append(
                "permissions",
                {
                    "role": "System Manager",
                    **dict.fromkeys(
                        ("read", "write", "create", "delete", "report", "export", "import"), 1
                    ),
                    **dict.fromkeys(("share", "print", "email"), 1),
                    **(
                        {"submit": 1, "cancel": 1, "amend": 1} if self.get("is_submittable") else {}
                    ),
                },
            )

    def _validate_definition(self, definition: dict[str, Any]) -> None:
        """Field-level errors: the file rules of validate.py, then cross-DocType ones."""
        try:
            validate_doctype_dict(definition, source=f"DocType {self.name}")
        except MetaError as exc:
            error = change.to_validation_error(exc, field="fields" if exc.field else None)
            row = _row_of(definition, exc.field)
            if row is not None:
                error.errors = [
                    {"field": "fields", "row": row, "fieldname": exc.field, "message": exc.message}
                ]
            raise error from exc
        fieldnames = [f.get("fieldname") for f in definition["fields"]]
        for props in definition["fields"]:
            change.check_field_targets(
                self.ctx,
                props,
                self.name,
                field="fields",
                siblings=fieldnames,
                owner_istable=bool(self.get("istable")),
            )

    def _with_this(self, rows: CustomisationRows) -> None:
        rows.doctypes[self.name] = self.definition()

    def _check_not_used_elsewhere(self) -> None:
        ctx = self.ctx
        for other in ctx.all_doctypes():
            if other == self.name:
                continue
            meta = ctx.get_meta(other)
            for df in meta.fields:
                if df.options == self.name and (df.is_table or df.fieldtype == "Link"):
                    raise LinkExistsError(
                        f"DocType {self.name} masih dipakai oleh {other}.{df.fieldname} "
                        f"({df.fieldtype}); ubah field itu dulu"
                    )

    def _document_count(self) -> int:
        ctx = self.ctx
        stored_single = self.get("issingle") if self.is_new() else self.get_db_value("issingle")
        if stored_single:
            return int(
                ctx.conn.execute(
                    sa.select(sa.func.count())
                    .select_from(singles_table)
                    .where(singles_table.c.doctype == self.name)
                ).scalar_one()
            )
        table_name = "tab" + self.name
        if not sa.inspect(ctx.conn).has_table(table_name):
            return 0
        return int(
            ctx.conn.execute(
                sa.select(sa.func.count()).select_from(sa.table(table_name))
            ).scalar_one()
        )


def _row_of(definition: dict[str, Any], fieldname: str | None) -> int | None:
    """Row number of the offending field (the later one when a fieldname is used twice)."""
    found = None
    for position, props in enumerate(definition.get("fields") or [], start=1):
        if fieldname and props.get("fieldname") == fieldname:
            found = position
    return found
