"""Version rows: field-level diffs of every save, in Frappe's shape (frappe_compat §8.9)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from ..db.tables import table_for
from ..fieldtypes import to_json_value
from .naming import make_hash

if TYPE_CHECKING:
    from .document import Document

_IGNORED = frozenset(
    {"modified", "modified_by", "creation", "owner", "idx", "lft", "rgt", "old_parent"}
)
_RAW_TYPES = frozenset(
    {"Text Editor", "Markdown Editor", "HTML Editor", "Code", "Long Text", "Text"}
)


def _display(value: Any) -> Any:
    return to_json_value(value)


def _field_changes(new: Document, old: dict[str, Any]) -> list[list[Any]]:
    changes = []
    for df in new.meta.data_fields:
        if df.fieldname in _IGNORED or df.fieldtype == "Password":
            continue
        before, after = old.get(df.fieldname), new._data.get(df.fieldname)
        if _same(before, after):
            continue
        changes.append([df.fieldname, _display(before), _display(after)])
    return changes


def _same(a: Any, b: Any) -> bool:
    if a in (None, "") and b in (None, ""):
        return True
    if isinstance(a, int | float) and isinstance(b, int | float):
        return float(a) == float(b)
    return a == b


def diff(new: Document, old: Document) -> dict[str, Any]:
    changed = _field_changes(new, old._data)
    if old.docstatus != new.docstatus:
        changed.append(["docstatus", old.docstatus, new.docstatus])
    added: list[list[Any]] = []
    removed: list[list[Any]] = []
    row_changed: list[list[Any]] = []
    for df in new.meta.table_fields:
        old_rows = {str(r.name): r for r in old.get_children(df.fieldname)}
        new_names = set()
        for row in new.get_children(df.fieldname):
            new_names.add(str(row.name))
            before = old_rows.get(str(row.name))
            if before is None:
                added.append([df.fieldname, row.as_dict(json_ready=True)])
                continue
            row_diff = _field_changes(row, before._data)
            if row_diff:
                row_changed.append([df.fieldname, row.get("idx"), row.name, row_diff])
        for name, row in old_rows.items():
            if name not in new_names:
                removed.append([df.fieldname, row.as_dict(json_ready=True)])
    return {
        "changed": changed,
        "added": added,
        "removed": removed,
        "row_changed": row_changed,
        "data_import": None,
        "updater_reference": None,
    }


def is_empty(data: dict[str, Any]) -> bool:
    return not any(data[k] for k in ("changed", "added", "removed", "row_changed"))


def write_version(doc: Document, data: dict[str, Any]) -> None:
    """Insert a Version row directly (no recursion through the document pipeline)."""
    ctx = doc.ctx
    ctx.note_write()
    meta = ctx.get_meta("Version")
    now = ctx.now()
    ctx.conn.execute(
        table_for(meta)
        .insert()
        .values(
            name=make_hash(),
            creation=now,
            modified=now,
            owner=ctx.user,
            modified_by=ctx.user,
            docstatus=0,
            idx=0,
            ref_doctype=doc.doctype,
            docname=str(doc.name),
            data=json.dumps(data, default=str, ensure_ascii=False, separators=(",", ":")),
        )
    )
