"""Which Report a caller asked for, and whether they may run it (frappe_compat §8.7).

Order as Frappe's `get_report_doc`: unknown → DoesNotExistError (404); the user holds none of
the report's roles (when it lists any) → PermissionError (403); no `report` or `read` right
on `ref_doctype` → 403; disabled → ValidationError (417). Administrator passes the role and
right checks (he has every role), not the disabled one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..exceptions import DoesNotExistError, PermissionError_, ValidationError
from . import filters as report_filters

if TYPE_CHECKING:
    from ..context import Context

REPORT = "Report"


@dataclass(frozen=True)
class ReportDef:
    name: str
    ref_doctype: str
    report_type: str
    module: str | None
    is_standard: bool
    disabled: bool
    add_total_row: bool
    query: str | None
    json: str | None
    roles: tuple[str, ...]
    filters: list[dict[str, Any]] = field(default_factory=list)


def load(ctx: Context, name: Any) -> ReportDef:
    """The stored Report (read without the caller's permissions: access is checked here)."""
    if not name or not isinstance(name, str):
        raise ValidationError("report_name wajib diisi")
    with ctx.ignore_permissions():
        if not ctx.exists(REPORT, name):
            raise DoesNotExistError(f"Report {name} not found")
        doc = ctx.get_doc(REPORT, name)
        return ReportDef(
            name=doc.name,
            ref_doctype=doc.get("ref_doctype") or "",
            report_type=doc.get("report_type") or "Report Builder",
            module=doc.get("module"),
            is_standard=doc.get("is_standard") == "Yes",
            disabled=bool(doc.get("disabled")),
            add_total_row=bool(doc.get("add_total_row")),
            query=doc.get("query"),
            json=doc.get("json"),
            roles=tuple(r.role for r in doc.get_children("roles") if r.get("role")),
            filters=report_filters.definitions(doc.get("filters")),
        )


def is_permitted(ctx: Context, report: ReportDef) -> bool:
    """The report's role list (if any) shares a role with the user."""
    if not ctx.enforce_permissions or not report.roles:
        return True
    return bool(set(report.roles) & set(ctx.roles))


def check_access(ctx: Context, report: ReportDef) -> None:
    if not is_permitted(ctx, report):
        raise PermissionError_(f"Anda tidak memiliki akses ke laporan {report.name}")
    doctype = report.ref_doctype
    if not doctype or not ctx.doctype_exists(doctype):
        raise ValidationError(f"Laporan {report.name}: Ref DocType {doctype!r} tidak ada")
    if not (ctx.has_permission(doctype, "report") or ctx.has_permission(doctype, "read")):
        raise PermissionError_(
            f"Anda tidak memiliki akses ke laporan {report.name}: "
            f"tidak diizinkan melihat laporan {doctype}"
        )
    if report.disabled:
        raise ValidationError(f"Laporan {report.name} dinonaktifkan")


def get_report(ctx: Context, name: Any) -> ReportDef:
    report = load(ctx, name)
    check_access(ctx, report)
    return report
