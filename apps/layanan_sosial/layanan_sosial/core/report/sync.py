"""Standard reports in files → Report records, kept in step by `migrate` (idempotent).

Each installed app's module may ship `<app>/<module>/report/<scrub>/<scrub>.json` holding
one Report record (`report_name`, `ref_doctype`, `report_type`, `roles`: [{"role": …}],
`filters`: [definitions], …) beside `<scrub>.py` with `execute(ctx, filters)`. The file is
the source of truth for the keys it names: a changed file updates the record, an unchanged
one writes nothing; keys it leaves out (e.g. `disabled`, set by an administrator) are kept.
A role a report names is created when missing, so a restriction never silently lapses.
"""

from __future__ import annotations

import importlib
import json
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..meta.loader import app_modules
from ..meta.model import scrub

if TYPE_CHECKING:
    from ..context import Context

log = logging.getLogger(__name__)
REPORT = "Report"
SCALARS = (
    "ref_doctype",
    "report_type",
    "module",
    "is_standard",
    "disabled",
    "add_total_row",
    "query",
    "json",
    "filters",
)


def report_files(app: str) -> list[tuple[str, Path]]:
    """(module, json path) of every standard report of the app, modules in modules.txt order."""
    root = Path(importlib.import_module(app).__file__).parent  # type: ignore[arg-type]
    found = []
    for module in app_modules(app):
        folder = root / scrub(module) / "report"
        for path in sorted(folder.glob("*/*.json")):
            if path.stem == path.parent.name:
                found.append((module, path))
    return found


def read_report_file(module: str, path: Path) -> dict[str, Any]:
    record = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(record, dict):
        raise ValueError(f"{path}: a report file must hold one JSON object")
    record.pop("doctype", None)
    name = record.get("report_name") or record.get("name")
    if not name or scrub(name) != path.stem:
        raise ValueError(f"{path}: report_name {name!r} does not match the folder name")
    record["report_name"] = name
    record.pop("name", None)
    record["is_standard"] = "Yes"
    record.setdefault("module", module)
    record.setdefault("report_type", "Script Report")
    return record


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, list | dict) or isinstance(b, list | dict):
        return json.dumps(a, sort_keys=True, default=str) == json.dumps(
            b, sort_keys=True, default=str
        )
    return ("" if a is None else str(a)) == ("" if b is None else str(b))


def _ensure_roles(ctx: Context, roles: list[dict[str, Any]]) -> None:
    for row in roles:
        role = row.get("role")
        if role and not ctx.exists("Role", role):
            log.warning("standard report names missing role %r: creating it", role)
            ctx.new_doc("Role", role_name=role).insert()


def sync_standard_reports(ctx: Context) -> dict[str, int]:
    counts = {"inserted": 0, "updated": 0, "unchanged": 0}
    with ctx.ignore_permissions():
        for app in ctx.site.apps:
            for module, path in report_files(app):
                _sync_one(ctx, read_report_file(module, path), counts)
    return counts


def _sync_one(ctx: Context, record: dict[str, Any], counts: dict[str, int]) -> None:
    roles = [{"role": r["role"]} for r in record.get("roles") or [] if r.get("role")]
    record["roles"] = roles
    _ensure_roles(ctx, roles)
    name = record["report_name"]
    if not ctx.exists(REPORT, name):
        ctx.new_doc(REPORT, record).insert()
        counts["inserted"] += 1
        return
    doc = ctx.get_doc(REPORT, name, for_update=True)
    stored_roles = [{"role": r.role} for r in doc.get_children("roles")]
    changed = [k for k in SCALARS if k in record and not _same(record[k], doc.get(k))]
    if not changed and stored_roles == roles:
        counts["unchanged"] += 1
        return
    doc.update({k: record[k] for k in SCALARS if k in record})
    doc.set("roles", roles)
    doc.save()
    counts["updated"] += 1
