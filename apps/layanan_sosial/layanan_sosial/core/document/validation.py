"""Built-in server-side validation of documents (frappe_compat §1.4), field-level messages.

Messages are Indonesian (the product's default language) and every error names its field,
so forms can show it next to the input.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from ..db.tables import table_for
from ..exceptions import (
    CancelledLinkError,
    CannotChangeConstantError,
    CharacterLengthExceededError,
    DataError,
    InvalidEmailAddressError,
    LinkValidationError,
    MandatoryError,
    NonNegativeError,
    UpdateAfterSubmitError,
    ValidationError,
)
from ..expressions import is_true
from ..fieldtypes import (
    DECIMAL_TYPES,
    INT_TYPES,
    LONG_TEXT_TYPES,
    VARCHAR_LEN,
    VARCHAR_TYPES,
    coerce,
)
from .html import sanitize_document

if TYPE_CHECKING:
    from ..context import Context
    from ..meta.model import DocField
    from .document import Document

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE_RE = re.compile(r"^\+?[0-9 ()\-.]{5,20}$")
URL_RE = re.compile(r"^(https?://|/)\S+$")
_NOT_COPIED_ON_NEW = frozenset({"name", "owner", "creation", "modified", "modified_by"})


def _where(doc: Document) -> str:
    if doc.parent_doc is not None:
        return f"{doc.parent_doc.meta.name} baris #{doc.get('idx')} ({doc.meta.name})"
    return doc.meta.name


def _row_label(doc: Document) -> int | None:
    return doc.get("idx") if doc.parent_doc is not None else None


# -- defaults ---------------------------------------------------------------------------------


def default_value(ctx: Context, df: DocField) -> Any:
    raw = df.props.get("default")
    if raw is None or raw == "":
        if df.fieldtype == "Select" and df.select_options and not df.options.startswith("\n"):
            return df.select_options[0]
        return 0 if df.fieldtype == "Check" else None
    text = str(raw)
    if text in ("Today", "today") and df.fieldtype in ("Date", "Datetime"):
        return ctx.today() if df.fieldtype == "Date" else ctx.now()
    if text.lower() == "now":
        return ctx.now()
    if text == "__user":
        return ctx.user
    return raw


def set_defaults(doc: Document) -> None:
    for df in doc.meta.data_fields:
        if doc._data.get(df.fieldname) is None:
            doc._data[df.fieldname] = default_value(doc.ctx, df)
    for _, row in doc.all_children():
        set_defaults(row)


# -- types ------------------------------------------------------------------------------------

_MISSING = object()
_TYPED: dict[str, type | tuple[type, ...]] = {
    **dict.fromkeys(
        VARCHAR_TYPES
        | LONG_TEXT_TYPES
        | {"Small Text", "Text", "Attach", "Attach Image", "Password"},
        str,
    ),
    **dict.fromkeys(("Int", "Long Int"), int),
    **dict.fromkeys(("Float", "Currency", "Percent", "Duration", "Rating"), float),
    "Datetime": dt.datetime,
    "Time": dt.time,
}


def _already_typed(fieldtype: str, value: Any) -> bool:
    """Values that coerce() would return unchanged (the common case on re-validation)."""
    if value is None:
        return fieldtype != "Check"
    if fieldtype == "Date":
        return value.__class__ is dt.date
    if fieldtype == "Check":
        return value.__class__ is int and value in (0, 1)
    wanted = _TYPED.get(fieldtype)
    return wanted is not None and value.__class__ is wanted


def coerce_values(doc: Document) -> None:
    """Convert every value to its field type; report all bad fields at once."""
    errors: list[dict[str, Any]] = []
    data = doc._data
    for df in doc.meta.data_fields:
        value = data.get(df.fieldname, _MISSING)
        if value is _MISSING or _already_typed(df.fieldtype, value):
            continue
        try:
            data[df.fieldname] = coerce(df.fieldtype, value, label=df.label)
        except DataError as exc:
            errors.append({"field": df.fieldname, "message": exc.message, "row": _row_label(doc)})
    sanitize_document(doc)  # Text Editor HTML (every save path coerces, after hooks too)
    for _, row in doc.all_children():
        try:
            coerce_values(row)
        except DataError as exc:
            errors.extend(exc.errors)
    if errors:
        raise DataError(
            "; ".join(e["message"] for e in errors), field=errors[0]["field"], errors=errors
        )


# -- links ------------------------------------------------------------------------------------


class LinkCache:
    """Remembers link lookups within one operation; the bulk path pre-fills it with IN queries."""

    def __init__(self, ctx: Context, kept: set[tuple[str, str]] | None = None):
        self.ctx = ctx
        self._rows: dict[tuple[str, str], dict[str, Any] | None] = {}
        # (DocType, name) the stored document already links to: a user who may write the
        # document keeps them even without the right to select them (a partner answering a
        # referral keeps its case link); only their existence is checked.
        self._kept = kept or set()

    def prefetch(self, doctype: str, names: set[str], fields: set[str]) -> None:
        meta = self.ctx.get_meta(doctype)
        if meta.issingle or not names:
            return
        table = table_for(meta)
        cols = ["name", "docstatus", *sorted(f for f in fields if f in meta.valid_columns())]
        names_list = sorted(names)
        for start in range(0, len(names_list), 1000):
            chunk = names_list[start : start + 1000]
            for name in chunk:
                self._rows[(doctype, name)] = None
            stmt = sa.select(*(table.c[c] for c in dict.fromkeys(cols))).where(
                table.c.name.in_(chunk)
            )
            allowed = self._permission(doctype, table)
            if allowed is not None:
                kept = [n for n in chunk if (doctype, n) in self._kept]
                stmt = stmt.where(sa.or_(allowed, table.c.name.in_(kept)) if kept else allowed)
            for row in self.ctx.conn.execute(stmt).mappings():
                self._rows[(doctype, str(row["name"]))] = dict(row)

    def _permission(self, doctype: str, table: sa.Table) -> sa.ColumnElement[bool] | None:
        if not self.ctx.enforce_permissions:
            return None
        from ..permissions import list_condition

        return list_condition(self.ctx, doctype, table, "select")

    def remember(self, doctype: str, name: str, values: dict[str, Any]) -> None:
        """Treat a row that is about to be written in the same operation as existing."""
        self._rows[(doctype, name)] = values

    def get(self, doctype: str, name: str, fields: set[str]) -> dict[str, Any] | None:
        key = (doctype, name)
        cached = self._rows.get(key, ...)
        if cached is not ... and (cached is None or fields <= cached.keys()):
            return cached
        meta = self.ctx.get_meta(doctype)
        table = table_for(meta)
        valid = meta.valid_columns()
        cols = dict.fromkeys(["name", "docstatus", *sorted(f for f in fields if f in valid)])
        stmt = sa.select(*(table.c[c] for c in cols)).where(table.c.name == name)
        allowed = None if key in self._kept else self._permission(doctype, table)
        if allowed is not None:  # a value the user may not see is "not found", nothing more
            stmt = stmt.where(allowed)
        row = self.ctx.conn.execute(stmt).mappings().first()
        self._rows[key] = dict(row) if row is not None else None
        return self._rows[key]


def stored_links(doc: Document) -> set[tuple[str, str]]:
    """(DocType, name) of every Link / Dynamic Link value of `doc` and its child rows."""
    out: set[tuple[str, str]] = set()
    for item in (doc, *(row for _, row in doc.all_children())):
        for df in item.meta.data_fields:
            if df.fieldtype not in ("Link", "Dynamic Link"):
                continue
            value = item._data.get(df.fieldname)
            target = df.options if df.fieldtype == "Link" else item._data.get(df.options)
            if value not in (None, "") and target:
                out.add((str(target), str(value)))
    return out


def fetch_map(doc: Document) -> dict[str, list[tuple[DocField, str]]]:
    """link fieldname → [(target field, source field on linked doc)] from `fetch_from`."""
    out: dict[str, list[tuple[DocField, str]]] = {}
    for df in doc.meta.data_fields:
        fetch_from = df.props.get("fetch_from")
        if fetch_from and "." in fetch_from:
            link_field, source_field = fetch_from.split(".", 1)
            out.setdefault(link_field, []).append((df, source_field))
    return out


def validate_links(doc: Document, links: LinkCache) -> None:
    """Every Link / Dynamic Link value must exist (and not be cancelled); apply fetch_from."""
    if doc.flags.ignore_links or doc.ctx.flags.ignore_links:
        return
    fetches = fetch_map(doc)
    for df in doc.meta.data_fields:
        if df.fieldtype not in ("Link", "Dynamic Link"):
            continue
        value = doc._data.get(df.fieldname)
        if value in (None, ""):
            continue
        target = df.options if df.fieldtype == "Link" else doc._data.get(df.options)
        if not target:
            raise LinkValidationError(
                f"{_where(doc)}: {df.label} membutuhkan tipe dokumen di {df.options}",
                field=df.fieldname,
            )
        if not doc.ctx.doctype_exists(target):
            raise LinkValidationError(
                f"{_where(doc)}: tipe dokumen {target} tidak ada", field=df.fieldname
            )
        target_meta = doc.ctx.get_meta(target)
        if target_meta.issingle:
            continue
        wanted = {src for _, src in fetches.get(df.fieldname, [])}
        row = links.get(target, str(value), wanted)
        if row is None:
            raise LinkValidationError(
                f"{_where(doc)}: {df.label} — tidak ditemukan {target} {value}", field=df.fieldname
            )
        # like Frappe: only submittable documents may not link to cancelled ones
        owner_meta = doc.parent_doc.meta if doc.parent_doc is not None else doc.meta
        cancelled = target_meta.is_submittable and row.get("docstatus") == 2
        if (
            cancelled
            and owner_meta.is_submittable
            and doc.docstatus < 2
            and df.fieldname != "amended_from"
        ):
            raise CancelledLinkError(
                f"{_where(doc)}: {df.label} — {target} {value} sudah dibatalkan", field=df.fieldname
            )
        for target_df, source_field in fetches.get(df.fieldname, []):
            if target_df.flag("fetch_if_empty") and doc._data.get(target_df.fieldname) not in (
                None,
                "",
            ):
                continue
            doc._data[target_df.fieldname] = row.get(source_field)
    for _, row in doc.all_children():
        validate_links(row, links)


# -- field rules ------------------------------------------------------------------------------


def _is_empty(df: DocField, value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        text = value.strip()
        if df.fieldtype == "Text Editor":
            text = re.sub(r"<[^>]*>|&nbsp;", "", text).strip()
        return text == ""
    if isinstance(value, list) and df.is_table:
        return len(value) == 0
    return False


def missing_mandatory(doc: Document) -> list[DocField]:
    missing = []
    for df in doc.meta.fields:
        if df.fieldtype in (
            "Section Break",
            "Column Break",
            "Tab Break",
            "HTML",
            "Button",
            "Heading",
            "Image",
            "Fold",
        ):
            continue
        required = df.flag("reqd") or (
            df.props.get("mandatory_depends_on")
            and is_true(df.props["mandatory_depends_on"], doc, names={"parent": doc.parent_doc})
        )
        if not required:
            continue
        if df.fieldtype == "Check":
            continue
        if _is_empty(df, doc._data.get(df.fieldname)):
            missing.append(df)
    return missing


def validate_mandatory(doc: Document) -> None:
    if doc.flags.ignore_mandatory or doc.ctx.flags.ignore_mandatory:
        return
    errors: list[dict[str, Any]] = []
    for df in missing_mandatory(doc):
        errors.append(
            {
                "field": df.fieldname,
                "message": f"{_where(doc)}: {df.label} wajib diisi",
                "row": _row_label(doc),
            }
        )
    for _, row in doc.all_children():
        errors.extend(
            {
                "field": df.fieldname,
                "message": f"{_where(row)}: {df.label} wajib diisi",
                "row": row.get("idx"),
                "table": row.get("parentfield"),
            }
            for df in missing_mandatory(row)
        )
    if errors:
        labels = ", ".join(
            e["message"].split(": ", 1)[-1].replace(" wajib diisi", "") for e in errors
        )
        raise MandatoryError(
            f"[{doc.meta.name}, {doc.name or 'baru'}]: nilai wajib belum diisi: {labels}",
            fields=[e["field"] for e in errors],
            field=errors[0]["field"],
            errors=errors,
        )


def _check_value(doc: Document, df: DocField, value: Any) -> None:
    if value is None or value == "":
        return
    fieldtype = df.fieldtype
    if fieldtype in VARCHAR_TYPES:
        limit = int(df.get("length") or VARCHAR_LEN)
        if len(value) > limit if isinstance(value, str) else len(str(value)) > limit:
            raise CharacterLengthExceededError(
                f"{_where(doc)}: {df.label} terlalu panjang ({len(str(value))} > {limit} karakter)",
                field=df.fieldname,
            )
        if fieldtype == "Select":
            options = df.select_options
            if options and str(value) not in options:
                raise ValidationError(
                    f"{_where(doc)}: {df.label} tidak boleh {value!r}; "
                    f"pilihan: {', '.join(options)}",
                    field=df.fieldname,
                )
        elif fieldtype == "Data" and df.options:
            _check_data_option(_where(doc), df, str(value))
    elif fieldtype in INT_TYPES or fieldtype in DECIMAL_TYPES:
        if df.flag("non_negative") and float(value) < 0:
            raise NonNegativeError(
                f"{_where(doc)}: {df.label} tidak boleh negatif", field=df.fieldname
            )
    elif fieldtype == "Rating":
        if not 0 <= float(value) <= 1:
            raise ValidationError(
                f"{_where(doc)}: {df.label} harus antara 0 dan 1", field=df.fieldname
            )
    elif fieldtype in LONG_TEXT_TYPES and len(str(value)) > 4_000_000:
        raise CharacterLengthExceededError(
            f"{_where(doc)}: {df.label} terlalu panjang", field=df.fieldname
        )


def _check_data_option(where: str, df: DocField, value: str) -> None:
    option = df.options.strip()
    if option == "Email":
        for address in [v.strip() for v in value.split(",") if v.strip()]:
            if not EMAIL_RE.match(address):
                raise InvalidEmailAddressError(
                    f"{where}: {df.label}: {address} bukan alamat email yang valid",
                    field=df.fieldname,
                )
    elif option == "Phone" and not PHONE_RE.match(value):
        raise ValidationError(
            f"{where}: {df.label}: {value} bukan nomor telepon yang valid", field=df.fieldname
        )
    elif option == "URL" and not URL_RE.match(value):
        raise ValidationError(
            f"{where}: {df.label}: {value} bukan URL yang valid", field=df.fieldname
        )


def validate_values(doc: Document) -> None:
    """Lengths, Select options, Data options (Email/Phone/URL), non-negative, rating range."""
    for df in doc.meta.data_fields:
        _check_value(doc, df, doc._data.get(df.fieldname))
    for _, row in doc.all_children():
        validate_values(row)


def validate_constants(doc: Document, stored: dict[str, Any]) -> None:
    """`set_only_once` fields may not change after insert."""
    for df in doc.meta.data_fields:
        if df.flag("set_only_once"):
            old, new = stored.get(df.fieldname), doc._data.get(df.fieldname)
            if old not in (None, "") and _normal(old) != _normal(new):
                raise CannotChangeConstantError(
                    f"{doc.meta.name}: {df.label} tidak dapat diubah setelah disimpan",
                    field=df.fieldname,
                )


def _normal(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def validate_update_after_submit(doc: Document, stored: Document) -> None:
    """On a submitted document only `allow_on_submit` fields (and such child fields) may change."""
    _compare_submitted(doc, stored._data, doc.meta.name)
    for df in doc.meta.table_fields:
        new_rows = doc.get_children(df.fieldname)
        old_rows = stored.get_children(df.fieldname)
        if len(new_rows) != len(old_rows) and not df.flag("allow_on_submit"):
            raise UpdateAfterSubmitError(
                f"{doc.meta.name}: baris {df.label} tidak dapat diubah setelah diajukan",
                field=df.fieldname,
            )
        old_by_name = {str(r.name): r for r in old_rows}
        for row in new_rows:
            old = old_by_name.get(str(row.name))
            if old is None:
                if not df.flag("allow_on_submit"):
                    raise UpdateAfterSubmitError(
                        f"{doc.meta.name}: baris {df.label} tidak dapat ditambah setelah diajukan",
                        field=df.fieldname,
                    )
                continue
            _compare_submitted(row, old._data, _where(row))


def _compare_submitted(doc: Document, old: dict[str, Any], where: str) -> None:
    from .html import html_fieldnames, sanitize

    cleaned = html_fieldnames(doc.meta)
    for df in doc.meta.data_fields:
        if df.flag("allow_on_submit"):
            continue
        before = old.get(df.fieldname)
        if df.fieldname in cleaned and isinstance(before, str) and before:
            before = sanitize(before)  # stored before sanitising existed: compare like for like
        if _normal(before) != _normal(doc._data.get(df.fieldname)):
            raise UpdateAfterSubmitError(
                f"{where}: {df.label} tidak dapat diubah setelah diajukan", field=df.fieldname
            )
