"""Report view of any DocType (`/app/<slug>/view/report`, as Frappe's): pick columns, group
by a field with counts, sort, filter (the list view's own parsing, `listview.parse_state`),
page, and export what is shown as CSV or XLSX (`export` right). Also the list view's XLSX
export (`/app/<slug>/export.xlsx`). Every query goes through the user's Context, so
permissions, permlevels and User Permissions apply as in the list.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from ..exceptions import LayananError
from ..permissions import has_permission
from ..report import export
from .doctypes import doctype_for_slug, slug
from .formatting import format_value
from .listview import (
    LIST_OPERATORS,
    Column,
    ListState,
    export_rows,
    filterable_fields,
    list_columns,
    parse_state,
)
from .session import DeskRequest

if TYPE_CHECKING:
    from starlette.datastructures import QueryParams

    from ..context import Context
    from ..meta.model import Meta

MAX_GROUPS = 500
COUNT_LABEL = "Jumlah"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

router = APIRouter()


@dataclass
class ReportView:
    meta: Meta
    state: ListState
    available: list[Column]
    columns: list[Column]
    group_by: str
    group_label: str
    rows: list[dict[str, Any]]
    total: int
    can_export: bool

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.state.page_length))

    def cell(self, row: dict[str, Any], column: Column) -> str:
        return format_value(column.fieldtype, row.get(column.fieldname))

    def query(self, **changes: Any) -> str:
        """This view's address query (filters, sort, page, columns, group by)."""
        extra = "".join(f"&cols={quote(c.fieldname)}" for c in self.columns)
        if self.group_by:
            extra += f"&group_by={quote(self.group_by)}"
        return self.state.query(**changes) + extra


def available_columns(ctx: Context, meta: Meta) -> list[Column]:
    return [Column("name", "ID", "Data")] + [
        Column(df.fieldname, df.label or df.fieldname, df.fieldtype, df.options or "")
        for df in filterable_fields(ctx, meta)
    ]


def _setup(ctx: Context, meta: Meta, params: QueryParams):
    available = available_columns(ctx, meta)
    by_name = {c.fieldname: c for c in available}
    allowed = set(by_name) | {"owner", "docstatus"}
    state = parse_state(meta, params, allowed)
    picked = [by_name[n] for n in dict.fromkeys(params.getlist("cols")) if n in by_name]
    if not picked:
        picked = [by_name["name"]] + [
            by_name[c.fieldname] for c in list_columns(ctx, meta) if c.fieldname in by_name
        ]
    group_by = params.get("group_by") or ""
    if group_by not in by_name or group_by == "name":
        group_by = ""
    return available, by_name, state, picked, group_by


def _group_rows(ctx: Context, meta: Meta, state: ListState, group_by: str) -> list[dict]:
    """One GROUP BY query: the field's values with their counts, largest first."""
    rows = ctx.get_list(
        meta.name,
        fields=[group_by, "count(*) as count"],
        filters=state.filters,
        group_by=group_by,
        order_by="count(*) desc",
        limit_page_length=MAX_GROUPS,
    )
    return [{group_by: r.get(group_by), "count": int(r.get("count") or 0)} for r in rows]


def build_report_view(ctx: Context, meta: Meta, params: QueryParams) -> ReportView:
    available, by_name, state, picked, group_by = _setup(ctx, meta, params)
    total = ctx.get_count(meta.name, filters=state.filters)
    if group_by:
        rows = _group_rows(ctx, meta, state, group_by)
        columns = [by_name[group_by], Column("count", COUNT_LABEL, "Int")]
    else:
        pages = max(1, math.ceil(total / state.page_length))
        state.page = min(state.page, pages)
        rows = ctx.get_list(
            meta.name,
            fields=[c.fieldname for c in picked],
            filters=state.filters,
            order_by=f"{state.sort} {state.order}",
            limit_start=(state.page - 1) * state.page_length,
            limit_page_length=state.page_length,
        )
        columns = picked
    return ReportView(
        meta=meta,
        state=state,
        available=available,
        columns=picked if not group_by else columns,
        group_by=group_by,
        group_label=by_name[group_by].label if group_by else "",
        rows=rows,
        total=total,
        can_export=has_permission(ctx, meta.name, "export"),
    )


def export_table(ctx: Context, meta: Meta, params: QueryParams) -> dict[str, Any]:
    """What the report view shows, unpaged, as a report result (columns + rows)."""
    _, by_name, state, picked, group_by = _setup(ctx, meta, params)
    if group_by:
        columns = [by_name[group_by], Column("count", COUNT_LABEL, "Int")]
        rows = _group_rows(ctx, meta, state, group_by)
    else:
        columns = picked
        rows = ctx.get_list(
            meta.name,
            fields=[c.fieldname for c in picked],
            filters=state.filters,
            order_by=f"{state.sort} {state.order}",
            limit_page_length=0,
        )
    return _result(columns, rows)


def _result(columns: list[Column], rows: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "columns": [
            {"fieldname": c.fieldname, "label": c.label, "fieldtype": c.fieldtype} for c in columns
        ],
        "result": rows,
    }


def file_response(result: dict[str, Any], kind: str, title: str) -> Response:
    if kind == "xlsx":
        content, media, ext = export.to_xlsx(result, title), XLSX, "xlsx"
    else:
        content, media, ext = export.to_csv(result), "text/csv; charset=utf-8", "csv"
    filename = f"{slug(title)}.{ext}"
    return Response(
        content,
        media_type=media,
        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(filename)}"},
    )


# -- routes ------------------------------------------------------------------------------


@router.get("/app/{doctype_slug}/view/report", response_class=HTMLResponse)
def report_view(request: Request, doctype_slug: str, desk: DeskRequest) -> Response:
    from .routes import error_page, render

    desk.require_user(request)
    try:
        meta = doctype_for_slug(desk.ctx, doctype_slug)
        desk.ctx.check_permission(meta.name, "read")
        view = build_report_view(desk.ctx, meta, request.query_params)
    except LayananError as exc:
        return error_page(desk, exc)
    partial = request.headers.get("hx-target") == "report-view-results"
    return render(
        desk,
        "reportview_results.html" if partial else "reportview.html",
        view=view,
        doctype=meta.name,
        route=f"/app/{slug(meta.name)}",
        operators=LIST_OPERATORS,
        request_params=request.query_params,
    )


def _export(request: Request, desk: Any, doctype_slug: str, build: Any) -> Response:
    """A file download of `build(ctx, meta, params) -> (result, kind)`, for users with
    the `export` right on the DocType (every desk export goes through here)."""
    from .routes import error_page

    desk.require_user(request)
    try:
        meta = doctype_for_slug(desk.ctx, doctype_slug)
        desk.ctx.check_permission(meta.name, "export")
        result, kind = build(desk.ctx, meta, request.query_params)
        return file_response(result, kind, meta.name)
    except LayananError as exc:
        return error_page(desk, exc)


@router.get("/app/{doctype_slug}/view/report/export")
def report_view_export(request: Request, doctype_slug: str, desk: DeskRequest) -> Response:
    def build(ctx: Any, meta: Any, params: Any) -> tuple[dict[str, Any], str]:
        kind = "xlsx" if params.get("format") == "xlsx" else "csv"
        return export_table(ctx, meta, params), kind

    return _export(request, desk, doctype_slug, build)


def _list_file(kind: str) -> Any:
    def build(ctx: Any, meta: Any, params: Any) -> tuple[dict[str, Any], str]:
        columns, rows = export_rows(ctx, meta, params)
        names = [c.fieldname for c in columns]
        return _result(columns, [dict(zip(names, r, strict=True)) for r in rows]), kind

    return build


@router.get("/app/{doctype_slug}/export.csv")
def list_export_csv(request: Request, doctype_slug: str, desk: DeskRequest) -> Response:
    """The list view's rows and columns, as filtered, as CSV (UTF-8 with BOM)."""
    return _export(request, desk, doctype_slug, _list_file("csv"))


@router.get("/app/{doctype_slug}/export.xlsx")
def list_export_xlsx(request: Request, doctype_slug: str, desk: DeskRequest) -> Response:
    """The list view's export as XLSX: the same rows and columns as its CSV export."""
    return _export(request, desk, doctype_slug, _list_file("xlsx"))
