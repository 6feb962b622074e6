"""Emails about workflow documents, sent after commit through the site's SMTP server
(core.email): next approvers when a Workflow has `send_email_alert`, and the link both
these and the SLA escalations point to.

Each approver gets their own message naming only the actions *they* may take (their
roles, the creator rules), so an email never invites someone the server would refuse —
and only approvers who may read the document get one: a role alone does not reach a
document outside the user's User Permissions (read asked as each recipient, through
`recipients.may_read`, without touching the acting context)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..email import send_email
from .recipients import email_address, may_read, users_with_roles

if TYPE_CHECKING:
    from ..context import Context
    from ..document.document import Document
    from .model import Transition, WorkflowDef


def document_link(ctx: Context, doctype: str, name: object) -> str:
    base = str(ctx.site.config.get("host_name") or "").rstrip("/")
    return f"{base}/app/{doctype.lower().replace(' ', '-')}/{name}"


def actions_by_user(
    ctx: Context, doc: Document, transitions: list[Transition]
) -> dict[str, list[str]]:
    """{user: actions they may take}, creator rules applied, only users who may read the
    document; the acting user is left out."""
    roles = set().union(*(t.roles for t in transitions)) if transitions else set()
    owner = doc.get("owner")
    found: dict[str, list[str]] = {}
    for user, held in users_with_roles(ctx, roles).items():
        if user == ctx.user:
            continue
        for t in transitions:
            if not (t.roles & held):
                continue
            if t.only_creator and user != owner:
                continue
            if not t.allow_self_approval and user == owner:
                continue
            if t.action not in found.setdefault(user, []):
                found[user].append(t.action)
        # asked last: it may cost queries, and only those invited are asked
        if not found.get(user) or not may_read(ctx, user, doc.doctype, doc):
            found.pop(user, None)
    return found


def email_next_approvers(
    ctx: Context, doc: Document, wf: WorkflowDef, state: str, transitions: list[Transition]
) -> None:
    if not wf.send_email_alert or not transitions:
        return
    site, link = ctx.site, document_link(ctx, doc.doctype, doc.name)
    subject = f"Menunggu tindakan Anda: {doc.doctype} {doc.name} ({state})"
    messages = []
    for user, actions in actions_by_user(ctx, doc, transitions).items():
        address = email_address(ctx, user)
        if address:
            body = (
                f"{doc.doctype} {doc.name} kini berstatus {state}.\n"
                f"Tindakan yang dapat Anda ambil: {', '.join(actions)}.\n\nBuka: {link}"
            )
            messages.append((address, body))

    def send() -> None:
        for address, body in messages:
            send_email(site, [address], subject, body)

    if messages:
        ctx.after_commit(send)
