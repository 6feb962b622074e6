"""The workflow on every save: initial state, state changes only through transitions the
user may take, the state's edit roles, then Workflow Action rows and SLA deadlines; on
delete, the document's actions and deadlines go with it.

Registered when core.document.events dispatches its first event (it imports this package),
so every DocType with an active Workflow is governed without code in its controller."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..document.events import listen
from ..exceptions import WorkflowPermissionError, WorkflowStateError
from . import actions, sla
from .engine import ADMINISTRATOR, may_take
from .model import Transition, WorkflowDef, active_workflow

if TYPE_CHECKING:
    from ..document.document import Document

_IGNORED = frozenset({"modified", "modified_by", "creation", "owner", "idx", "docstatus", "name"})


@listen("before_validate")
def check_state(doc: Document, event: str) -> None:
    wf = active_workflow(doc.ctx, doc.doctype)
    if wf is None or doc.meta.istable:
        return
    field = wf.state_field
    if doc.is_new():
        _check_new(doc, wf)
        return
    if doc.flags.workflow_transition is not None:
        return  # apply_workflow chose and checked the transition
    stored_state = doc.get_db_value(field)
    new_state = doc.get(field) or stored_state
    stored_status = doc.get_db_value("docstatus") or 0
    if doc.docstatus != stored_status:
        _direct_docstatus_change(doc, wf, stored_state)
    elif new_state != stored_state:
        _direct_state_change(doc, wf, stored_state, new_state)
    else:
        _check_edit_roles(doc, wf, stored_state)


def _check_new(doc: Document, wf: WorkflowDef) -> None:
    """A new document starts in the first state (an amendment too: it is a new draft).
    Only a data import (ctx.flags.in_import) may bring documents in a later, known state."""
    field, state = wf.state_field, doc.get(wf.state_field)
    if not state or doc.get("amended_from"):
        doc.set(field, wf.initial.name)
    elif state != wf.initial.name:
        if not doc.ctx.flags.get("in_import"):
            raise WorkflowPermissionError(
                f"Dokumen baru harus berstatus {wf.initial.name}, bukan {state}", field=field
            )
        if wf.state(state) is None:
            raise WorkflowStateError(f"{state} bukan status alur kerja {wf.name}", field=field)


def _available(doc: Document, wf: WorkflowDef, state: str | None) -> list[Transition]:
    return [t for t in wf.transitions if t.state == state and may_take(doc.ctx, t, doc)]


def _direct_docstatus_change(doc: Document, wf: WorkflowDef, stored_state: str | None) -> None:
    """Submit/cancel outside apply_workflow counts only as a transition the user may take."""
    for transition in _available(doc, wf, stored_state):
        target = wf.state(transition.next_state)
        if target is not None and target.doc_status == doc.docstatus:
            doc.set(wf.state_field, target.name)
            if target.update_field:
                doc.set(target.update_field, target.update_value)
            doc.flags.workflow_transition = transition
            return
    raise WorkflowPermissionError(
        f"Dokumen ini diatur alur kerja {wf.name}: gunakan tindakan alur kerja, bukan ajukan/batalkan langsung"
    )


def _direct_state_change(
    doc: Document, wf: WorkflowDef, stored: str | None, new: str | None
) -> None:
    for transition in _available(doc, wf, stored):
        if transition.next_state == new:
            doc.flags.workflow_transition = transition
            return
    raise WorkflowPermissionError(f"Tidak diizinkan mengubah status dari {stored} ke {new}")


def _changed_fields(doc: Document) -> list[str]:
    changed = [
        df.fieldname
        for df in doc.meta.data_fields
        if df.fieldname not in _IGNORED
        and _differs(doc.get_db_value(df.fieldname), doc._data.get(df.fieldname))
    ]
    for df in doc.meta.table_fields:
        rows = doc.get_children(df.fieldname)
        stored = [r for r in rows if r._db_values is not None]
        if len(stored) != len(rows) or any(
            _differs(r._db_values.get(f.fieldname), r._data.get(f.fieldname))
            for r in stored
            for f in r.meta.data_fields
            if f.fieldname not in _IGNORED
        ):
            changed.append(df.fieldname)
    return changed


def _differs(a: Any, b: Any) -> bool:
    if a in (None, "") and b in (None, ""):
        return False
    if isinstance(a, int | float) and isinstance(b, int | float):
        return float(a) != float(b)
    return a != b


def _check_edit_roles(doc: Document, wf: WorkflowDef, state_name: str | None) -> None:
    state = wf.state(state_name)
    ctx = doc.ctx
    if state is None or not state.edit_roles or ctx.user == ADMINISTRATOR:
        return
    if state.edit_roles & set(ctx.roles):
        return
    changed = _changed_fields(doc)
    if changed:
        raise WorkflowPermissionError(
            f"Pada status {state.name} dokumen hanya dapat diubah oleh: {', '.join(sorted(state.edit_roles))}",
            field=changed[0],
        )


@listen("on_change")
def after_save(doc: Document, event: str) -> None:
    wf = active_workflow(doc.ctx, doc.doctype)
    if wf is None or doc.meta.istable:
        return
    state = doc.get(wf.state_field)
    if not doc.is_new() and state == doc.get_db_value(wf.state_field):
        return
    actions.record(doc, wf, state)
    sla.record(doc, wf, state)
    doc.flags.workflow_transition = None


@listen("on_trash")
def on_delete(doc: Document, event: str) -> None:
    if doc.meta.istable or doc.doctype.startswith("Workflow"):
        return
    if active_workflow(doc.ctx, doc.doctype) is None:
        return
    actions.remove(doc)
    sla.remove(doc)
