"""Report Builder reports: a saved list query over `ref_doctype`, run through ctx.get_list
(so role rights, if_owner, User Permissions, shares and permlevels all apply).

`json` holds Frappe's saved settings: `fields` (names, or `[fieldname, doctype]` pairs),
`filters` (list or dict, as get_list takes them), `order_by`, `group_by`. The caller's run
filters are added as `field = value` (a list value means `in`) on fields of ref_doctype.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from ..exceptions import ValidationError
from .sql import MAX_ROWS

if TYPE_CHECKING:
    from ..context import Context
    from .access import ReportDef

STANDARD_LABELS = {
    "name": "ID",
    "owner": "Dibuat Oleh",
    "creation": "Dibuat Pada",
    "modified": "Diubah Pada",
    "modified_by": "Diubah Oleh",
    "docstatus": "Status Dokumen",
    "idx": "Urutan",
}
STANDARD_TYPES = {"creation": "Datetime", "modified": "Datetime", "docstatus": "Int", "idx": "Int"}


def settings(raw: Any) -> dict[str, Any]:
    if raw in (None, ""):
        return {}
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise ValidationError(f"JSON Report Builder tidak sah: {exc.msg}") from exc
    if not isinstance(raw, dict):
        raise ValidationError("JSON Report Builder harus berupa objek")
    return raw


def _field_spec(ref_doctype: str, item: Any) -> str:
    if isinstance(item, str):
        return item
    if isinstance(item, list | tuple) and len(item) == 2 and all(isinstance(x, str) for x in item):
        fieldname, doctype = item
        return fieldname if doctype == ref_doctype else f"`tab{doctype}`.{fieldname}"
    raise ValidationError(f"Field Report Builder tidak sah: {item!r}")


def _output_key(spec: str) -> str:
    lowered = spec.lower()
    if " as " in lowered:
        return spec[lowered.rindex(" as ") + 4 :].strip().strip("`")
    return spec.rsplit(".", 1)[-1].strip("`")


def _column(ctx: Context, ref_doctype: str, spec: str) -> dict[str, Any]:
    key = _output_key(spec)
    doctype = ref_doctype
    if spec.startswith("`tab") and "`." in spec:
        doctype = spec[4 : spec.index("`.")]
    meta = ctx.get_meta(doctype) if ctx.doctype_exists(doctype) else None
    df = meta.get_field(key) if meta is not None and meta.has_field(key) else None
    if df is not None:
        column = {"fieldname": key, "label": df.label or key, "fieldtype": df.fieldtype}
        if df.options:
            column["options"] = df.options
        return column
    return {
        "fieldname": key,
        "label": STANDARD_LABELS.get(key, key.replace("_", " ").title()),
        "fieldtype": STANDARD_TYPES.get(key, "Link" if key == "name" else "Data"),
        **({"options": ref_doctype} if key == "name" else {}),
    }


def _run_filters(ctx: Context, ref_doctype: str, values: dict[str, Any]) -> list[list[Any]]:
    meta = ctx.get_meta(ref_doctype)
    out: list[list[Any]] = []
    for key, value in values.items():
        if value in (None, "", []):
            continue
        if not (meta.has_field(key) or key in STANDARD_LABELS):
            raise ValidationError(f"Filter {key} tidak dikenal untuk laporan atas {ref_doctype}")
        out.append([ref_doctype, key, "in" if isinstance(value, list) else "=", value])
    return out


def run_builder(ctx: Context, report: ReportDef, values: dict[str, Any]) -> dict[str, Any]:
    conf = settings(report.json)
    specs = [_field_spec(report.ref_doctype, f) for f in conf.get("fields") or ["name"]]
    saved = conf.get("filters") or []
    if isinstance(saved, dict):
        saved = [
            [report.ref_doctype, k, *(v if isinstance(v, list) else ["=", v])]
            for k, v in saved.items()
        ]
    saved = [list(f[:4]) if isinstance(f, list | tuple) and len(f) > 4 else f for f in saved]
    rows = ctx.get_list(
        report.ref_doctype,
        fields=specs,
        filters=saved + _run_filters(ctx, report.ref_doctype, values),
        order_by=conf.get("order_by") or None,
        group_by=conf.get("group_by") or None,
        limit_page_length=MAX_ROWS,
    )
    columns = [_column(ctx, report.ref_doctype, s) for s in specs]
    return {"columns": columns, "result": rows}
