"""Workflow Action rows: one Open row per document waiting for someone, naming the roles
that can act next; completed (by whom, in which role) when the state moves on."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .conditions import condition_holds
from .notify import email_next_approvers

if TYPE_CHECKING:
    from ..document.document import Document
    from .model import Transition, WorkflowDef


def next_transitions(doc: Document, wf: WorkflowDef, state: str | None) -> list[Transition]:
    """Transitions out of `state` someone could take next (Frappe skips those into an
    optional state and those whose condition fails now)."""
    found = []
    for t in wf.transitions:
        target = wf.state(t.next_state)
        if t.state != state or target is None or target.optional:
            continue
        if condition_holds(doc.ctx, t, doc):
            found.append(t)
    return found


def record(doc: Document, wf: WorkflowDef, state: str | None) -> None:
    ctx = doc.ctx
    with ctx.ignore_permissions():
        open_rows = ctx.get_all(
            "Workflow Action",
            pluck="name",
            filters={
                "reference_doctype": doc.doctype,
                "reference_name": str(doc.name),
                "status": "Open",
            },
        )
        transition = doc.flags.workflow_transition
        role = None
        if transition is not None:
            role = next((r for r in ctx.roles if r in transition.roles), None)
        for name in open_rows:
            row = ctx.get_doc("Workflow Action", name)
            row.update({"status": "Completed", "completed_by": ctx.user, "completed_by_role": role})
            row.save()
        upcoming = next_transitions(doc, wf, state)
        roles = sorted(set().union(*(t.roles for t in upcoming))) if upcoming else []
        if roles:
            ctx.new_doc(
                "Workflow Action",
                status="Open",
                reference_doctype=doc.doctype,
                reference_name=str(doc.name),
                workflow_state=state,
                permitted_roles=[{"role": r} for r in roles],
            ).insert()
    if state:
        email_next_approvers(ctx, doc, wf, state, upcoming)


def remove(doc: Document) -> None:
    """A deleted document leaves no actions behind (as in Frappe)."""
    ctx = doc.ctx
    with ctx.ignore_permissions():
        for name in ctx.get_all(
            "Workflow Action",
            pluck="name",
            filters={"reference_doctype": doc.doctype, "reference_name": str(doc.name)},
        ):
            ctx.get_doc("Workflow Action", name).delete()
