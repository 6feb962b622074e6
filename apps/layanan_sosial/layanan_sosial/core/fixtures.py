"""Fixtures shipped by apps: records that `migrate` keeps present in every site.

An app may ship `<app>/fixtures/<scrub of DocType>.json` (a JSON list of documents, child
tables as lists) or `<app>/fixtures/<scrub of DocType>.csv` (header = fieldnames). Files load
in the order of `<app>/fixtures/order.txt` (one file stem per line), then the rest by name.
A module may ship its own `<app>/<module>/fixtures/` (same rules, own order.txt); those load
after the app's, module by module in modules.txt order.

Rule for existing records (idempotent, never overwriting an administrator's work):
- a record whose name is missing is inserted (in bulk, through `insert_many`, so the same
  validation and hooks run; tree DocTypes get their nested sets rebuilt once);
- a record that exists is updated only when the fixture's values differ *and* it was last
  modified by "Administrator" (the account migrate runs as); a record edited by any other
  user is left alone. A second migrate with unchanged files writes nothing.
"""

from __future__ import annotations

import csv
import importlib
import json
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .meta.model import scrub

if TYPE_CHECKING:
    from .context import Context

log = logging.getLogger(__name__)

FIXTURE_OWNER = "Administrator"


@dataclass
class FixtureReport:
    inserted: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return any(self.inserted.values()) or any(self.updated.values())


def fixture_dir(app: str) -> Path | None:
    module = importlib.import_module(app)
    if not getattr(module, "__file__", None):
        return None
    path = Path(module.__file__).parent / "fixtures"
    return path if path.is_dir() else None


def fixture_dirs(app: str) -> list[Path]:
    """The app's own `fixtures/` first, then each module's `<module>/fixtures/` in the order
    of modules.txt — so a module ships its workflows beside its DocTypes."""
    from .meta.loader import app_modules

    first = fixture_dir(app)
    dirs = [first] if first is not None else []
    root = Path(importlib.import_module(app).__file__).parent
    for module in app_modules(app):
        path = root / scrub(module) / "fixtures"
        if path.is_dir():
            dirs.append(path)
    return dirs


def fixture_files(directory: Path) -> list[Path]:
    """Fixture files in dependency order (order.txt first, then alphabetical)."""
    files = {p.stem: p for p in sorted(directory.iterdir()) if p.suffix in (".json", ".csv")}
    ordered: list[Path] = []
    order_file = directory / "order.txt"
    if order_file.exists():
        for line in order_file.read_text(encoding="utf-8").splitlines():
            stem = line.strip()
            if stem and not stem.startswith("#") and stem in files:
                ordered.append(files.pop(stem))
    return ordered + list(files.values())


def read_records(path: Path) -> list[dict[str, Any]]:
    if path.suffix == ".json":
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, list):
            raise ValueError(f"{path}: a fixture file must hold a JSON list")
        return [dict(r) for r in data]
    with path.open(encoding="utf-8", newline="") as fh:
        return [{k: (v if v != "" else None) for k, v in row.items()} for row in csv.DictReader(fh)]


def sync_fixtures(ctx: Context) -> FixtureReport:
    """Load every installed app's fixtures into the site of `ctx` (see module doc)."""
    report = FixtureReport()
    by_scrub = {scrub(name): name for name in ctx.all_doctypes()}
    for app in ctx.site.apps:
        for path in (p for directory in fixture_dirs(app) for p in fixture_files(directory)):
            doctype = by_scrub.get(path.stem)
            if doctype is None:
                log.warning("fixture %s: no DocType %r", path, path.stem)
                continue
            with ctx.ignore_permissions():
                _sync_file(ctx, doctype, read_records(path), report)
    return report


def _record_name(meta: Any, record: dict[str, Any]) -> str | None:
    if record.get("name"):
        return str(record["name"])
    autoname = meta.autoname or ""
    if autoname.startswith("field:"):
        value = record.get(autoname[len("field:") :])
        return str(value) if value not in (None, "") else None
    return None


def _norm(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _sync_file(
    ctx: Context, doctype: str, records: list[dict[str, Any]], report: FixtureReport
) -> None:
    meta = ctx.get_meta(doctype)
    for record in records:
        record.pop("doctype", None)
    scalar = sorted(
        {k for r in records for k, v in r.items() if not isinstance(v, list)} - {"name"}
    )
    has_children = any(isinstance(v, list) for r in records for v in r.values())
    existing = {
        str(row["name"]): row
        for row in ctx.get_all(doctype, fields=["name", "modified_by", *scalar], as_dict=True)
    }
    missing: list[dict[str, Any]] = []
    updated = skipped = 0
    for record in records:
        name = _record_name(meta, record)
        row = existing.get(name) if name is not None else None
        if row is None:
            missing.append(record)
            continue
        if not _differs(ctx, doctype, name, record, row, scalar, has_children):
            continue
        if row.get("modified_by") != FIXTURE_OWNER:
            skipped += 1
            continue
        doc = ctx.get_doc(doctype, name, for_update=True)
        doc.update({k: v for k, v in record.items() if k != "name"})
        doc.save()
        updated += 1
    if missing:
        ctx.insert_many(doctype, missing)
    report.inserted[doctype] = len(missing)
    report.updated[doctype] = updated
    report.skipped[doctype] = skipped


def _differs(
    ctx: Context,
    doctype: str,
    name: str,
    record: dict[str, Any],
    row: dict[str, Any],
    scalar: list[str],
    has_children: bool,
) -> bool:
    if any(_norm(record.get(k)) != _norm(row.get(k)) for k in scalar if k in record):
        return True
    if not has_children:
        return False
    doc = ctx.get_doc(doctype, name)
    for key, rows in record.items():
        if not isinstance(rows, list):
            continue
        stored = doc.get(key) or []
        if len(stored) != len(rows):
            return True
        for want, have in zip(rows, stored, strict=True):
            if any(_norm(v) != _norm(have.get(k)) for k, v in want.items() if k != "doctype"):
                return True
    return False
