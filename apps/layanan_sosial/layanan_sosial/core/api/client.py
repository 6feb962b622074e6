"""`frappe.client.*`: the generic document methods Frappe's clients call (frappe_compat §6.3).

Every call goes through the engine, so permissions, validation and versions apply; the
functions only translate arguments and shapes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from ..db.tables import table_for
from ..exceptions import DataError, DoesNotExistError, PermissionError_, ValidationError
from ..meta.model import DEFAULT_FIELDS
from .documents import check_body, check_doctype_access, doc_out
from .registry import whitelist
from .request_args import json_arg

if TYPE_CHECKING:
    from ..context import Context

READ = ("GET", "POST")
WRITE = ("POST", "PUT")
INSERT_MANY_LIMIT = 200


def _doc_arg(value: Any, name: str = "doc") -> dict[str, Any]:
    doc = json_arg(value, name)
    if not isinstance(doc, dict) or not doc.get("doctype"):
        raise DataError(f"{name} harus berupa objek dokumen dengan 'doctype'")
    return doc


@whitelist(path="frappe.client.get_list", methods=READ)
def get_list(
    ctx: Context,
    doctype: str,
    fields: Any = None,
    filters: Any = None,
    or_filters: Any = None,
    group_by: Any = None,
    order_by: Any = None,
    limit_start: Any = None,
    limit_page_length: Any = 20,
    parent: str | None = None,
    as_dict: Any = True,
    limit: Any = None,
    debug: Any = None,
) -> list[Any]:
    check_doctype_access(ctx, parent or doctype)
    return ctx.get_list(
        doctype,
        fields=json_arg(fields, "fields"),
        filters=json_arg(filters, "filters"),
        or_filters=json_arg(or_filters, "or_filters"),
        group_by=group_by,
        order_by=order_by,
        limit_start=limit_start,
        limit_page_length=limit_page_length,
        limit=limit,
        parent=parent,
        as_dict=as_dict,
    )


@whitelist(path="frappe.client.get_count", methods=READ)
def get_count(
    ctx: Context, doctype: str, filters: Any = None, debug: Any = None, cache: Any = None
) -> int:
    check_doctype_access(ctx, doctype)
    return ctx.get_count(doctype, json_arg(filters, "filters"))


@whitelist(path="frappe.client.get", methods=READ)
def get(
    ctx: Context, doctype: str, name: Any = None, filters: Any = None, parent: str | None = None
) -> dict[str, Any]:
    if name is None and filters is not None:
        name = ctx.get_value(doctype, json_arg(filters, "filters"), "name")
        if name is None:
            raise DoesNotExistError(f"{doctype} not found")
    doc = ctx.get_doc(doctype, name)
    return doc_out(ctx, doc)


@whitelist(path="frappe.client.get_value", methods=READ)
def get_value(
    ctx: Context,
    doctype: str,
    fieldname: Any = "name",
    filters: Any = None,
    as_dict: Any = True,
    debug: Any = None,
    parent: str | None = None,
) -> Any:
    """Like Frappe: `{field: value}` (as_dict, `{}` when nothing matches); else the bare
    value for one field, a list of values for several, None when nothing matches."""
    check_doctype_access(ctx, parent or doctype)
    fields = json_arg(fieldname, "fieldname")
    names = [fields] if isinstance(fields, str) else list(fields or ["name"])
    conditions = json_arg(filters, "filters") or []  # no filters: the first row, as Frappe
    values = ctx.get_value(doctype, conditions, names, as_dict=True, parent=parent)
    if str(as_dict).lower() not in ("0", "false"):
        return values or {}
    if values is None:
        return None
    listed = [values.get(name) for name in names]
    return listed[0] if len(listed) == 1 else listed


@whitelist(path="frappe.client.get_single_value", methods=READ)
def get_single_value(ctx: Context, doctype: str, field: str) -> Any:
    doc = ctx.get_doc(doctype)
    data = doc_out(ctx, doc, v2=True)
    if field not in data:
        raise PermissionError_(f"Tidak diizinkan membaca {doctype}.{field}")
    return data[field]


@whitelist(path="frappe.client.set_value", methods=WRITE)
def set_value(
    ctx: Context, doctype: str, name: Any, fieldname: Any, value: Any = None
) -> dict[str, Any]:
    values = json_arg(fieldname, "fieldname")
    if not isinstance(values, dict):
        values = {values: value}
    forbidden = [k for k in values if k in DEFAULT_FIELDS]
    if forbidden:
        raise ValidationError(f"Field standar tidak dapat diubah: {', '.join(forbidden)}")
    meta = ctx.get_meta(doctype)
    if meta.istable:
        raise PermissionError_("Ubah baris tabel anak melalui dokumen induknya")
    doc = ctx.get_doc(doctype, name, for_update=True)
    doc.update(check_body(ctx, meta, values))
    doc.save()
    return doc_out(ctx, doc)


def _insert(ctx: Context, body: dict[str, Any]) -> Any:
    doctype = body["doctype"]
    meta = ctx.get_meta(doctype)
    if meta.istable:  # a child row with its parent: append to the parent and save it
        parent_type, parent_name, field = (
            body.get("parenttype"),
            body.get("parent"),
            body.get("parentfield"),
        )
        if not (parent_type and parent_name and field):
            raise PermissionError_(
                f"{doctype} adalah tabel anak: kirim parent, parenttype, parentfield"
            )
        parent = ctx.get_doc(parent_type, parent_name, for_update=True)
        row = parent.append(
            field,
            check_body(
                ctx,
                meta,
                {k: v for k, v in body.items() if k not in ("parent", "parenttype", "parentfield")},
            ),
        )
        parent.save()
        return row
    check_doctype_access(ctx, doctype, "create")  # 403 before Link checks, as in Frappe
    doc = ctx.new_doc(doctype, check_body(ctx, meta, body))
    return doc.insert()


@whitelist(path="frappe.client.insert", methods=WRITE)
def insert(ctx: Context, doc: Any) -> dict[str, Any]:
    inserted = _insert(ctx, _doc_arg(doc))
    if inserted.meta.istable:
        return inserted.as_dict()
    return doc_out(ctx, inserted)


@whitelist(path="frappe.client.insert_many", methods=WRITE)
def insert_many(ctx: Context, docs: Any) -> list[Any]:
    items = json_arg(docs, "docs")
    if not isinstance(items, list):
        raise DataError("docs harus berupa daftar dokumen")
    if len(items) > INSERT_MANY_LIMIT:
        raise ValidationError(f"Paling banyak {INSERT_MANY_LIMIT} dokumen sekali kirim")
    return [_insert(ctx, _doc_arg(item, "docs[]")).name for item in items]


def _load_for_save(ctx: Context, body: dict[str, Any]) -> Any:
    meta = ctx.get_meta(body["doctype"])
    clean = check_body(ctx, meta, body)
    if not body.get("name"):
        return ctx.new_doc(body["doctype"], clean)
    doc = ctx.get_doc(body["doctype"], body["name"], for_update=True)
    doc.update(clean)  # incl. `modified`: a stale copy fails the optimistic lock
    return doc


@whitelist(path="frappe.client.save", methods=WRITE)
def save(ctx: Context, doc: Any) -> dict[str, Any]:
    document = _load_for_save(ctx, _doc_arg(doc))
    document.save()
    return doc_out(ctx, document)


@whitelist(path="frappe.client.submit", methods=WRITE)
def submit(ctx: Context, doc: Any) -> dict[str, Any]:
    document = _load_for_save(ctx, _doc_arg(doc))
    if document.is_new():
        document.docstatus = 1
        document.insert()
    else:
        document.submit()
    return doc_out(ctx, document)


@whitelist(path="frappe.client.cancel", methods=WRITE)
def cancel(ctx: Context, doctype: str, name: Any) -> dict[str, Any]:
    doc = ctx.get_doc(doctype, name, for_update=True)
    doc.cancel()
    return doc_out(ctx, doc)


@whitelist(path="frappe.client.delete", methods=("POST", "DELETE"))
def delete(ctx: Context, doctype: str, name: Any) -> None:
    meta = ctx.get_meta(doctype)
    if meta.istable:  # a child row: remove it from its parent and save the parent
        table = table_for(meta)
        stmt = sa.select(table.c.parent, table.c.parenttype, table.c.parentfield)
        row = ctx.conn.execute(stmt.where(table.c.name == name)).first()
        if row is None:
            raise DoesNotExistError(f"{doctype} {name} not found")
        parent = ctx.get_doc(row[1], row[0], for_update=True)
        parent.set(
            row[2], [r.as_dict() for r in parent.get_children(row[2]) if str(r.name) != str(name)]
        )
        parent.save()
        return None
    ctx.get_doc(doctype, name, for_update=True).delete()
    return None


@whitelist(path="frappe.client.rename_doc", methods=WRITE)
def rename_doc(ctx: Context, doctype: str, old_name: Any, new_name: Any, merge: Any = False) -> Any:
    from ..document.rename import rename_doc as _rename

    return _rename(ctx, doctype, old_name, new_name, merge=str(merge).lower() in ("1", "true"))


@whitelist(path="frappe.client.bulk_update", methods=WRITE)
def bulk_update(ctx: Context, docs: Any) -> dict[str, Any]:
    items = json_arg(docs, "docs")
    if not isinstance(items, list):
        raise DataError("docs harus berupa daftar")
    failed = []
    for item in items:
        item = dict(item)
        name = item.pop("docname", None) or item.pop("name", None)
        doctype = item.pop("doctype", None)
        try:
            with ctx.savepoint():
                doc = ctx.get_doc(doctype, name, for_update=True)
                doc.update(check_body(ctx, doc.meta, item))
                doc.save()
        except Exception as exc:  # reported per document, the others still apply
            failed.append({"doc": {"doctype": doctype, "docname": name}, "exc": str(exc)})
    return {"failed_docs": failed}


@whitelist(path="frappe.client.has_permission", methods=READ)
def has_permission(
    ctx: Context, doctype: str, docname: Any = None, perm_type: str = "read"
) -> dict[str, bool]:
    from ..permissions import has_permission as check

    doc = None
    if docname is not None:
        with ctx.ignore_permissions():
            if not ctx.exists(doctype, docname):
                return {"has_permission": False}
            doc = ctx.get_doc(doctype, docname)
    return {"has_permission": check(ctx, doctype, perm_type, doc)}


@whitelist(path="frappe.client.get_doc_permissions", methods=READ)
def get_doc_permissions(ctx: Context, doctype: str, docname: Any) -> dict[str, Any]:
    from ..meta.model import RIGHTS
    from ..permissions import has_permission as check

    doc = ctx.get_doc(doctype, docname)
    return {"permissions": {right: int(check(ctx, doctype, right, doc)) for right in RIGHTS}}
