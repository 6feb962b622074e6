"""Reports over REST at Frappe's paths (registered when core.api.routes imports this module):

- `frappe.desk.query_report.run` (GET/POST): report_name, filters (JSON text or object) →
  `{columns, result, message, chart, report_summary, add_total_row, …}`;
- `frappe.desk.query_report.get_script` (GET/POST): the filter definitions for a client
  (no JavaScript here): `{filters, report_type, ref_doctype, …}`;
- `frappe.desk.query_report.export_query` (GET/POST): report_name, file_format_type
  ("CSV" or "Excel"), filters → a file download; needs the `export` right on ref_doctype.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from starlette.responses import Response

from ..api.registry import whitelist
from ..exceptions import PermissionError_, ValidationError
from . import export
from .access import get_report
from .runner import execute, run_report

if TYPE_CHECKING:
    from ..context import Context

PATH = "frappe.desk.query_report"


@whitelist(path=f"{PATH}.run", methods=("GET", "POST"))
def run(ctx: Context, report_name: str, filters: Any = None, **_ignored: Any) -> dict[str, Any]:
    return run_report(ctx, report_name, filters)


@whitelist(path=f"{PATH}.get_script", methods=("GET", "POST"))
def get_script(ctx: Context, report_name: str) -> dict[str, Any]:
    report = get_report(ctx, report_name)
    return {
        "filters": report.filters,
        "report_type": report.report_type,
        "ref_doctype": report.ref_doctype,
        "add_total_row": int(report.add_total_row),
        "is_standard": "Yes" if report.is_standard else "No",
        "script": None,
        "html_format": None,
        "execution_time": 0,
    }


@whitelist(path=f"{PATH}.export_query", methods=("GET", "POST"))
def export_query(
    ctx: Context,
    report_name: str,
    file_format_type: str = "CSV",
    filters: Any = None,
    **_ignored: Any,
) -> Response:
    report = get_report(ctx, report_name)
    if not ctx.has_permission(report.ref_doctype, "export"):
        raise PermissionError_(f"Anda tidak diizinkan mengekspor laporan {report.name}")
    kind = (file_format_type or "CSV").strip().lower()
    result = execute(ctx, report, filters)
    if kind == "csv":
        content, media, ext = export.to_csv(result), "text/csv; charset=utf-8", "csv"
    elif kind in ("excel", "xlsx"):
        content = export.to_xlsx(result, report.name)
        media = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        ext = "xlsx"
    else:
        raise ValidationError(f"Format ekspor {file_format_type!r} tidak dikenal: CSV atau Excel")
    filename = f"{report.name}.{ext}"
    disposition = f"attachment; filename*=UTF-8''{quote(filename)}"
    return Response(content, media_type=media, headers={"Content-Disposition": disposition})
