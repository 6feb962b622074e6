"""The form view-model: layout (tabs → sections → columns → fields) from Tab/Section/Column
Breaks, which fields the user may read and change, the document as the browser edits it,
the workflow transitions the user may take, and the timeline."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..api.documents import doc_out
from ..permissions import has_permission, readable_fieldnames, role_rights
from ..workflow.engine import available
from ..workflow.model import active_workflow
from .formatting import format_value

if TYPE_CHECKING:
    from ..context import Context
    from ..document.document import Document
    from ..meta.model import DocField, Meta

LAYOUT_TYPES = frozenset({"Tab Break", "Section Break", "Column Break"})
NO_INPUT = frozenset({"HTML", "Button", "Heading", "Fold", "Image"})


@dataclass
class Section:
    label: str = ""
    fieldname: str = ""
    depends_on: str = ""
    collapsible: bool = False
    columns: list[list[DocField]] = field(default_factory=lambda: [[]])


@dataclass
class Tab:
    label: str
    fieldname: str
    sections: list[Section] = field(default_factory=lambda: [Section()])


def layout(meta: Meta, readable: set[str], default_tab: str = "") -> list[Tab]:
    """Tabs of sections of columns; empty sections and tabs are dropped."""
    tabs = [Tab(default_tab, "__details")]
    for df in meta.fields:
        kind = df.fieldtype
        if kind == "Tab Break":
            tabs.append(Tab(df.label or df.fieldname, df.fieldname))
        elif kind == "Section Break":
            tabs[-1].sections.append(
                Section(
                    df.label or "",
                    df.fieldname,
                    str(df.get("depends_on") or ""),
                    df.flag("collapsible"),
                )
            )
        elif kind == "Column Break":
            tabs[-1].sections[-1].columns.append([])
        elif df.flag("hidden") or (df.has_column and df.fieldname not in readable):
            continue
        elif df.is_table and df.fieldname not in readable:
            continue
        else:
            tabs[-1].sections[-1].columns[-1].append(df)
    out = []
    for tab in tabs:
        tab.sections = [s for s in tab.sections if any(s.columns)]
        for section in tab.sections:
            section.columns = [c for c in section.columns if c] or [[]]
        if tab.sections:
            out.append(tab)
    return out


@dataclass
class GridColumn:
    fieldname: str
    label: str
    fieldtype: str
    options: str
    reqd: bool
    select_options: list[str]


def grid_columns(meta: Meta) -> list[GridColumn]:
    """Columns of a child table's grid: its in_list_view fields, else the first four."""
    fields = [df for df in meta.fields if df.has_column and not df.flag("hidden")]
    chosen = [df for df in fields if df.flag("in_list_view")] or fields[:4]
    return [
        GridColumn(
            df.fieldname,
            df.label or df.fieldname,
            df.fieldtype,
            df.options,
            df.flag("reqd"),
            df.select_options if df.fieldtype == "Select" else [],
        )
        for df in chosen
    ]


def multiselect_link(meta: Meta) -> tuple[str, str]:
    """(fieldname, DocType) of the Link a Table MultiSelect's child rows hold."""
    for df in meta.fields:
        if df.fieldtype == "Link":
            return df.fieldname, df.options
    return "", ""


@dataclass
class FormPage:
    meta: Meta
    doc: dict[str, Any]
    is_new: bool
    tabs: list[Tab]
    writable: set[str]
    grids: dict[str, list[GridColumn]]
    multis: dict[str, tuple[str, str]]
    transitions: list[dict[str, Any]]
    state_field: str | None
    can_save: bool
    can_submit: bool
    can_cancel: bool
    can_amend: bool
    can_delete: bool
    timeline: list[dict[str, Any]]
    attachments: list[dict[str, Any]]
    actions: list[dict[str, Any]] = field(default_factory=list)

    @property
    def title(self) -> str:
        title_field = self.meta.title_field
        value = self.doc.get(title_field) if title_field else None
        return str(value or self.doc.get("name") or "")

    def doc_json(self) -> str:
        return json.dumps(self.doc, default=str, ensure_ascii=False).replace("</", "<\\/")

    def display(self, df: DocField) -> str:
        return format_value(df.fieldtype, self.doc.get(df.fieldname))


def writable_fields(ctx: Context, meta: Meta, doc: Document) -> set[str]:
    if not ctx.enforce_permissions:
        levels = {df.permlevel for df in meta.fields}
    else:
        levels = set(role_rights(ctx, meta.name).write_levels)
    docstatus = doc.docstatus
    out = set()
    for df in meta.fields:
        if df.permlevel not in levels or df.flag("read_only") or df.fieldtype == "Read Only":
            continue
        if docstatus == 2 or (docstatus == 1 and not df.flag("allow_on_submit")):
            continue
        out.add(df.fieldname)
    return out


def build_form(ctx: Context, meta: Meta, doc: Document, default_tab: str) -> FormPage:
    is_new = doc.is_new()
    readable = readable_fieldnames(ctx, meta)
    data = doc_out(ctx, doc, v2=True)
    data["doctype"] = meta.name
    right = "create" if is_new else "write"
    may_write = has_permission(ctx, meta.name, right, None if is_new else doc)
    wf = active_workflow(ctx, meta.name)
    transitions = [] if is_new else [_transition(t) for t in available(ctx, doc, wf)]
    grids = {df.fieldname: grid_columns(ctx.get_meta(df.options)) for df in meta.table_fields}
    multis = {
        df.fieldname: multiselect_link(ctx.get_meta(df.options))
        for df in meta.table_fields
        if df.fieldtype == "Table MultiSelect"
    }
    status = doc.docstatus
    submittable = meta.is_submittable and wf is None
    return FormPage(
        meta=meta,
        doc=data,
        is_new=is_new,
        tabs=layout(meta, readable, default_tab),
        writable=writable_fields(ctx, meta, doc) if may_write else set(),
        grids=grids,
        multis=multis,
        transitions=transitions,
        state_field=wf.state_field if wf else None,
        can_save=may_write and status != 2,
        can_submit=submittable
        and not is_new
        and status == 0
        and has_permission(ctx, meta.name, "submit", doc),
        can_cancel=submittable and status == 1 and has_permission(ctx, meta.name, "cancel", doc),
        can_amend=meta.is_submittable
        and status == 2
        and has_permission(ctx, meta.name, "amend", doc),
        can_delete=not is_new and status != 1 and has_permission(ctx, meta.name, "delete", doc),
        timeline=[] if is_new else timeline(ctx, meta, doc),
        attachments=[] if is_new else attachments(ctx, meta.name, str(doc.name)),
        actions=[] if is_new else form_actions(ctx, meta),
    )


ACTION_TYPES = frozenset({"Server Action", "Route"})


def form_actions(ctx: Context, meta: Meta) -> list[dict[str, Any]]:
    """Custom buttons a DocType declares in its `actions` property (Frappe's DocType Action
    rows: `label`, `action_type` "Server Action" | "Route", `action`, `group`, `hidden`), set
    in the JSON file or — for any DocType, also one created at run time — by a DocType-level
    Property Setter `actions` (property_type JSON). Engine extensions per row: `arg` (the
    whitelisted method's parameter that receives the document name; without it the method
    gets `doc` = the form's document as Frappe sends it), `depends_on` (evaluated live in the
    browser like a field's), `roles` (list or newline text: only users with one of them see
    the button). The method checks its own permissions; the button is only a shortcut."""
    raw = meta.get("actions") or []
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError:
            return []
    roles = set(ctx.roles)
    out = []
    for row in raw if isinstance(raw, list) else []:
        if not isinstance(row, dict) or row.get("hidden") or not row.get("action"):
            continue
        kind = row.get("action_type") or "Server Action"
        if kind not in ACTION_TYPES:
            continue
        wanted = row.get("roles") or []
        if isinstance(wanted, str):
            wanted = [r.strip() for r in wanted.splitlines() if r.strip()]
        if wanted and ctx.enforce_permissions and not roles & set(wanted):
            continue
        out.append(
            {
                "label": str(row.get("label") or row["action"]),
                "action_type": kind,
                "action": str(row["action"]),
                "arg": str(row.get("arg") or ""),
                "depends_on": str(row.get("depends_on") or ""),
                "group": str(row.get("group") or ""),
            }
        )
    return out


def _transition(t: Any) -> dict[str, Any]:
    return {"action": t.action, "next_state": t.next_state}


def timeline(ctx: Context, meta: Meta, doc: Document) -> list[dict[str, Any]]:
    """Version diffs and comments, newest first (the document is readable: checked by the
    caller's get_doc; these rows are read for it, not through their own DocTypes' rights)."""
    items: list[dict[str, Any]] = []
    with ctx.ignore_permissions():
        versions = ctx.get_all(
            "Version",
            filters={"ref_doctype": meta.name, "docname": str(doc.name)},
            fields=["name", "owner", "creation", "data"],
            order_by="creation desc",
            limit_page_length=50,
        )
        comments = ctx.get_all(
            "Comment",
            filters={"reference_doctype": meta.name, "reference_name": str(doc.name)},
            fields=["name", "owner", "creation", "comment_type", "content", "comment_by"],
            order_by="creation desc",
            limit_page_length=50,
        )
    readable = readable_fieldnames(ctx, meta)
    for row in versions:
        try:
            data = json.loads(row["data"] or "{}")
        except ValueError:
            data = {}
        changes = []
        for fieldname, old, new in data.get("changed") or []:
            df = meta.get_field(fieldname)
            if fieldname != "docstatus" and (df is None or fieldname not in readable):
                continue
            kind = df.fieldtype if df else "Int"
            if kind == "Text Editor":  # shown as formatting (sanitised by the template)
                changes.append({"label": df.label, "old": old or "", "new": new or "", "html": 1})
                continue
            changes.append(
                {
                    "label": df.label if df else fieldname,
                    "old": format_value(kind, old),
                    "new": format_value(kind, new),
                }
            )
        for fieldname, _row in data.get("added") or []:
            df = meta.get_field(fieldname)
            changes.append({"label": df.label if df else fieldname, "old": "", "new": "+1"})
        for fieldname, _row in data.get("removed") or []:
            df = meta.get_field(fieldname)
            changes.append({"label": df.label if df else fieldname, "old": "-1", "new": ""})
        if changes:
            items.append(
                {
                    "kind": "version",
                    "owner": row["owner"],
                    "when": row["creation"],
                    "changes": changes,
                }
            )
    for row in comments:
        items.append(
            {
                "kind": "comment" if row["comment_type"] == "Comment" else "info",
                "owner": row["comment_by"] or row["owner"],
                "when": row["creation"],
                "type": row["comment_type"],
                "content": row["content"] or "",
            }
        )
    for row in attachments(ctx, meta.name, str(doc.name)):
        items.append(
            {
                "kind": "attachment",
                "owner": row["owner"],
                "when": row["creation"],
                "file_name": row["file_name"],
                "file_url": row["file_url"],
            }
        )
    items.sort(key=lambda item: str(item["when"]), reverse=True)
    for item in items:
        item["when_text"] = format_value("Datetime", item["when"])
    return items


def attachments(ctx: Context, doctype: str, name: str) -> list[dict[str, Any]]:
    with ctx.ignore_permissions():
        return ctx.get_all(
            "File",
            filters={"attached_to_doctype": doctype, "attached_to_name": name},
            fields=["name", "owner", "creation", "file_name", "file_url", "is_private"],
            order_by="creation asc",
        )
