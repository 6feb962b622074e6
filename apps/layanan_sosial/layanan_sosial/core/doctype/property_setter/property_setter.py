"""Property Setter: one changed property of a DocType or of one of its fields (frappe_compat §3).

Only the properties Customize Form offers may be set, with its restrictions on standard
fields (`*` in §3). The value is stored as text and cast by `property_type`. Properties that
shape the table (length, fieldtype, unique, search_index) change the schema at once; a
change the stored data does not allow (e.g. a shorter length) is refused before anything
is written.
"""

from __future__ import annotations

import copy
import json
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from layanan_sosial.core.db.schema import plan_sync
from layanan_sosial.core.db.tables import table_for
from layanan_sosial.core.document import Document
from layanan_sosial.core.exceptions import ValidationError
from layanan_sosial.core.fieldtypes import ALL_FIELD_TYPES
from layanan_sosial.core.meta import change
from layanan_sosial.core.meta.customize import CustomisationRows, cast_property
from layanan_sosial.core.meta.implied import add_implied_fields

if TYPE_CHECKING:
    from layanan_sosial.core.meta.model import DocField, Meta

DOCTYPE_PROPERTIES = frozenset(
    {
        "actions",  # form buttons (Frappe's DocType Action rows), JSON; see core/desk/formview
        "search_fields",
        "title_field",
        "image_field",
        "sort_field",
        "sort_order",
        "default_print_format",
        "allow_copy",
        "istable",
        "quick_entry",
        "queue_in_background",
        "editable_grid",
        "max_attachments",
        "make_attachments_public",
        "track_changes",
        "track_views",
        "allow_auto_repeat",
        "allow_import",
        "show_preview_popup",
        "default_email_template",
        "email_append_to",
        "subject_field",
        "sender_field",
        "naming_rule",
        "autoname",
        "show_title_field_in_link",
        "is_calendar_and_gantt",
        "default_view",
        "force_re_route_to_default_view",
        "translated_doctype",
        "field_order",
    }
)
FIELD_PROPERTIES = frozenset(
    {
        "idx",
        "label",
        "fieldtype",
        "options",
        "sort_options",
        "fetch_from",
        "fetch_if_empty",
        "show_dashboard",
        "permlevel",
        "width",
        "print_width",
        "non_negative",
        "reqd",
        "unique",
        "ignore_user_permissions",
        "in_list_view",
        "in_standard_filter",
        "in_global_search",
        "in_preview",
        "bold",
        "no_copy",
        "ignore_xss_filter",
        "hidden",
        "collapsible",
        "collapsible_depends_on",
        "print_hide",
        "print_hide_if_no_value",
        "report_hide",
        "allow_on_submit",
        "translatable",
        "mandatory_depends_on",
        "read_only_depends_on",
        "depends_on",
        "description",
        "default",
        "precision",
        "read_only",
        "length",
        "columns",
        "remember_last_selected_value",
        "allow_bulk_edit",
        "auto_repeat",
        "allow_in_quick_entry",
        "hide_border",
        "hide_days",
        "hide_seconds",
        "is_virtual",
        "link_filters",
        "placeholder",
        "search_index",  # not in Customize Form's list, but only adds/drops an index
        "log_read",  # ours: audit every disclosure of the field (core.audit)
    }
)
# Properties that change the table, so the schema is synced when they change.
SCHEMA_FIELD_PROPERTIES = frozenset({"length", "fieldtype", "unique", "search_index", "is_virtual"})
SCHEMA_DOCTYPE_PROPERTIES = frozenset({"istable"})
# DocType-level switches that are not columns of tabDocType here but are flags in Frappe.
_EXTRA_CHECK_PROPERTIES = frozenset(
    {
        "queue_in_background",
        "make_attachments_public",
        "track_views",
        "allow_auto_repeat",
        "show_preview_popup",
        "email_append_to",
        "is_calendar_and_gantt",
        "force_re_route_to_default_view",
        "translated_doctype",
        "auto_repeat",
    }
)
# A standard field's type may only move within one of these groups (frappe_compat §3).
FIELDTYPE_GROUPS = (
    frozenset({"Currency", "Float", "Percent"}),
    frozenset({"Small Text", "Data"}),
    frozenset({"Text", "Data"}),
    frozenset({"Text", "Text Editor", "Code", "Signature", "HTML Editor"}),
    frozenset({"Data", "Select"}),
    frozenset({"Text", "Small Text", "Long Text"}),
    frozenset({"Text", "Data", "Barcode"}),
    frozenset({"Code", "Geolocation"}),
    frozenset({"Table", "Table MultiSelect"}),
)
OPTIONS_CHANGEABLE = frozenset({"Read Only", "HTML", "Data"})
TRANSLATABLE_TYPES = frozenset({"Data", "Select", "Text", "Small Text", "Text Editor"})
SUPPORTED_LEVELS = ("DocType", "DocField")
_BOOL_WORDS = {"true": "1", "false": "0", "yes": "1", "no": "0"}


def property_setter_name(doctype: str, fieldname: str | None, prop: str) -> str:
    """`<doc_type>-<field_name | "main">-<property>` (frappe_compat §3)."""
    return f"{doctype}-{fieldname or 'main'}-{prop}"


class PropertySetter(Document):
    # -- naming -------------------------------------------------------------------------
    def before_insert(self) -> None:
        self._normalise_identity()

    def autoname(self) -> None:
        self._normalise_identity()
        self.name = property_setter_name(
            self.doc_type, self.get("field_name") or self.get("row_name"), self.property
        )

    def _normalise_identity(self) -> None:
        if not self.get("doctype_or_field"):
            self.doctype_or_field = "DocField" if self.get("field_name") else "DocType"
        if self.doctype_or_field == "DocType":
            self.field_name = None

    # -- validation ---------------------------------------------------------------------
    def validate(self) -> None:
        ctx = self.ctx
        self._normalise_identity()
        change.check_customisable(ctx, self.doc_type, field="doc_type")
        if not self.is_new():
            for key in ("doc_type", "doctype_or_field", "field_name", "property"):
                if (self.get(key) or None) != (self.get_db_value(key) or None):
                    raise ValidationError(
                        f"{key} Property Setter tidak dapat diubah; hapus lalu buat yang baru",
                        field=key,
                    )
        level = self.doctype_or_field
        if level not in SUPPORTED_LEVELS:
            raise ValidationError(
                f"Property Setter untuk {level} belum didukung", field="doctype_or_field"
            )
        meta = ctx.get_meta(self.doc_type)
        prop = (self.property or "").strip()
        self.property = prop
        df = None
        if level == "DocField":
            df = meta.get_field(self.get("field_name") or "")
            if df is None:
                raise ValidationError(
                    f"{self.doc_type} tidak memiliki field {self.get('field_name')}",
                    field="field_name",
                )
            allowed = FIELD_PROPERTIES
        else:
            allowed = DOCTYPE_PROPERTIES
        if prop not in allowed:
            where = f"field {df.fieldname}" if df is not None else f"DocType {self.doc_type}"
            raise ValidationError(
                f"Properti {prop!r} tidak dapat diubah untuk {where}", field="property"
            )
        value = self._typed_value()
        if df is not None:
            self._check_field_rule(meta, df, prop, value)
        else:
            self._check_doctype_rule(meta, prop, value)
        merged = change.preview(ctx, self.doc_type, self._with_this, field="value")
        if self.affects_schema:
            plan_sync(ctx.conn, merged)  # refuses before anything is written
        self._undo = change.snapshot(ctx, self.doctype, self.name)

    @property
    def affects_schema(self) -> bool:
        if self.doctype_or_field == "DocField":
            return self.property in SCHEMA_FIELD_PROPERTIES
        return self.property in SCHEMA_DOCTYPE_PROPERTIES

    def _typed_value(self) -> Any:
        """Fix `property_type` from what the property is, cast the value, store it as text."""
        known = _property_type(self.ctx, self.doctype_or_field, self.property)
        self.property_type = known or self.get("property_type") or "Data"
        raw = self.get("value")
        if isinstance(raw, list | dict):
            raw = json.dumps(raw)
        elif isinstance(raw, bool):
            raw = int(raw)
        text = "" if raw is None else str(raw)
        if self.property == "field_order":
            try:
                order = json.loads(text) if text else []
            except json.JSONDecodeError as exc:
                raise ValidationError(
                    "field_order harus berupa daftar fieldname (JSON)", field="value"
                ) from exc
            if not isinstance(order, list) or not all(isinstance(f, str) for f in order):
                raise ValidationError(
                    "field_order harus berupa daftar fieldname (JSON)", field="value"
                )
            self.value = json.dumps(order)
            return order
        if self.property_type == "Check" and text.lower() in _BOOL_WORDS:
            text = _BOOL_WORDS[text.lower()]
        try:
            value = cast_property(text, self.property_type)
        except (TypeError, ValueError) as exc:
            raise ValidationError(
                f"Nilai {text!r} tidak sesuai tipe {self.property_type} untuk {self.property}",
                field="value",
            ) from exc
        if self.property_type == "Check" and value not in (0, 1):
            raise ValidationError(f"{self.property} hanya boleh 0 atau 1", field="value")
        options = _select_options(self.ctx, self.doctype_or_field, self.property)
        if options is not None and text and text not in options:
            raise ValidationError(
                f"Nilai {text!r} tidak ada dalam pilihan {self.property}: {', '.join(options)}",
                field="value",
            )
        self.value = str(value) if self.property_type in ("Check", "Int") else text
        return value

    def _check_field_rule(self, meta: Meta, df: DocField, prop: str, value: Any) -> None:
        """Customize Form's restrictions on standard fields (frappe_compat §3, `*`)."""
        label = df.label
        if prop == "translatable" and value and df.fieldtype not in TRANSLATABLE_TYPES:
            raise ValidationError(
                f"{label}: tipe {df.fieldtype} tidak mendukung translatable", field="value"
            )
        if prop == "fieldtype" and value not in ALL_FIELD_TYPES:
            raise ValidationError(f"{label}: tipe field {value!r} tidak dikenal", field="value")
        standard = _standard_field(self.ctx, meta.name, df.fieldname)
        if standard is None:
            return  # a custom field or a field of a custom DocType: edit freely
        std_type = standard.get("fieldtype") or "Data"
        if prop == "reqd" and standard.get("reqd") and not value:
            raise ValidationError(
                f"{label}: sifat wajib (reqd) field standar tidak dapat dimatikan", field="value"
            )
        if prop == "read_only" and standard.get("read_only") and not value:
            raise ValidationError(
                f"{label}: sifat hanya-baca (read_only) field standar tidak dapat dimatikan",
                field="value",
            )
        if prop == "allow_on_submit" and value and not standard.get("allow_on_submit"):
            raise ValidationError(
                f"{label}: allow_on_submit tidak dapat dinyalakan pada field standar",
                field="value",
            )
        if prop == "is_virtual" and value and not standard.get("is_virtual"):
            raise ValidationError(
                f"{label}: field standar tidak dapat dijadikan virtual", field="value"
            )
        if prop == "options" and df.fieldtype not in OPTIONS_CHANGEABLE:
            raise ValidationError(
                f"{label}: options field bertipe {df.fieldtype} tidak dapat diubah "
                f"(hanya {', '.join(sorted(OPTIONS_CHANGEABLE))})",
                field="value",
            )
        if (
            prop == "fieldtype"
            and value != std_type
            and not any({std_type, value} <= group for group in FIELDTYPE_GROUPS)
        ):
            raise ValidationError(
                f"{label}: tipe field tidak dapat diubah dari {std_type} ke {value}",
                field="value",
            )

    def _check_doctype_rule(self, meta: Meta, prop: str, value: Any) -> None:
        if prop == "autoname" and "autoincrement" in {
            str(value).strip().lower(),
            meta.autoname.lower(),
        }:
            raise ValidationError(
                f"{meta.name}: penamaan autoincrement tidak dapat diubah lewat Property Setter "
                "(tipe kolom name berbeda)",
                field="value",
            )
        if prop == "istable" and bool(value) != meta.istable and _has_documents(self.ctx, meta):
            raise ValidationError(
                f"{meta.name} sudah memiliki dokumen; istable tidak dapat diubah", field="value"
            )

    # -- merge preview ------------------------------------------------------------------
    def _row(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "doctype_or_field": self.doctype_or_field,
            "doc_type": self.doc_type,
            "field_name": self.get("field_name"),
            "property": self.property,
            "value": self.value,
            "property_type": self.property_type,
        }

    def _with_this(self, rows: CustomisationRows) -> None:
        others = [p for p in rows.property_setters.get(self.doc_type, []) if p["name"] != self.name]
        rows.property_setters[self.doc_type] = [*others, self._row()]

    def _without_this(self, rows: CustomisationRows) -> None:
        rows.property_setters[self.doc_type] = [
            p for p in rows.property_setters.get(self.doc_type, []) if p["name"] != self.name
        ]

    # -- effects ------------------------------------------------------------------------
    def on_update(self) -> None:
        if self.affects_schema:
            change.apply_schema(self.ctx, [self.doc_type], getattr(self, "_undo", None))
        else:
            self.ctx.meta_changed()

    def on_trash(self) -> None:
        """The property returns to its standard value; refused when the data does not allow
        that (e.g. removing a longer length while longer values are stored)."""
        merged = change.preview(self.ctx, self.doc_type, self._without_this, field="property")
        if self.affects_schema:
            plan_sync(self.ctx.conn, merged)
        self._undo = change.snapshot(self.ctx, self.doctype, self.name)

    def after_delete(self) -> None:
        if self.affects_schema:
            change.apply_schema(self.ctx, [self.doc_type], getattr(self, "_undo", None))
        else:
            self.ctx.meta_changed()


def _property_field(ctx: Any, level: str, prop: str) -> DocField | None:
    return ctx.get_meta("DocField" if level == "DocField" else "DocType").get_field(prop)


def _property_type(ctx: Any, level: str, prop: str) -> str | None:
    """The type a property's value has (from the DocField / DocType definitions)."""
    if prop == "field_order":
        return "Data"  # a JSON list kept as text, as Frappe stores it
    if prop in _EXTRA_CHECK_PROPERTIES:
        return "Check"
    if prop == "idx":
        return "Int"
    df = _property_field(ctx, level, prop)
    if df is None:
        return None
    return df.fieldtype


def _select_options(ctx: Any, level: str, prop: str) -> list[str] | None:
    df = _property_field(ctx, level, prop)
    if df is None or df.fieldtype != "Select":
        return None
    return df.select_options


def _standard_field(ctx: Any, doctype: str, fieldname: str) -> dict[str, Any] | None:
    """The field as its standard DocType file defines it (None for custom ones)."""
    files = ctx.site.meta_cache.files
    if not files.has(doctype):
        return None
    raw = copy.deepcopy(files.raw(doctype))
    add_implied_fields(raw)
    return next((f for f in raw["fields"] if f.get("fieldname") == fieldname), None)


def _has_documents(ctx: Any, meta: Meta) -> bool:
    if meta.issingle or meta.is_virtual:
        return False
    table = table_for(meta)
    if not sa.inspect(ctx.conn).has_table(table.name):
        return False
    return ctx.conn.execute(sa.select(table.c.name).limit(1)).first() is not None
