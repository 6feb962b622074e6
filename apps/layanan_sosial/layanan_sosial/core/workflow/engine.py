"""Transitions: which actions a user may take now, and applying one (Frappe's
apply_workflow semantics, with several roles per transition, creator rules, and the
state's edit roles enforced on the server)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ..exceptions import DataError, WorkflowPermissionError, WorkflowTransitionError
from .conditions import condition_holds
from .model import State, Transition, WorkflowDef, active_workflow

if TYPE_CHECKING:
    from ..context import Context
    from ..document.document import Document

ADMINISTRATOR = "Administrator"


def may_take(ctx: Context, transition: Transition, doc: Document) -> bool:
    """Role, creator rules and condition — everything but the current state."""
    if ctx.user != ADMINISTRATOR and not (transition.roles & set(ctx.roles)):
        return False
    owner = doc.get("owner")
    if transition.only_creator and owner != ctx.user:
        return False
    if not transition.allow_self_approval and owner == ctx.user and ctx.user != ADMINISTRATOR:
        return False
    return condition_holds(ctx, transition, doc)


def current_state(wf: WorkflowDef, doc: Document) -> str | None:
    return doc.get(wf.state_field)


def available(ctx: Context, doc: Document, wf: WorkflowDef | None = None) -> list[Transition]:
    """Transitions ctx.user may take from the document's stored state, in definition order."""
    wf = wf or active_workflow(ctx, doc.doctype)
    if wf is None or doc.is_new():
        return []
    state = doc.get_db_value(wf.state_field) or current_state(wf, doc)
    return [t for t in wf.transitions if t.state == state and may_take(ctx, t, doc)]


def get_transitions(ctx: Context, doc: Document) -> list[dict[str, Any]]:
    """Frappe's get_transitions: the available transitions as dicts (see transition_as_dict)."""
    return [transition_as_dict(t) for t in available(ctx, doc)]


def transition_as_dict(transition: Transition) -> dict[str, Any]:
    """A transition as Frappe's get_transitions returns it (`allowed` is one role), with our
    extensions beside it: every role that may take it, and the creator rule."""
    return {
        "state": transition.state,
        "action": transition.action,
        "next_state": transition.next_state,
        "allowed": transition.allowed or min(transition.roles, default=None),
        "allowed_roles": sorted(transition.roles),
        "allow_self_approval": int(transition.allow_self_approval),
        "only_creator": int(transition.only_creator),
        "condition": transition.condition,
    }


def _reference(doc: Document | Mapping[str, Any]) -> tuple[str, Any]:
    if isinstance(doc, Mapping):
        doctype, name = doc.get("doctype"), doc.get("name")
    else:
        doctype, name = doc.doctype, doc.name
    if not doctype or name in (None, ""):
        raise DataError("dokumen harus berisi doctype dan name")
    return str(doctype), name


def apply_workflow(ctx: Context, doc: Document | Mapping[str, Any], action: str) -> Document:
    """Take `action` on the document as ctx.user and return it saved. Like Frappe, the
    document is reloaded from the database: unsaved edits in `doc` are not applied."""
    doctype, name = _reference(doc)
    wf = active_workflow(ctx, doctype)
    if wf is None:
        raise WorkflowTransitionError(f"{doctype} tidak memiliki alur kerja aktif")
    doc = ctx.get_doc(doctype, name, for_update=True)
    state = current_state(wf, doc)
    candidates = [t for t in wf.transitions if t.state == state and t.action == action]
    if not candidates:
        raise WorkflowTransitionError(
            f"Not a valid Workflow Action: '{action}' tidak tersedia pada status {state}"
        )
    allowed = [t for t in candidates if may_take(ctx, t, doc)]
    if not allowed:
        raise WorkflowPermissionError(_refusal(ctx, candidates[0], doc))
    transition = allowed[0]
    next_state = wf.state(transition.next_state)
    if next_state is None:
        raise WorkflowTransitionError(
            f"status {transition.next_state} tidak ada di alur kerja {wf.name}"
        )
    doc.set(wf.state_field, next_state.name)
    if next_state.update_field:
        doc.set(next_state.update_field, next_state.update_value)
    doc.flags.workflow_transition = transition
    _save_with_docstatus(doc, next_state)
    _comment(ctx, doc, next_state.name)
    return doc


def _refusal(ctx: Context, transition: Transition, doc: Document) -> str:
    if transition.only_creator and doc.get("owner") != ctx.user:
        return f"Hanya pembuat dokumen yang dapat melakukan '{transition.action}'"
    if not transition.allow_self_approval and doc.get("owner") == ctx.user:
        return f"Pembuat dokumen tidak boleh melakukan '{transition.action}' sendiri"
    if ctx.user != ADMINISTRATOR and not (transition.roles & set(ctx.roles)):
        return f"Peran Anda tidak diizinkan melakukan '{transition.action}'"
    return f"Syarat untuk '{transition.action}' belum terpenuhi"


def _save_with_docstatus(doc: Document, next_state: State) -> None:
    current, target = doc.docstatus, next_state.doc_status
    if (current, target) in ((0, 0), (1, 1)):
        doc.save()
    elif (current, target) == (0, 1):
        doc.submit()
    elif (current, target) == (1, 2):
        doc.cancel()
    else:
        raise WorkflowTransitionError(f"Illegal Document Status: {current} → {target}")


def _comment(ctx: Context, doc: Document, state: str) -> None:
    with ctx.ignore_permissions():
        ctx.new_doc(
            "Comment",
            comment_type="Workflow",
            reference_doctype=doc.doctype,
            reference_name=str(doc.name),
            reference_owner=doc.get("owner"),
            content=state,
            comment_email=ctx.user,
            comment_by=ctx.user,
        ).insert()
