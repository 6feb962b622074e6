"""Link search (`frappe.desk.search.search_link`): what a Link field's autocomplete shows —
only records the user may select, matched on name, title and search fields."""

from __future__ import annotations

from typing import Any

from .documents import check_doctype_access
from .registry import whitelist
from .request_args import json_arg

MAX_PAGE = 50


@whitelist(
    path="frappe.desk.search.search_link",
    methods=("GET", "POST"),
    aliases=("frappe.desk.search.search_widget",),
)
def search_link(
    ctx: Any,
    doctype: str,
    txt: str = "",
    query: str | None = None,
    filters: Any = None,
    page_length: Any = 10,
    searchfield: str | None = None,
    reference_doctype: str | None = None,
    ignore_user_permissions: Any = None,
) -> list[dict[str, Any]]:
    check_doctype_access(ctx, doctype, "select")
    meta = ctx.get_meta(doctype)
    text = str(txt or "").strip()[:140]
    title = meta.title_field if meta.title_field and meta.has_field(meta.title_field) else None
    columns = [
        "name",
        *([title] if title else []),
        *[f for f in meta.search_fields if meta.has_field(f)],
    ]
    columns = list(dict.fromkeys(columns))
    or_filters = [[c, "like", f"%{text}%"] for c in columns] if text else None
    limit = max(1, min(int(page_length or 10), MAX_PAGE))
    rows = ctx.get_list(
        doctype,
        fields=columns,
        filters=json_arg(filters, "filters"),
        or_filters=or_filters,
        limit_page_length=limit,
        order_by=f"{title or 'name'} asc",
        right="select",
    )
    out = []
    for row in rows:
        extra = [
            str(row[c])
            for c in columns[1:]
            if row.get(c) not in (None, "") and row.get(c) != row["name"]
        ]
        item = {"value": row["name"], "description": ", ".join(extra)}
        if title and meta.flag("show_title_field_in_link"):
            item["label"] = row.get(title)
        out.append(item)
    return out
