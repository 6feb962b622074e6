"""Active workflows as plain data, loaded once per meta version (saving a Workflow bumps
it, so every process sees the change on its next request).

A transaction that bumps the version and then rolls back leaves the number free for the
next change, so whatever it loaded is dropped on rollback (else a later, different change
would find the rolled-back definition under "its" version)."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..context import Context


@dataclass(frozen=True)
class State:
    name: str
    doc_status: int
    edit_roles: frozenset[str]
    update_field: str | None
    update_value: Any
    optional: bool
    sla_hours: float | None
    escalate_to_role: str | None


@dataclass(frozen=True)
class Transition:
    state: str
    action: str
    next_state: str
    allowed: str | None  # Frappe's one Link role (kept for Frappe-shaped answers)
    roles: frozenset[str]  # `allowed` plus our `allowed_roles` extension
    allow_self_approval: bool
    only_creator: bool
    condition: str | None


@dataclass(frozen=True)
class WorkflowDef:
    name: str
    doctype: str
    state_field: str
    states: tuple[State, ...]
    transitions: tuple[Transition, ...]
    send_email_alert: bool = False
    _by_name: dict[str, State] = field(default_factory=dict, compare=False, hash=False)

    def state(self, name: str | None) -> State | None:
        if not self._by_name:
            self._by_name.update({s.name: s for s in self.states})
        return self._by_name.get(name or "")

    @property
    def initial(self) -> State:
        return self.states[0]


_cache: dict[tuple[str, int], dict[str, WorkflowDef | None]] = {}
_lock = threading.Lock()


def parse_roles(extra: str | None) -> list[str]:
    """Our extension fields list extra roles one per line (or comma separated): a child
    table cannot hold another table, so a Table MultiSelect is not possible there."""
    return [r.strip() for r in (extra or "").replace(",", "\n").splitlines() if r.strip()]


def _roles(primary: str | None, extra: str | None) -> frozenset[str]:
    return frozenset(r for r in [primary, *parse_roles(extra)] if r)


def _load(ctx: Context, doctype: str) -> WorkflowDef | None:
    if not ctx.doctype_exists("Workflow"):
        return None
    with ctx.ignore_permissions():
        name = ctx.get_value("Workflow", {"document_type": doctype, "is_active": 1}, "name")
        if not name:
            return None
        wf = ctx.get_doc("Workflow", name)
    states = tuple(
        State(
            name=row.state,
            doc_status=int(row.get("doc_status") or 0),
            edit_roles=_roles(row.get("allow_edit"), row.get("allow_edit_roles")),
            update_field=row.get("update_field") or None,
            update_value=row.get("update_value"),
            optional=bool(row.get("is_optional_state")),
            sla_hours=float(row.sla_hours) if row.get("sla_hours") else None,
            escalate_to_role=row.get("escalate_to_role") or None,
        )
        for row in wf.get_children("states")
    )
    transitions = tuple(
        Transition(
            state=row.state,
            action=row.action,
            next_state=row.next_state,
            allowed=row.get("allowed") or None,
            roles=_roles(row.get("allowed"), row.get("allowed_roles")),
            allow_self_approval=row.get("allow_self_approval") not in (0, "0"),
            only_creator=bool(row.get("only_creator")),
            condition=(row.get("condition") or "").strip() or None,
        )
        for row in wf.get_children("transitions")
    )
    if not states:
        return None
    return WorkflowDef(
        wf.name,
        doctype,
        wf.get("workflow_state_field") or "workflow_state",
        states,
        transitions,
        bool(wf.get("send_email_alert")),
    )


def active_workflow(ctx: Context, doctype: str) -> WorkflowDef | None:
    """The active workflow of `doctype` (None if none), cached per site and meta version."""
    if doctype.startswith("Workflow") or doctype in ("Comment", "Notification Log", "Version"):
        return None
    memo = ctx.cache.get(("workflow", ctx.meta_version, doctype), _UNSET)
    if memo is not _UNSET:  # every save asks several times: answer from the context first
        return memo
    found = _active_workflow(ctx, doctype)
    ctx.cache[("workflow", ctx.meta_version, doctype)] = found
    return found


_UNSET = object()


def _active_workflow(ctx: Context, doctype: str) -> WorkflowDef | None:
    key = (f"{ctx.site.root}/{ctx.site.name}", ctx.meta_version)
    with _lock:
        per_site = _cache.get(key)
        if per_site is None:
            for old in [k for k in _cache if k[0] == key[0]]:
                del _cache[old]
            per_site = _cache[key] = {}
        if doctype in per_site:
            return per_site[doctype]
    loaded = _load(ctx, doctype)
    with _lock:
        per_site[doctype] = loaded
    ctx.after_rollback(lambda: forget(key[0]))
    return loaded


def forget(site_key: str) -> None:
    with _lock:
        for old in [k for k in _cache if k[0] == site_key]:
            del _cache[old]
