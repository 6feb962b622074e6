"""`/api/resource/<DocType>[/<name>]` (v1) and `/api/v2/document/…`, `/api/v2/doctype/…`."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from ..exceptions import DataError, PermissionError_
from ..permissions import readable_fieldnames, strip_unreadable
from . import responses
from .documents import check_body, check_doctype_access, doc_out, require_doctype
from .request_args import json_arg
from .runner import Call

LIST_KEYS = (
    "fields",
    "filters",
    "or_filters",
    "order_by",
    "group_by",
    "limit_start",
    "limit_page_length",
    "limit",
    "as_dict",
    "parent",
    "start",
)


def _flag(value: Any) -> bool:
    return str(value).strip().lower() in ("1", "true", "yes")


def _list(call: Call, *, v2: bool) -> Response:
    ctx, args, doctype = call.ctx, call.args, call.path["doctype"]
    meta = ctx.get_meta(doctype) if ctx.doctype_exists(doctype) else None
    parent = args.get("parent")
    check_doctype_access(ctx, parent if meta is not None and meta.istable and parent else doctype)
    query = {k: args[k] for k in LIST_KEYS if k in args}
    for key in ("fields", "filters", "or_filters"):
        if key in query:
            query[key] = json_arg(query[key], key)
    if v2:
        limit = int(args.get("limit") or 20)
        query["limit_page_length"] = limit + 1
        query["limit_start"] = args.get("start") or 0
        query.pop("limit", None)
        query.pop("start", None)
    rows = ctx.get_list(doctype, **query)
    extra: dict[str, Any] = {}
    if v2:
        extra["has_next_page"] = len(rows) > limit
        rows = rows[:limit]
    if _flag(args.get("with_count")) or (v2 and args.get("include") == "count"):
        extra["count"] = ctx.get_count(
            doctype, query.get("filters"), or_filters=query.get("or_filters"), parent=parent
        )
    if (
        _flag(args.get("with_child_rows"))
        and rows
        and isinstance(rows[0], dict)
        and "name" in rows[0]
    ):
        _attach_children(call, doctype, rows)
    return responses.data(rows, **extra)


def _attach_children(call: Call, doctype: str, rows: list[dict[str, Any]]) -> None:
    """Our addition: child tables of each listed document in one query per table field —
    only tables at levels the user may read, their rows stripped like the parent's."""
    ctx, meta = call.ctx, call.ctx.get_meta(doctype)
    names = [r["name"] for r in rows]
    readable = readable_fieldnames(ctx, meta) if ctx.enforce_permissions else None
    for df in meta.table_fields:
        if readable is not None and df.fieldname not in readable:
            continue
        child_meta = ctx.get_meta(df.options)
        children = ctx.get_all(
            df.options,
            fields=["*"],
            parent=doctype,
            filters={"parent": ["in", names], "parentfield": df.fieldname},
            order_by="idx asc",
        )
        grouped: dict[Any, list[Any]] = {}
        for child in children:
            row = strip_unreadable(ctx, child_meta, child, doctype)
            grouped.setdefault(child["parent"], []).append(row)
        for row in rows:
            row[df.fieldname] = grouped.get(row["name"], [])


def list_v1(call: Call) -> Response:
    return _list(call, v2=False)


def list_v2(call: Call) -> Response:
    return _list(call, v2=True)


def _body(call: Call) -> dict[str, Any]:
    wrapped = call.args.get("data")
    is_wrapper = isinstance(wrapped, str) and wrapped.lstrip().startswith("{")
    body = json_arg(wrapped, "data") if is_wrapper else call.args  # form field data=<json>
    if not isinstance(body, dict):
        raise DataError("Isi permintaan harus berupa objek dokumen")
    return {k: v for k, v in body.items() if k not in ("run_method", "csrf_token", "sid")}


def create(call: Call, *, v2: bool = False) -> Response:
    ctx, doctype = call.ctx, call.path["doctype"]
    meta = require_doctype(ctx, doctype)
    if meta.istable:
        raise PermissionError_(f"{doctype} adalah tabel anak; simpan melalui dokumen induknya")
    check_doctype_access(ctx, doctype, "create")  # 403 before Link checks, as in Frappe
    body = check_body(ctx, meta, _body(call))
    body.pop("doctype", None)
    if not v2 and meta.autoname.lower() != "prompt":
        body.pop("name", None)  # Frappe v1 discards a client name unless the rule asks for it
    doc = ctx.new_doc(doctype, body).insert()
    return responses.data(doc_out(ctx, doc, v2=v2))


def read(call: Call, *, v2: bool = False) -> Response:
    ctx = call.ctx
    doc = ctx.get_doc(call.path["doctype"], call.path["name"])
    if "run_method" in call.args:
        return _run_method(call, doc, str(call.args["run_method"]))
    return responses.data(doc_out(ctx, doc, v2=v2))


def update(call: Call, *, v2: bool = False) -> Response:
    ctx = call.ctx
    doc = ctx.get_doc(call.path["doctype"], call.path["name"], for_update=True)
    if "run_method" in call.args:
        return _run_method(call, doc, str(call.args["run_method"]))
    body = check_body(ctx, doc.meta, _body(call))
    for key in ("name", "doctype", "owner", "creation", "modified_by"):
        body.pop(key, None)
    doc.update(body)
    doc.save()
    return responses.data(doc_out(ctx, doc, v2=v2))


def delete(call: Call) -> Response:
    doc = call.ctx.get_doc(call.path["doctype"], call.path["name"], for_update=True)
    doc.delete()
    return responses.data("ok", status=202)


def _run_method(call: Call, doc: Any, method: str) -> Response:
    fn = getattr(doc, method, None)
    if fn is None or not getattr(fn, "whitelisted", False):
        raise PermissionError_(f"Method {method} is not whitelisted")
    right = "read" if call.info.method == "GET" else "write"
    call.ctx.check_permission(doc.doctype, right, doc)
    kwargs = json_arg(call.args.get("args"), "args") or {}
    if not isinstance(kwargs, dict):
        kwargs = {}
    return responses.data(fn(**kwargs))


def doc_method_v2(call: Call) -> Response:
    ctx = call.ctx
    doc = ctx.get_doc(call.path["doctype"], call.path["name"], for_update=call.info.method != "GET")
    method = call.path["method"]
    if method in ("submit", "cancel"):
        getattr(doc, method)()
        return responses.data(doc_out(ctx, doc, v2=True))
    call.args = {"args": {k: v for k, v in call.args.items()}}
    return _run_method(call, doc, method)


def meta_v2(call: Call) -> Response:
    ctx = call.ctx
    if call.auth.user == "Guest":
        raise PermissionError_("Not permitted")
    return responses.data(require_doctype(ctx, call.path["doctype"]).as_dict())


def count_v2(call: Call) -> Response:
    ctx, doctype = call.ctx, call.path["doctype"]
    check_doctype_access(ctx, doctype)
    return responses.data(ctx.get_count(doctype, json_arg(call.args.get("filters"), "filters")))
