"""Standard Script Reports: `<app>/<module>/report/<scrub>/<scrub>.py` with
`execute(ctx, filters)` returning `(columns, data[, message, chart, report_summary,
skip_total_row])` or a dict with those keys. `ctx` is the caller's Context, so every query
it makes through ctx.get_list/get_all/get_doc is scoped to the caller's permissions."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..exceptions import ValidationError
from ..meta.loader import app_modules
from ..meta.model import scrub

if TYPE_CHECKING:
    from ..context import Context
    from .access import ReportDef

RESULT_KEYS = ("columns", "result", "message", "chart", "report_summary", "skip_total_row")


def report_folder(app: str, module: str, report_name: str) -> Path:
    root = Path(importlib.import_module(app).__file__).parent  # type: ignore[arg-type]
    return root / scrub(module) / "report" / scrub(report_name)


def module_path(ctx: Context, report: ReportDef) -> str:
    """Dotted path of the report's Python module, only inside an installed app."""
    for app in ctx.site.apps:
        if report.module in app_modules(app):
            folder = scrub(report.name)
            return f"{app}.{scrub(report.module)}.report.{folder}.{folder}"
    raise ValidationError(
        f"Laporan {report.name}: modul {report.module!r} tidak ada di aplikasi yang terpasang"
    )


def run_script(ctx: Context, report: ReportDef, filters: dict[str, Any]) -> dict[str, Any]:
    if not report.is_standard:
        raise ValidationError(
            f"Laporan {report.name}: Script Report non-standar tidak didukung "
            "(tulis laporan standar di aplikasi, atau gunakan Query Report / Report Builder)"
        )
    path = module_path(ctx, report)
    try:
        module = importlib.import_module(path)
    except ImportError as exc:
        raise ValidationError(f"Laporan {report.name}: modul {path} tidak dapat dimuat") from exc
    execute = getattr(module, "execute", None)
    if not callable(execute):
        raise ValidationError(f"Laporan {report.name}: {path} tidak punya fungsi execute")
    return as_result(execute(ctx, filters), report.name)


def as_result(value: Any, name: str) -> dict[str, Any]:
    if isinstance(value, dict):
        return {k: value.get(k) for k in RESULT_KEYS if k in value} | (
            {"result": value.get("data")} if "data" in value and "result" not in value else {}
        )
    if isinstance(value, list | tuple) and 2 <= len(value) <= len(RESULT_KEYS):
        return dict(zip(RESULT_KEYS, value, strict=False))
    raise ValidationError(
        f"Laporan {name}: execute harus mengembalikan (columns, data[, message, chart, ...])"
    )
