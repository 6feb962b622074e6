"""SLA deadlines per workflow state (`sla_hours`): a Workflow SLA row per stay in a state;
a scheduled job flags overdue rows and escalates each exactly once (in-app Notification
Log for every enabled user of the escalation role, and an email after commit)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from ..db.tables import table_for
from ..email import send_email

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


def is_overdue(ctx: Context, doctype: str, name: Any) -> bool:
    with ctx.ignore_permissions():
        return bool(
            ctx.get_count(
                "Workflow SLA",
                {
                    "reference_doctype": doctype,
                    "reference_name": str(name),
                    "status": ["in", ["Overdue", "Escalated"]],
                    "met_at": ["is", "not set"],
                },
            )
        )


def users_with_role(ctx: Context, role: str) -> list[str]:
    users = table_for(ctx.get_meta("User"))
    has_role = table_for(ctx.get_meta("Has Role"))
    stmt = (
        sa.select(users.c.name)
        .select_from(
            users.join(
                has_role, (has_role.c.parent == users.c.name) & (has_role.c.parenttype == "User")
            )
        )
        .where(has_role.c.role == role, users.c.enabled == 1)
        .distinct()
    )
    return sorted(r[0] for r in ctx.conn.execute(stmt))


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
            recipients = users_with_role(ctx, sla.escalate_to_role) if sla.escalate_to_role else []
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
    emails = [u for u in recipients if "@" in u]
    site = ctx.site
    body = f"{subject}\n\nBuka: /app/{sla.reference_doctype.lower().replace(' ', '-')}/{sla.reference_name}"
    ctx.after_commit(lambda: send_email(site, emails, subject, body))
