"""Workflow calls over REST, at Frappe's paths (registered when core.api.routes imports
this module), plus our SLA status call."""

from __future__ import annotations

from typing import Any

from ..api.documents import doc_out
from ..api.registry import whitelist
from ..api.request_args import json_arg
from ..exceptions import DataError, ValidationError
from . import sla
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
    """Frappe's call: `doc` is a JSON string or object with at least doctype and name;
    only the stored document counts (client edits are ignored, as in Frappe)."""
    doctype, name = _doc_ref(doc)
    return doc_out(ctx, _apply(ctx, {"doctype": doctype, "name": name}, action))


@whitelist(path="frappe.model.workflow.get_transitions", methods=("GET", "POST"))
def get_transitions(ctx: Any, doc: Any) -> list[dict[str, Any]]:
    doctype, name = _doc_ref(doc)
    return _transitions(ctx, ctx.get_doc(doctype, name))


@whitelist(path="frappe.model.workflow.bulk_workflow_approval", methods=("POST",))
def bulk_workflow_approval(ctx: Any, docnames: Any, doctype: str, action: str) -> dict[str, Any]:
    """Apply one action to up to BULK_LIMIT documents in this request; each either moves
    or is reported in `failed` with the reason, without undoing the others."""
    names = json_arg(docnames, "docnames")
    if not isinstance(names, list):
        raise DataError("docnames harus berupa daftar")
    if len(names) > BULK_LIMIT:
        raise ValidationError(f"Paling banyak {BULK_LIMIT} dokumen sekali jalan")
    done, failed = [], []
    for name in names:
        try:
            with ctx.savepoint():
                _apply(ctx, {"doctype": doctype, "name": name}, action)
            done.append(name)
        except Exception as exc:  # reported per document; the others still apply
            failed.append({"name": name, "error": str(exc), "exc_type": type(exc).__name__})
    return {"success": done, "failed": failed}


@whitelist(methods=("GET", "POST"))
def get_sla(ctx: Any, doctype: str, name: str) -> dict[str, Any] | None:
    """The document's running SLA deadline (None when its state has none); the caller
    must be able to read the document."""
    ctx.get_doc(doctype, name)  # read permission
    return sla.running(ctx, doctype, name)
