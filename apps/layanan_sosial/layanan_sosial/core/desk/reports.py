"""`/app/query-report/<report>`: a report's filters as a form, its result as a table with
Indonesian formatting, its chart as accessible SVG (`charts.py`, any of bar/line/pie/
percentage), and export (CSV, XLSX) through the report engine's
`frappe.desk.query_report.export_query` (contract of core/report). A column that carries
`"scale": [worst, …, best]` shows each value as a badge on the colour-blind safe category
scale of `charts.scale_class`, its text always visible."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from ..exceptions import LayananError
from ..report.access import get_report
from ..report.runner import run_report
from . import charts
from .session import DeskRequest

router = APIRouter()


def _values(definitions: list[dict[str, Any]], request: Request) -> dict[str, Any]:
    values: dict[str, Any] = {}
    asked = bool(request.query_params)
    for d in definitions:
        name = d["fieldname"]
        value = request.query_params.get(name)
        if value is None and not asked and d.get("default") not in (None, ""):
            value = d.get("default")
        if value not in (None, ""):
            values[name] = value
    return values


@router.get("/app/query-report/{report_name}", response_class=HTMLResponse)
def query_report(request: Request, report_name: str, desk: DeskRequest) -> Response:
    from .routes import error_page, render

    desk.require_user(request)
    ctx = desk.ctx
    try:
        report = get_report(ctx, report_name)
        values = _values(report.filters, request)
        missing = [d for d in report.filters if d.get("reqd") and d["fieldname"] not in values]
        result = None if missing else run_report(ctx, report.name, values)
    except LayananError as exc:
        if "report" not in locals():
            return error_page(desk, exc)
        result, missing = {"error": exc.message}, []
    rows = []
    columns = (result or {}).get("columns") or []
    for row in (result or {}).get("result") or []:
        if isinstance(row, dict):
            rows.append([row.get(c["fieldname"]) for c in columns])
        else:
            rows.append(list(row))
    export = "/api/method/frappe.desk.query_report.export_query?" + urlencode(
        {"report_name": report.name, "file_format_type": "CSV", "filters": json.dumps(values)}
    )
    export_xlsx = export.replace("file_format_type=CSV", "file_format_type=Excel")
    scales = [charts_scale(c) for c in columns]
    partial = request.headers.get("hx-target") == "report-results"
    return render(
        desk,
        "report_results.html" if partial else "report.html",
        report=report,
        values=values,
        missing=missing,
        result=result,
        columns=columns,
        rows=rows,
        chart_svg=charts.render((result or {}).get("chart"), report.name),
        export_url=export,
        export_xlsx=export_xlsx,
        scales=scales,
        scale_class=charts.scale_class,
    )


def charts_scale(column: dict[str, Any]) -> list[str] | None:
    scale = column.get("scale")
    return [str(s) for s in scale] if isinstance(scale, list | tuple) and len(scale) > 1 else None
