"""Run a Report for the context's user: access check, filters, the type's executor, column
and row normalisation, user-permission filtering of Link columns, total row.

The answer has Frappe's keys (`frappe.desk.query_report.run`): columns (dicts), result (rows
as dicts keyed by fieldname; the total row last when `add_total_row`), message, chart,
report_summary, skip_total_row, status, execution_time, add_total_row.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from ..meta.model import scrub
from ..permissions.userperms import rules_for, value_allowed
from . import filters as report_filters
from .access import ReportDef, get_report
from .builder import run_builder
from .columns import normalise_columns, normalise_rows, parse_column, total_row
from .script import run_script
from .sql import run_query

if TYPE_CHECKING:
    from ..context import Context


def run_query_report(ctx: Context, report: ReportDef, filters: dict[str, Any]) -> dict[str, Any]:
    """Column keys of the SELECT may carry Frappe's `Label:Fieldtype/Options:Width` form."""
    keys, rows = run_query(ctx, report.query or "", filters)
    columns = [parse_column(k) for k in keys]
    for column, key in zip(columns, keys, strict=True):
        if ":" not in key:
            column["fieldname"] = scrub(key) or key
            column["label"] = key
    return {"columns": columns, "result": [list(r) for r in rows]}


EXECUTORS = {
    "Script Report": run_script,
    "Query Report": run_query_report,
    "Report Builder": run_builder,
}


def _scope_rows(
    ctx: Context, report: ReportDef, columns: list[dict[str, Any]], rows: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Drop rows whose Link values the user's User Permissions do not allow (as Frappe's
    get_filtered_data) — raw SQL sees everything, and this puts the scope back."""
    if not ctx.enforce_permissions:
        return rows
    checks = [
        (c["fieldname"], c["options"])
        for c in columns
        if c.get("fieldtype") == "Link"
        and c.get("options")
        and ctx.doctype_exists(c["options"])
        and rules_for(ctx, c["options"], report.ref_doctype)
    ]
    if not checks:
        return rows
    seen: dict[tuple[str, Any], bool] = {}

    def allowed(doctype: str, value: Any) -> bool:
        key = (doctype, value)
        if key not in seen:
            seen[key] = value_allowed(ctx, doctype, value, report.ref_doctype)
        return seen[key]

    return [r for r in rows if all(allowed(dt, r.get(name)) for name, dt in checks)]


def execute(ctx: Context, report: ReportDef, filters: Any = None) -> dict[str, Any]:
    """Run an already access-checked report."""
    started = time.monotonic()
    values = report_filters.resolve(report.filters, report_filters.parse_values(filters))
    raw = EXECUTORS.get(report.report_type)
    if raw is None:
        from ..exceptions import ValidationError

        raise ValidationError(f"Jenis laporan {report.report_type!r} tidak dikenal")
    out = raw(ctx, report, values)
    columns = normalise_columns(out.get("columns"))
    rows = _scope_rows(ctx, report, columns, normalise_rows(columns, out.get("result")))
    skip_total = bool(out.get("skip_total_row"))
    if report.add_total_row and rows and not skip_total:
        rows.append(total_row(columns, rows))
    return {
        "columns": columns,
        "result": rows,
        "message": out.get("message"),
        "chart": out.get("chart"),
        "report_summary": out.get("report_summary"),
        "skip_total_row": int(skip_total),
        "status": None,
        "execution_time": round(time.monotonic() - started, 3),
        "add_total_row": int(report.add_total_row and not skip_total),
        "filters": values,
    }


def run_report(ctx: Context, report_name: str, filters: Any = None) -> dict[str, Any]:
    """Check access for ctx's user and run the report (the engine entry point)."""
    return execute(ctx, get_report(ctx, report_name), filters)
