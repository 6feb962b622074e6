"""Workflow calls over REST, at Frappe's paths."""

from __future__ import annotations

from typing import Any

from ..api.documents import doc_out
from ..api.registry import whitelist
from ..api.request_args import json_arg
from ..exceptions import DataError, ValidationError
from .engine import apply_workflow as _apply
from .engine import get_transitions as _transitions

BULK_LIMIT = 20


def _doc_ref(doc: Any) -> tuple[str, Any]:
    value = json_arg(doc, "doc")
    if not isinstance(value, dict) or not value.get("doctype") or not value.get("name"):
        raise DataError("doc harus berisi doctype dan name")
    return value["doctype"], value["name"]


@whitelist(path="frappe.model.workflow.apply_workflow", methods=("POST",))
def apply_workflow(ctx: Any, doc: Any, action: str) -> dict[str, Any]:
    doctype, name = _doc_ref(doc)
    return doc_out(ctx, _apply(ctx, doctype, name, action))


@whitelist(path="frappe.model.workflow.get_transitions", methods=("GET", "POST"))
def get_transitions(ctx: Any, doc: Any) -> list[dict[str, Any]]:
    doctype, name = _doc_ref(doc)
    document = ctx.get_doc(doctype, name)
    return [
        {
            "state": t.state,
            "action": t.action,
            "next_state": t.next_state,
            "allowed": sorted(t.roles),
            "allow_self_approval": int(t.allow_self_approval),
            "only_creator": int(t.only_creator),
            "condition": t.condition,
        }
        for t in _transitions(ctx, document)
    ]


@whitelist(path="frappe.model.workflow.bulk_workflow_approval", methods=("POST",))
def bulk_workflow_approval(ctx: Any, docnames: Any, doctype: str, action: str) -> dict[str, Any]:
    names = json_arg(docnames, "docnames")
    if not isinstance(names, list):
        raise DataError("docnames harus berupa daftar")
    if len(names) > BULK_LIMIT:
        raise ValidationError(f"Paling banyak {BULK_LIMIT} dokumen sekali jalan")
    done, failed = [], []
    for name in names:
        try:
            with ctx.savepoint():
                _apply(ctx, doctype, name, action)
            done.append(name)
        except Exception as exc:  # reported per document; the others still apply
            failed.append({"name": name, "error": str(exc)})
    return {"success": done, "failed": failed}
