"""Workspaces: the desk's home pages (Frappe's Workspace + Number Card, as records).

A `Workspace` record (title, module, roles, `number_cards`, `shortcuts`, optional chart of a
report) is shown at `/app/<slug of its title>` when no DocType has that slug, and listed on
`/app`. Shipped workspaces are module fixtures (`<module>/fixtures/workspace.json`), so an
administrator may edit them and migrate leaves the edits alone.

Number cards count with `ctx.get_count` as the reader — one count query per card, scoped by
their permissions and User Permissions. Filters use Frappe's syntax (`[[field, op, value]]`,
`[[doctype, field, op, value]]` or `{field: value}`) with dynamic values resolved at request
time: `@now`, `@today`, `@year`, `@user`, and offsets such as `@now-24h`, `@today-7d`,
`@today+3d`. A card whose DocType the user may not read is not shown; a card with a
`workflow_action` counts only documents in states where one of the user's roles may take
that action, and is hidden from users who may take it nowhere.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from ..exceptions import DoesNotExistError, LayananError, PermissionError_
from ..permissions import has_permission
from ..report.access import check_access, load
from ..users import ADMINISTRATOR
from ..workflow.model import active_workflow
from . import charts, dash_strings  # noqa: F401 - dash_strings adds UI strings
from .doctypes import doctype_for_slug, slug
from .session import DeskRequest

if TYPE_CHECKING:
    from ..context import Context
    from ..document import Document

WORKSPACE = "Workspace"
TOKEN = re.compile(r"^@(now|today|year|user)(?:([+-])(\d{1,5})([hdw]))?$")
COLORS = {"Netral": "neutral", "Info": "info", "Baik": "good", "Perhatian": "warn", "Bahaya": "bad"}

router = APIRouter()


# -- filters -----------------------------------------------------------------------------


def resolve_value(ctx: Context, value: Any) -> Any:
    """A dynamic token (`@today-7d`, `@now-24h`, `@user`, `@year`) → its value now."""
    if isinstance(value, list):
        return [resolve_value(ctx, v) for v in value]
    if not isinstance(value, str):
        return value
    found = TOKEN.match(value.strip())
    if not found:
        return value
    kind, sign, amount, unit = found.groups()
    if kind == "user":
        return ctx.user
    if kind == "year":
        return ctx.today().year + (int(amount) * (1 if sign == "+" else -1) if amount else 0)
    base: dt.date | dt.datetime = ctx.now().replace(microsecond=0) if kind == "now" else ctx.today()
    if amount:
        hours = {"h": 1, "d": 24, "w": 24 * 7}[unit] * int(amount)
        delta = dt.timedelta(hours=hours)
        base = base + delta if sign == "+" else base - delta
    return base


def parse_filters(raw: Any) -> list[list[Any]]:
    """Frappe-style filters (JSON text, list or dict) → [[field, op, value], …]."""
    if raw in (None, ""):
        return []
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError as exc:
            raise LayananError(f"Filter bukan JSON yang sah: {exc}") from exc
    if isinstance(raw, dict):
        return [
            [k, v[0], v[1]] if isinstance(v, list) and len(v) == 2 else [k, "=", v]
            for k, v in raw.items()
        ]
    out: list[list[Any]] = []
    for item in raw or []:
        if not isinstance(item, list) or len(item) not in (3, 4):
            raise LayananError(f"Filter tidak dikenal: {item!r}")
        out.append(list(item[-3:]))
    return out


def resolve_filters(ctx: Context, raw: Any) -> list[list[Any]]:
    return [[f, op, resolve_value(ctx, v)] for f, op, v in parse_filters(raw)]


def _query_value(value: Any) -> str:
    if isinstance(value, list):
        return ",".join(_query_value(v) for v in value)
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    return "" if value is None else str(value)


def list_url(doctype: str, filters: list[list[Any]], view: str = "") -> str:
    """The desk list (or report view) of `doctype` with these filters (?ff/fo/fv)."""
    params: list[tuple[str, str]] = []
    for fieldname, op, value in filters:
        params += [("ff", fieldname), ("fo", op), ("fv", _query_value(value))]
    base = f"/app/{slug(doctype)}{view}"
    return base + ("?" + urlencode(params) if params else "")


# -- view-model --------------------------------------------------------------------------


@dataclass
class Card:
    label: str
    doctype: str
    count: int | None
    url: str
    color: str
    error: str = ""


@dataclass
class Shortcut:
    label: str
    url: str
    kind: str


@dataclass
class WorkspacePage:
    name: str
    title: str
    description: str
    cards: list[Card] = field(default_factory=list)
    shortcuts: list[Shortcut] = field(default_factory=list)
    chart: Any = None
    chart_title: str = ""
    chart_url: str = ""
    can_edit: bool = False


def _roles_allow(ctx: Context, doc: Document) -> bool:
    roles = {r.get("role") for r in doc.get_children("roles") if r.get("role")}
    return not roles or not ctx.enforce_permissions or bool(roles & set(ctx.roles))


def _action_states(ctx: Context, doctype: str, action: str) -> tuple[str, list[str]] | None:
    """(state field, states) where the user may take `action`; None when nowhere."""
    wf = active_workflow(ctx, doctype)
    if wf is None:
        return None
    everyone = not ctx.enforce_permissions or ctx.user == ADMINISTRATOR
    roles = set(ctx.roles)
    states = sorted(
        {t.state for t in wf.transitions if t.action == action and (everyone or t.roles & roles)}
    )
    return (wf.state_field, states) if states else None


def build_card(ctx: Context, row: Any) -> Card | None:
    doctype = row.get("document_type") or ""
    if not doctype or not ctx.doctype_exists(doctype) or not has_permission(ctx, doctype, "read"):
        return None
    color = COLORS.get(row.get("color") or "", "neutral")
    label = row.get("label") or doctype
    try:
        filters = resolve_filters(ctx, row.get("filters"))
        action = (row.get("workflow_action") or "").strip()
        if action:
            found = _action_states(ctx, doctype, action)
            if found is None:
                return None
            filters.append([found[0], "in", found[1]])
        count = ctx.get_count(doctype, filters=filters)
    except LayananError as exc:
        return Card(label, doctype, None, f"/app/{slug(doctype)}", color, exc.message)
    return Card(label, doctype, count, list_url(doctype, filters), color)


def build_shortcut(ctx: Context, row: Any) -> Shortcut | None:
    kind = row.get("type") or "DocType"
    target = (row.get("link_to") or "").strip()
    label = row.get("label") or target
    try:
        if kind == "URL":
            url = str(row.get("url") or "")
            if not url.startswith("/app"):
                return None  # only desk addresses: a workspace never links users away
            first = url.split("?")[0].split("/")[2:3]
            if first and first[0] and first[0] not in ("query-report", "search"):
                try:
                    meta = doctype_for_slug(ctx, first[0])
                except DoesNotExistError:
                    return Shortcut(label, url, kind)  # another workspace, a page
                if not has_permission(ctx, meta.name, "read"):
                    return None
            return Shortcut(label, url, kind)
        if kind == "Report":
            report = load(ctx, target)
            check_access(ctx, report)
            values = {k: resolve_value(ctx, v) for k, v in _dict(row.get("filters")).items()}
            query = urlencode({k: _query_value(v) for k, v in values.items()})
            return Shortcut(label, f"/app/query-report/{quote(report.name)}?{query}", kind)
        if not ctx.doctype_exists(target):
            return None
        view = row.get("doc_view") or "List"
        if view == "New":
            if not has_permission(ctx, target, "create"):
                return None
            return Shortcut(label, f"/app/{slug(target)}/new", "New")
        if not has_permission(ctx, target, "read"):
            return None
        suffix = "/view/report" if view == "Report View" else ""
        return Shortcut(
            label, list_url(target, resolve_filters(ctx, row.get("filters")), suffix), view
        )
    except LayananError:
        return None


def _dict(raw: Any) -> dict[str, Any]:
    if raw in (None, ""):
        return {}
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError:
            return {}
    return raw if isinstance(raw, dict) else {}


def _chart(ctx: Context, doc: Document) -> tuple[Any, str, str]:
    """The chart of the workspace's report, run as the reader (hidden when not allowed)."""
    from ..report.runner import run_report

    name = doc.get("chart_report")
    if not name:
        return None, "", ""
    values = {k: resolve_value(ctx, v) for k, v in _dict(doc.get("chart_filters")).items()}
    try:
        result = run_report(ctx, name, values)
    except LayananError:
        return None, "", ""
    chart = result.get("chart")
    if not chart:
        return None, "", ""
    query = urlencode({k: _query_value(v) for k, v in values.items()})
    return chart, name, f"/app/query-report/{quote(name)}?{query}"


def find_workspace(ctx: Context, value: str) -> str | None:
    """The Workspace whose title slugs to `value` (or whose name is `value`)."""
    with ctx.ignore_permissions():
        names = ctx.get_all(WORKSPACE, pluck="name")
    for name in names:
        if name == value or slug(name) == value.lower():
            return name
    return None


def build_workspace(ctx: Context, name: str) -> WorkspacePage:
    with ctx.ignore_permissions():  # the record is configuration; its contents are checked
        doc = ctx.get_doc(WORKSPACE, name)
    if not _roles_allow(ctx, doc):
        raise DoesNotExistError(f"Ruang kerja {name} tidak ditemukan")
    page = WorkspacePage(
        name=doc.name,
        title=doc.get("title") or doc.name,
        description=doc.get("description") or "",
        can_edit=has_permission(ctx, WORKSPACE, "write"),
    )
    page.cards = [c for c in (build_card(ctx, r) for r in doc.get_children("number_cards")) if c]
    page.shortcuts = [
        s for s in (build_shortcut(ctx, r) for r in doc.get_children("shortcuts")) if s
    ]
    page.chart, page.chart_title, page.chart_url = _chart(ctx, doc)
    if not (page.cards or page.shortcuts or page.chart):  # nothing of it is the user's
        raise PermissionError_(f"Anda tidak diizinkan membuka ruang kerja {page.title}")
    return page


def visible_workspaces(ctx: Context) -> list[dict[str, Any]]:
    """Workspaces for the home page: not hidden, the user holds one of their roles (if any)
    and may read at least one of their card DocTypes or shortcut targets (no counting)."""
    with ctx.ignore_permissions():
        rows = ctx.get_all(
            WORKSPACE,
            fields=["name", "title", "description", "module"],
            filters={"hidden": 0},
            order_by="sequence asc, title asc",
        )
        docs = [ctx.get_doc(WORKSPACE, r["name"]) for r in rows]
    out = []
    for row, doc in zip(rows, docs, strict=True):
        if not _roles_allow(ctx, doc):
            continue
        targets = [c.get("document_type") for c in doc.get_children("number_cards")]
        targets += [
            s.get("link_to") for s in doc.get_children("shortcuts") if s.get("type") != "Report"
        ]
        readable = any(
            t and ctx.doctype_exists(t) and has_permission(ctx, t, "read") for t in targets
        )
        reports = [
            s.get("link_to") for s in doc.get_children("shortcuts") if s.get("type") == "Report"
        ]
        if doc.get("chart_report"):
            reports.append(doc.get("chart_report"))
        if readable or any(_report_allowed(ctx, r) for r in reports if r):
            out.append({**row, "url": f"/app/{slug(row['name'])}"})
    return out


def _report_allowed(ctx: Context, name: str) -> bool:
    try:
        check_access(ctx, load(ctx, name))
    except LayananError:
        return False
    return True


# -- page --------------------------------------------------------------------------------


def workspace_response(request: Request, desk: Any, name: str) -> Response:
    """The page of one workspace (called for `/app/<slug>` when no DocType has the slug)."""
    from .routes import error_page, render

    try:
        page = build_workspace(desk.ctx, name)
    except LayananError as exc:
        return error_page(desk, exc)
    chart_svg = charts.render(page.chart, page.chart_title) if page.chart else ""
    return render(desk, "workspace.html", ws=page, chart_svg=chart_svg)


@router.get("/app/workspace-page/{name}", response_class=HTMLResponse)
def workspace_by_name(request: Request, name: str, desk: DeskRequest) -> Response:
    """A workspace by its exact name (for titles whose slug a DocType already uses)."""
    desk.require_user(request)
    return workspace_response(request, desk, name)
