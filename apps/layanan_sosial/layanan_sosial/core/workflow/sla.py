"""SLA deadlines per workflow state (`sla_hours`): a Workflow SLA row per stay in a state
(an engine table, so any DocType gets deadlines without a schema change); a scheduled job
(hooks.py `scheduler_events`) flags overdue rows and escalates each exactly once: an in-app
Notification Log for every enabled user of the state's `escalate_to_role` — or, when the
state names none, of the roles that may act from it — and an email after commit."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from ..email import send_email
from .model import active_workflow
from .notify import document_link
from .recipients import email_address, readers, users_with_roles

if TYPE_CHECKING:
    from ..context import Context
    from ..document.document import Document
    from .model import WorkflowDef


def record(doc: Document, wf: WorkflowDef, state_name: str | None) -> None:
    """Close the document's running deadline and start the new state's one."""
    ctx = doc.ctx
    now = ctx.now()
    with ctx.ignore_permissions():
        rows = ctx.get_all(
            "Workflow SLA",
            fields=["name", "status"],
            filters={
                "reference_doctype": doc.doctype,
                "reference_name": str(doc.name),
                "met_at": ["is", "not set"],
            },
        )
        for row in rows:
            sla = ctx.get_doc("Workflow SLA", row["name"])
            sla.met_at = now
            if sla.status == "Open":
                sla.status = "Met"
            sla.save()
        state = wf.state(state_name)
        if state is not None and state.sla_hours:
            ctx.new_doc(
                "Workflow SLA",
                reference_doctype=doc.doctype,
                reference_name=str(doc.name),
                workflow_state=state.name,
                entered_at=now,
                due_at=now + dt.timedelta(hours=state.sla_hours),
                status="Open",
                escalate_to_role=state.escalate_to_role,
            ).insert()


def running(ctx: Context, doctype: str, name: Any) -> dict[str, Any] | None:
    """The document's running deadline (workflow_state, entered_at, due_at, status,
    escalated_at, is_overdue), or None when its state has no SLA."""
    with ctx.ignore_permissions():
        rows = ctx.get_list(
            "Workflow SLA",
            fields=["workflow_state", "entered_at", "due_at", "status", "escalated_at"],
            filters={
                "reference_doctype": doctype,
                "reference_name": str(name),
                "met_at": ["is", "not set"],
            },
            order_by="creation desc",
            limit_page_length=1,
        )
    if not rows:
        return None
    row = dict(rows[0])
    row["is_overdue"] = row["status"] in ("Overdue", "Escalated") or (
        row["due_at"] is not None and _as_datetime(row["due_at"]) < ctx.now()
    )
    return row


def is_overdue(ctx: Context, doctype: str, name: Any) -> bool:
    """True while the document sits past its state's deadline (flagged by the job or not)."""
    row = running(ctx, doctype, name)
    return bool(row and row["is_overdue"])


def _as_datetime(value: Any) -> dt.datetime:
    return value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))


def remove(doc: Document) -> None:
    """A deleted document has no deadline left to miss."""
    ctx = doc.ctx
    with ctx.ignore_permissions():
        for name in ctx.get_all(
            "Workflow SLA",
            pluck="name",
            filters={"reference_doctype": doc.doctype, "reference_name": str(doc.name)},
        ):
            ctx.get_doc("Workflow SLA", name).delete()


def escalation_roles(ctx: Context, sla: Document) -> set[str]:
    """The row's escalation role, else the roles that may act from its state now."""
    if sla.get("escalate_to_role"):
        return {sla.escalate_to_role}
    wf = active_workflow(ctx, sla.reference_doctype)
    if wf is None:
        return set()
    return set().union(*(t.roles for t in wf.transitions if t.state == sla.workflow_state))


def escalate_overdue(ctx: Context, now: dt.datetime | None = None) -> int:
    """Scheduled job: flag deadlines that passed and escalate each once; returns the count."""
    now = now or ctx.now()
    escalated = 0
    with ctx.ignore_permissions():
        due = ctx.get_all(
            "Workflow SLA",
            fields=["name"],
            order_by="due_at asc",
            filters={"status": "Open", "due_at": ["<", now], "met_at": ["is", "not set"]},
        )
        for row in due:
            sla = ctx.get_doc("Workflow SLA", row["name"], for_update=True)
            if sla.status != "Open":  # another run got there first
                continue
            if not (
                ctx.doctype_exists(sla.reference_doctype)
                and ctx.exists(sla.reference_doctype, sla.reference_name)
            ):
                sla.delete()  # the document went away without passing through on_trash
                continue
            document = ctx.get_doc(sla.reference_doctype, sla.reference_name)
            holders = users_with_roles(ctx, escalation_roles(ctx, sla))
            # the role alone is not enough: a message naming a document discloses it
            recipients = readers(ctx, sla.reference_doctype, document, holders)
            sla.status = "Escalated" if recipients else "Overdue"
            sla.escalated_at = now
            sla.save()
            _notify(ctx, sla, recipients)
            escalated += 1
    return escalated


def _notify(ctx: Context, sla: Document, recipients: list[str]) -> None:
    subject = (
        f"Lewat batas waktu: {sla.reference_doctype} {sla.reference_name} "
        f"masih berstatus {sla.workflow_state} (batas {sla.due_at:%d-%m-%Y %H:%M})"
    )
    for user in recipients:
        log = ctx.new_doc(
            "Notification Log",
            for_user=user,
            type="Alert",
            subject=subject,
            document_type=sla.reference_doctype,
            document_name=sla.reference_name,
        ).insert()
        log.db_set("owner", user, update_modified=False)  # the recipient owns (and may read) it
    emails = [e for e in (email_address(ctx, u) for u in recipients) if e]
    site = ctx.site
    body = f"{subject}\n\nBuka: {document_link(ctx, sla.reference_doctype, sla.reference_name)}"

    def send() -> None:  # one message each: recipients need not see each other
        for email in emails:
            send_email(site, [email], subject, body)

    if emails:
        ctx.after_commit(send)
