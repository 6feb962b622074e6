"""Workflow Action rows: one Open row per document waiting for someone, naming the roles
that can act next; completed (by whom, in which role) when the state moves on.

Who sees a row (record rules, registered in permissions/record_rules.py): a user holding
one of its permitted roles, or who completed it — and only while they may read the
document it points to. A row tells that a document exists and in which state, so a person
who may not read the document learns nothing from its rows."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from ..db.tables import table_for
from ..exceptions import DoesNotExistError
from ..permissions import has_permission, list_condition
from .conditions import condition_holds
from .notify import email_next_approvers

if TYPE_CHECKING:
    from ..context import Context
    from ..document.document import Document
    from .model import Transition, WorkflowDef

ACTION = "Workflow Action"


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


# -- who sees a row -------------------------------------------------------------------


def workflow_doctypes(ctx: Context) -> list[str]:
    """DocTypes that have (or had) a Workflow record, active or not: rows are only ever
    written for them. One small query per transaction that lists rows — not memoised per
    process, where a rolled-back Workflow change could leave a stale answer behind."""
    key = ("workflow_doctypes", ctx.meta_version)
    if key not in ctx.cache:
        found: list[str] = []
        if ctx.doctype_exists("Workflow"):
            table = table_for(ctx.get_meta("Workflow"))
            stmt = sa.select(table.c.document_type).distinct().order_by(table.c.document_type)
            found = [d for (d,) in ctx.conn.execute(stmt) if d and ctx.doctype_exists(d)]
        ctx.cache[key] = found
    return ctx.cache[key]


def visible_condition(ctx: Context, table: Any) -> sa.ColumnElement[bool]:
    """Query rule: rows whose permitted roles the user holds (or that the user completed)
    and whose document the user may read, as one condition on `table` (may be an alias).
    The subqueries use aliases of their own and never correlate, so this condition may
    sit inside a query on the same tables (e.g. the child rows of Workflow Role)."""
    roles = table_for(ctx.get_meta("Workflow Role")).alias("wa_permitted_role")
    holds_role = table.c.name.in_(
        sa.select(roles.c.parent)
        .where(
            roles.c.parenttype == ACTION,
            roles.c.parentfield == "permitted_roles",
            roles.c.role.in_(ctx.roles),
        )
        .correlate(None)
    )
    concerned = sa.or_(holds_role, table.c.completed_by == ctx.user)
    whole: list[str] = []  # DocTypes the user reads without a record condition
    readable: list[sa.ColumnElement[bool]] = []
    for i, doctype in enumerate(workflow_doctypes(ctx)):
        ref = table_for(ctx.get_meta(doctype)).alias(f"wa_reference_{i}")
        condition = list_condition(ctx, doctype, ref, "read")
        if condition is None or condition is sa.true():
            whole.append(doctype)
        elif condition is not sa.false():
            # reference_name is text; an autoincrement DocType's name is a number
            names = ref.c.name
            if not isinstance(names.type, sa.String):
                names = sa.cast(names, sa.String)
            subquery = sa.select(names).where(condition).correlate(None)
            readable.append(
                sa.and_(table.c.reference_doctype == doctype, table.c.reference_name.in_(subquery))
            )
    if whole:
        readable.insert(0, table.c.reference_doctype.in_(whole))
    if not readable:
        return sa.false()
    return sa.and_(concerned, sa.or_(*readable))


def may_see(ctx: Context, values: dict[str, Any], right: str) -> bool:
    """Document rule, the same test for one row (stored or not), whatever the right."""
    if values.get("completed_by") != ctx.user and not _holds_permitted_role(ctx, values):
        return False
    return _reference_readable(ctx, values.get("reference_doctype"), values.get("reference_name"))


def _holds_permitted_role(ctx: Context, values: dict[str, Any]) -> bool:
    rows = values.get("permitted_roles")
    if rows is not None:
        permitted = {row.get("role") for row in rows}
    elif values.get("name") is not None:  # a bare row without its child table
        roles = table_for(ctx.get_meta("Workflow Role"))
        stmt = sa.select(roles.c.role).where(
            roles.c.parent == str(values["name"]),
            roles.c.parenttype == ACTION,
            roles.c.parentfield == "permitted_roles",
        )
        permitted = {role for (role,) in ctx.conn.execute(stmt)}
    else:
        return False
    return bool(permitted & set(ctx.roles))


def _reference_readable(ctx: Context, doctype: Any, name: Any) -> bool:
    if not doctype or name in (None, "") or not ctx.doctype_exists(str(doctype)):
        return False
    try:
        with ctx.ignore_permissions():  # loading is engine work; the check below is the user's
            reference = ctx.get_doc(str(doctype), name)
    except DoesNotExistError:
        return False
    return has_permission(ctx, str(doctype), "read", reference)
