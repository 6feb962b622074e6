"""The document pipelines (frappe_compat §1.6, §2): insert, save, submit, cancel, amend, delete.

Each write runs in `ctx.atomic()`: if any step fails (hooks included) the transaction is
marked failed and can only be rolled back, so nothing half-written is ever committed, without
paying for a SAVEPOINT per write. Callers that want to carry on after a failed write wrap it
in `ctx.savepoint()`.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from ..exceptions import (
    DocstatusTransitionError,
    DoesNotExistError,
    DuplicateEntryError,
    LinkExistsError,
    TimestampMismatchError,
    UniqueValidationError,
    ValidationError,
)
from ..permissions import check_permission, reset_unwritable
from . import tree, validation
from .naming import set_new_name
from .persistence import delete_rows, insert_rows, load_row, save_single, update_rows
from .version import diff, is_empty, write_version

if TYPE_CHECKING:
    from .document import Document

_STAMP_FIELDS = ("owner", "creation", "modified", "modified_by")
_RIGHT_OF_ACTION = {
    "save": "write",
    "submit": "submit",
    "cancel": "cancel",
    "update_after_submit": "submit",
}


def _stamp_new(doc: Document) -> None:
    ctx = doc.ctx
    now = ctx.now()
    doc._data["owner"] = (
        doc._data.get("owner") if doc.ctx.flags.in_import and doc._data.get("owner") else ctx.user
    )
    doc._data["creation"] = now
    doc._data["modified"] = now
    doc._data["modified_by"] = ctx.user
    doc._data["docstatus"] = int(doc._data.get("docstatus") or 0)
    for index, (_, row) in enumerate(doc.all_children(), start=1):
        _stamp_child(doc, row, index)


def _stamp_child(doc: Document, row: Document, index: int) -> None:
    from .document import new_child_name

    if not row.get("name"):
        row._data["name"] = new_child_name()
    row._data["parent"] = str(doc.name) if doc.name is not None else None
    row._data["parenttype"] = doc.doctype
    row._data["owner"] = doc._data.get("owner")
    row._data["creation"] = row._data.get("creation") or doc._data.get("modified")
    row._data["modified"] = doc._data.get("modified")
    row._data["modified_by"] = doc._data.get("modified_by")
    row._data["docstatus"] = doc.docstatus


def _restamp_children(doc: Document) -> None:
    counters: dict[str, int] = {}
    for fieldname, row in doc.all_children():
        counters[fieldname] = counters.get(fieldname, 0) + 1
        row._data["idx"] = counters[fieldname]
        _stamp_child(doc, row, counters[fieldname])


def _translate_integrity(doc: Document, exc: sa.exc.IntegrityError) -> Exception:
    """Map a unique-index violation to the field it concerns (our index names carry it);
    a violation of the name itself (or of the field the name is made from) is a 409."""
    from ..db.tables import index_name

    text = str(exc.orig).lower()
    for df in doc.meta.data_fields:
        if not df.flag("unique"):
            continue
        sqlite_hint = f"{doc.meta.table_name}.{df.fieldname}".lower()
        if index_name(doc.meta, df.fieldname, True) in text or sqlite_hint in text:
            if doc.meta.autoname == f"field:{df.fieldname}":
                break
            return UniqueValidationError(
                f"{doc.meta.name}: {df.label} {doc.get(df.fieldname)} sudah dipakai",
                field=df.fieldname,
            )
    return DuplicateEntryError(f"{doc.meta.name} {doc.name} sudah ada", field="name")


def _validate_all(doc: Document, *, stored: dict[str, Any] | None) -> None:
    validation.validate_mandatory(doc)
    validation.validate_values(doc)
    # Unique fields are enforced by their unique index (no extra query per write); a
    # violation is turned into UniqueValidationError naming the field.
    if stored is not None:
        validation.validate_constants(doc, stored)


def _run_before_hooks(doc: Document, action: str) -> None:
    if action != "cancel":
        doc.run_method("before_validate")
        doc.run_method("validate")
    doc.run_method(
        {
            "save": "before_save",
            "submit": "before_submit",
            "cancel": "before_cancel",
            "update_after_submit": "before_update_after_submit",
        }[action]
    )


def _run_after_hooks(doc: Document, action: str) -> None:
    if action in ("save", "submit"):
        doc.run_method("on_update")
    if action == "submit":
        doc.run_method("on_submit")
    elif action == "cancel":
        doc.run_method("on_cancel")
    elif action == "update_after_submit":
        doc.run_method("on_update_after_submit")
    doc.run_method("on_change")


def insert(
    doc: Document,
    *,
    set_name: Any = None,
    ignore_mandatory: bool = False,
    ignore_links: bool = False,
    links: validation.LinkCache | None = None,
) -> Document:
    """Validate and store a new document (and its child rows) in one savepoint."""
    meta = doc.meta
    if meta.istable:
        raise ValidationError(f"{meta.name} adalah tabel anak; simpan melalui dokumen induknya")
    if not doc.is_new():
        raise ValidationError(f"{meta.name} {doc.name} sudah tersimpan; gunakan save()")
    doc.flags.ignore_mandatory = doc.flags.ignore_mandatory or ignore_mandatory
    doc.flags.ignore_links = doc.flags.ignore_links or ignore_links
    action = "submit" if doc.docstatus == 1 else "save"
    if doc.docstatus == 1 and not meta.is_submittable:
        raise DocstatusTransitionError(
            f"{meta.name} tidak dapat diajukan (bukan dokumen yang bisa diajukan)"
        )
    if doc.docstatus not in (0, 1):
        raise DocstatusTransitionError("Dokumen baru tidak boleh berstatus dibatalkan")
    with doc.ctx.atomic():
        validation.set_defaults(doc)
        validation.coerce_values(doc)
        _stamp_new(doc)
        if doc.get("amended_from"):
            _check_amend_source(doc)
        validation.validate_links(doc, links or validation.LinkCache(doc.ctx))
        if doc.ctx.enforce_permissions:
            reset_unwritable(doc, None)
            check_permission(doc.ctx, meta.name, "create", doc)
            if action == "submit":
                check_permission(doc.ctx, meta.name, "submit", doc)
        doc.run_method("before_insert")
        set_new_name(doc, set_name)
        _restamp_children(doc)
        _run_before_hooks(doc, action)
        validation.coerce_values(doc)
        _restamp_children(doc)  # rows a validate hook added get names and idx too
        _validate_all(doc, stored=None)
        if meta.is_tree:
            tree.on_insert(doc)
        _move_passwords(doc)
        try:
            if meta.issingle:
                save_single(doc.ctx, doc)
            else:
                insert_rows(doc.ctx, doc)
        except sa.exc.IntegrityError as exc:
            raise _translate_integrity(doc, exc) from exc
        doc._db_values = {}  # no longer new: hooks below may save again
        doc.run_method("after_insert")
        _run_after_hooks(doc, action)
    doc._db_values = _snapshot(doc)
    return doc


def _move_passwords(doc: Document) -> None:
    """Password values go encrypted into __Auth; the column keeps a mask of equal length."""
    from ..secrets_store import is_mask, store_secret

    for item in [doc, *(row for _, row in doc.all_children())]:
        for df in item.meta.password_fields:
            value = item._data.get(df.fieldname)
            if value in (None, "") or is_mask(value):
                continue
            store_secret(item.ctx, item.doctype, item.name, df.fieldname, str(value))
            item._data[df.fieldname] = "*" * len(str(value))


def _snapshot(doc: Document) -> dict[str, Any]:
    """Stored values, for later diffs; only JSON values are mutable enough to need a copy."""
    values = {
        k: (copy.deepcopy(v) if isinstance(v, dict) else v)
        for k, v in doc._data.items()
        if not isinstance(v, list)
        or not doc.meta.get_field(k)
        or not doc.meta.get_field(k).is_table
    }
    for _, row in doc.all_children():
        row._db_values = dict(row._data)
    return values


def _check_amend_source(doc: Document) -> None:
    stored = load_row(doc.ctx, doc.meta, doc.get("amended_from"))
    if stored is None:
        raise DoesNotExistError(f"{doc.meta.name} {doc.get('amended_from')} not found")
    if int(stored.get("docstatus") or 0) != 2:
        raise ValidationError(
            f"{doc.meta.name} {doc.get('amended_from')} tidak dapat diubah (amend) karena belum dibatalkan",
            field="amended_from",
        )


def _transition(meta_name: str, before: int, after: int) -> str:
    if before == 0 and after == 0:
        return "save"
    if before == 0 and after == 1:
        return "submit"
    if before == 1 and after == 1:
        return "update_after_submit"
    if before == 1 and after == 2:
        return "cancel"
    if before == 2:
        raise ValidationError(f"{meta_name}: dokumen yang dibatalkan tidak dapat diubah")
    raise DocstatusTransitionError(
        f"{meta_name}: tidak dapat mengubah docstatus dari {before} ke {after}"
    )


def _stored_document(doc: Document) -> Document:
    from .factory import load_into, new_doc

    stored = new_doc(doc.ctx, doc.doctype)
    load_into(stored, doc.name, for_update=True)
    return stored


def _check_if_latest(doc: Document, stored: Document) -> None:
    theirs = stored.get("modified")
    mine = doc._data.get("modified")
    if mine is None or theirs is None:
        return
    from ..fieldtypes import coerce

    if coerce("Datetime", mine) != coerce("Datetime", theirs):
        raise TimestampMismatchError(
            f"Dokumen telah diubah orang lain setelah Anda membukanya ({theirs}, {mine}). "
            "Muat ulang untuk melihat perubahan terbaru.",
            field="modified",
        )


def save(
    doc: Document, *, ignore_mandatory: bool = False, ignore_links: bool = False, **_: Any
) -> Document:
    """Store changes of an existing document; a new one is inserted."""
    if doc.is_new():
        return insert(doc, ignore_mandatory=ignore_mandatory, ignore_links=ignore_links)
    meta = doc.meta
    doc.flags.ignore_mandatory = doc.flags.ignore_mandatory or ignore_mandatory
    doc.flags.ignore_links = doc.flags.ignore_links or ignore_links
    with doc.ctx.atomic():
        if meta.issingle:
            stored = doc  # singles: no concurrency check or transitions
            action = "save"
        else:
            stored = _stored_document(doc)
            _check_if_latest(doc, stored)
            action = _transition(meta.name, stored.docstatus, doc.docstatus)
            if action in ("submit", "cancel") and not meta.is_submittable:
                raise DocstatusTransitionError(f"{meta.name} tidak dapat diajukan/dibatalkan")
        right = _RIGHT_OF_ACTION[action]
        if doc.ctx.enforce_permissions:
            check_permission(doc.ctx, meta.name, right, stored)  # may act on the record as stored
            reset_unwritable(doc, stored if stored is not doc else None)
        for key in ("owner", "creation"):
            doc._data[key] = stored.get(key)
        doc._data["modified"] = doc.ctx.now()
        doc._data["modified_by"] = doc.ctx.user
        validation.set_defaults(doc)
        validation.coerce_values(doc)
        _restamp_children(doc)
        if action != "cancel":
            kept = validation.stored_links(stored) if stored is not doc else None
            validation.validate_links(doc, validation.LinkCache(doc.ctx, kept))
        _run_before_hooks(doc, action)
        validation.coerce_values(doc)
        _restamp_children(doc)
        if action == "update_after_submit":
            validation.validate_update_after_submit(doc, stored)
        elif action == "cancel":
            validation.validate_update_after_submit(doc, stored)
        if action != "cancel":
            _validate_all(doc, stored=stored._data if stored is not doc else None)
        if doc.ctx.enforce_permissions and stored is not doc:
            check_permission(doc.ctx, meta.name, right, doc)  # ...and keeps it within scope
        _move_passwords(doc)
        try:
            if meta.issingle:
                save_single(doc.ctx, doc)
            else:
                update_rows(doc.ctx, doc)
        except sa.exc.IntegrityError as exc:
            raise _translate_integrity(doc, exc) from exc
        if meta.is_tree:
            tree.after_update(doc, stored.get_db_value(meta.nsm_parent_field))
        _run_after_hooks(doc, action)
        if meta.flag("track_changes") and stored is not doc:
            data = diff(doc, stored)
            if not is_empty(data):
                write_version(doc, data)
    doc._db_values = _snapshot(doc)
    return doc


def submit(doc: Document) -> Document:
    doc.docstatus = 1
    return save(doc)


def cancel(doc: Document) -> Document:
    doc.docstatus = 2
    return save(doc)


def make_amendment(doc: Document) -> Document:
    if doc.docstatus != 2:
        raise ValidationError(f"{doc.meta.name} {doc.name} belum dibatalkan, tidak dapat di-amend")
    from .factory import new_doc

    values: dict[str, Any] = {}
    for df in doc.meta.fields:
        if df.flag("no_copy") or df.fieldname in ("amended_from",):
            continue
        if df.is_table:
            rows = []
            for row in doc.get_children(df.fieldname):
                data = {
                    f.fieldname: row.get(f.fieldname)
                    for f in row.meta.data_fields
                    if not f.flag("no_copy")
                }
                rows.append(data)
            values[df.fieldname] = rows
        elif df.has_column:
            values[df.fieldname] = copy.deepcopy(doc.get(df.fieldname))
    values["amended_from"] = doc.name
    amended = new_doc(doc.ctx, doc.doctype, values)
    amended.docstatus = 0
    return amended


def linked_references(doc: Document) -> list[tuple[str, str, Any]]:
    """(doctype, fieldname, name) of live documents whose Link fields point at `doc`."""
    ctx = doc.ctx
    found: list[tuple[str, str, Any]] = []
    from ..db.tables import table_for

    for other in ctx.site.meta_cache.link_sources(ctx.conn, ctx.meta_version, doc.doctype):
        other_meta = ctx.get_meta(other.doctype)
        if other_meta.issingle or other_meta.is_virtual:
            continue
        table = table_for(other_meta)
        stmt = sa.select(table.c.name).where(table.c[other.fieldname] == str(doc.name))
        if other_meta.is_submittable:
            stmt = stmt.where(table.c.docstatus != 2)
        if other.doctype == doc.doctype:
            stmt = stmt.where(table.c.name != doc.name)
        row = ctx.conn.execute(stmt.limit(1)).first()
        if row is not None:
            parent_doctype = other.doctype
            name = row[0]
            if other_meta.istable:
                parent = ctx.conn.execute(
                    sa.select(table.c.parenttype, table.c.parent).where(table.c.name == name)
                ).first()
                if parent is not None:
                    parent_doctype, name = parent[0], parent[1]
                    if parent_doctype == doc.doctype and name == str(doc.name):
                        continue
            found.append((parent_doctype, other.fieldname, name))
    return found


def delete(doc: Document, *, force: bool = False, ignore_links: bool = False) -> None:
    meta = doc.meta
    if meta.istable:
        raise ValidationError(f"{meta.name} adalah tabel anak; hapus barisnya lewat dokumen induk")
    if doc.is_new():
        raise DoesNotExistError(f"{meta.name} {doc.name} not found")
    if doc.docstatus == 1 and not force:
        raise ValidationError(
            f"{meta.name} {doc.name} sudah diajukan; batalkan dulu sebelum dihapus"
        )
    with doc.ctx.atomic():
        check_permission(doc.ctx, meta.name, "delete", doc)
        if not (force or ignore_links or meta.name in ("Version",)):
            refs = linked_references(doc)
            if refs:
                other_doctype, _field, other_name = refs[0]
                raise LinkExistsError(
                    f"Tidak dapat menghapus {meta.name} {doc.name}: masih dirujuk oleh {other_doctype} {other_name}"
                )
        if meta.is_tree:
            tree.before_delete(doc)
        doc.run_method("on_trash")
        delete_rows(doc.ctx, meta, doc.name)
        if meta.password_fields:
            from ..secrets_store import delete_secrets

            delete_secrets(doc.ctx, doc.doctype, doc.name)
        if meta.is_tree:
            tree.after_delete(doc)
        doc.run_method("after_delete")
