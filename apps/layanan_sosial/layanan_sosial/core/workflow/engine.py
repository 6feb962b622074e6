"""Transitions: which actions a user may take now, and applying one (Frappe's
apply_workflow semantics, with several roles per transition, creator rules, and the
state's edit roles enforced on the server)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..exceptions import WorkflowPermissionError, WorkflowTransitionError
from ..expressions import ExpressionError, is_true
from .model import State, Transition, WorkflowDef, active_workflow

if TYPE_CHECKING:
    from ..context import Context
    from ..document.document import Document

ADMINISTRATOR = "Administrator"


def _helpers(ctx: Context) -> dict[str, Any]:
    def get_value(doctype: str, name: Any, field: str = "name") -> Any:
        with ctx.ignore_permissions():
            return ctx.get_value(doctype, name, field)

    return {
        "now": lambda: ctx.now().isoformat(sep=" "),
        "today": lambda: ctx.today().isoformat(),
        "get_value": get_value,
    }


def condition_holds(ctx: Context, transition: Transition, doc: Document) -> bool:
    if not transition.condition:
        return True
    try:
        return is_true(transition.condition, doc, names={"user": ctx.user}, helpers=_helpers(ctx))
    except ExpressionError:
        return False  # a broken condition never opens a transition


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


def get_transitions(ctx: Context, doc: Document, wf: WorkflowDef | None = None) -> list[Transition]:
    wf = wf or active_workflow(ctx, doc.doctype)
    if wf is None or doc.is_new():
        return []
    state = doc.get_db_value(wf.state_field) or current_state(wf, doc)
    return [t for t in wf.transitions if t.state == state and may_take(ctx, t, doc)]


def apply_workflow(ctx: Context, doctype: str, name: Any, action: str) -> Document:
    """Take `action` on the stored document as ctx.user; client edits are not applied."""
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
