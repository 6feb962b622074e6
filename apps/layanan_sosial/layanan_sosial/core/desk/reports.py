"""`/app/query-report/<report>`: a report's filters as a form, its result as a table with
Indonesian formatting, its chart as simple bars, and export through the report engine's
`frappe.desk.query_report.export_query` (contract of core/report)."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from ..exceptions import LayananError
from ..report.access import get_report
from ..report.runner import run_report
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


def _chart(chart: Any) -> dict[str, Any] | None:
    """Bars scaled to the largest value of the first dataset."""
    try:
        labels = chart["data"]["labels"]
        dataset = chart["data"]["datasets"][0]
        numbers = [float(v or 0) for v in dataset["values"]]
    except (KeyError, IndexError, TypeError, ValueError):
        return None
    top = max([abs(n) for n in numbers] or [0]) or 1
    bars = [
        {"label": str(label), "value": n, "percent": round(abs(n) / top * 100, 1)}
        for label, n in zip(labels, numbers, strict=False)
    ]
    return {"name": dataset.get("name") or "", "bars": bars}


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
        chart=_chart((result or {}).get("chart")),
        export_url=export,
    )
