"""Workflow Action rows: one Open row per document waiting for someone, naming the roles
that can act next; completed (by whom, in which role) when the state moves on."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .engine import condition_holds

if TYPE_CHECKING:
    from ..document.document import Document
    from .model import WorkflowDef


def record(doc: Document, wf: WorkflowDef, previous: str | None, state: str | None) -> None:
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
        roles: set[str] = set()
        for t in wf.transitions:
            target = wf.state(t.next_state)
            if (
                t.state == state
                and target is not None
                and not target.optional
                and condition_holds(ctx, t, doc)
            ):
                roles |= t.roles
        if roles:
            ctx.new_doc(
                "Workflow Action",
                status="Open",
                reference_doctype=doc.doctype,
                reference_name=str(doc.name),
                workflow_state=state,
                permitted_roles=[{"role": r} for r in sorted(roles)],
            ).insert()
