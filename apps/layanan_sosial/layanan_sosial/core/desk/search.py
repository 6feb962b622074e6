"""The awesome bar: one box in the header that finds DocTypes and documents.

`GET /app/search?q=…` answers with a small HTML listbox (the header's `search.js` fetches it
and drives it with the keyboard; without JavaScript the form opens the same results as a
page). What is searched, and how it stays safe and cheap:

- DocTypes the user may read whose name contains the text → their list (and new form when
  the user may create);
- documents of every DocType the user may read that has a title field or search fields:
  one query per DocType through `ctx.get_list` (so permissions and User Permissions apply),
  at most `PER_DOCTYPE` rows, matching the name by prefix (tracking numbers such as
  ADU-2026-00001), the title and search fields by substring, and `unique` Data fields the
  user may read exactly (e.g. a NIK). A field above the user's permlevel is never searched,
  so a match cannot reveal a value the user could not read;
- fields with `log_read` (personal data audited by core.audit) are never selected or shown;
  results show the title, the search fields and the list-view fields that are not sensitive
  (for a recipient: the masked NIK), so searching never writes an audit row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from ..audit import sensitive_fieldnames
from ..exceptions import LayananError
from ..permissions import has_permission, readable_fieldnames
from .doctypes import slug
from .formatting import format_value
from .session import DeskRequest

if TYPE_CHECKING:
    from ..context import Context
    from ..meta.model import Meta

PER_DOCTYPE = 5
MAX_QUERY = 80
MIN_QUERY = 2
MAX_DOCTYPES = 8
SEARCHABLE = frozenset({"Data", "Link", "Select", "Small Text", "Read Only", "Dynamic Link"})

router = APIRouter()


@dataclass
class Hit:
    label: str
    url: str
    doctype: str
    detail: str = ""
    kind: str = "document"


@dataclass
class Results:
    query: str
    doctypes: list[Hit] = field(default_factory=list)
    documents: list[Hit] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.doctypes and not self.documents


def clean(text: Any) -> str:
    """The typed text without LIKE wildcards and control characters, bounded."""
    value = re.sub(r"[%_\\\x00-\x1f]", "", str(text or "")).strip()
    return value[:MAX_QUERY]


def searchable_doctypes(ctx: Context) -> list[str]:
    key = ("desk_searchable", ctx.meta_version)
    found = ctx.cache.get(key)
    if found is None:
        found = []
        for name in sorted(ctx.all_doctypes()):
            meta = ctx.get_meta(name)
            if meta.istable or meta.issingle:
                continue
            if meta.title_field or meta.get("search_fields"):
                found.append(name)
        ctx.cache[key] = found
    return [name for name in found if has_permission(ctx, name, "read")]


def _plan(ctx: Context, meta: Meta) -> tuple[list[str], list[str], list[str], list[str]]:
    """(title+search fields matched by substring, unique fields matched exactly, fields to
    show, all of them readable and none sensitive)."""
    readable = readable_fieldnames(ctx, meta)
    sensitive = set(sensitive_fieldnames(meta))

    def usable(name: str) -> bool:
        df = meta.get_field(name)
        return (
            df is not None
            and df.has_column
            and df.fieldtype in SEARCHABLE
            and name in readable
            and name not in sensitive
        )

    names = [meta.title_field] if meta.title_field else []
    names += [s.strip() for s in str(meta.get("search_fields") or "").split(",")]
    like = list(dict.fromkeys(n for n in names if n and usable(n)))
    exact = [
        df.fieldname
        for df in meta.fields
        if df.flag("unique") and df.fieldtype == "Data" and df.fieldname in readable
    ]
    shown = like + [
        df.fieldname
        for df in meta.fields
        if df.flag("in_list_view") and usable(df.fieldname) and df.fieldname not in like
    ]
    return like, exact, shown[:4], sorted(sensitive)


def search_documents(ctx: Context, doctype: str, text: str) -> list[Hit]:
    meta = ctx.get_meta(doctype)
    like, exact, shown, _ = _plan(ctx, meta)
    or_filters: list[list[Any]] = [["name", "like", f"{text}%"]]
    or_filters += [[f, "like", f"%{text}%"] for f in like]
    or_filters += [[f, "=", text] for f in exact if f not in like]
    rows = ctx.get_list(
        doctype,
        fields=["name", *shown],
        or_filters=or_filters,
        order_by="name desc",
        limit_page_length=PER_DOCTYPE,
    )
    title = meta.title_field if meta.title_field in shown else None
    hits = []
    for row in rows:
        label = str(row.get(title) or row["name"]) if title else str(row["name"])
        details = [str(row["name"])] if label != str(row["name"]) else []
        for f in shown:
            if f != title and row.get(f) not in (None, ""):
                details.append(format_value(meta.get_field(f).fieldtype, row[f]))
        hits.append(
            Hit(
                label=label,
                url=f"/app/{slug(doctype)}/{quote(str(row['name']), safe='')}",
                doctype=doctype,
                detail=" · ".join(dict.fromkeys(details)),
            )
        )
    return hits


def search(ctx: Context, query: Any) -> Results:
    text = clean(query)
    results = Results(text)
    if len(text) < MIN_QUERY:
        return results
    lowered = text.lower()
    for module_doctypes in _readable(ctx):
        if lowered in module_doctypes.lower() and len(results.doctypes) < MAX_DOCTYPES:
            results.doctypes.append(
                Hit(
                    module_doctypes, f"/app/{slug(module_doctypes)}", module_doctypes, "", "doctype"
                )
            )
            if has_permission(ctx, module_doctypes, "create"):
                results.doctypes.append(
                    Hit(
                        module_doctypes,
                        f"/app/{slug(module_doctypes)}/new",
                        module_doctypes,
                        "",
                        "new",
                    )
                )
    for doctype in searchable_doctypes(ctx):
        try:
            results.documents += search_documents(ctx, doctype, text)
        except LayananError:  # a DocType the query cannot serve (e.g. odd meta): skipped
            continue
    return results


def _readable(ctx: Context) -> list[str]:
    out = []
    for name in sorted(ctx.all_doctypes()):
        meta = ctx.get_meta(name)
        if not meta.istable and has_permission(ctx, name, "read"):
            out.append(name)
    return out


@router.get("/app/search", response_class=HTMLResponse)
def search_page(request: Request, desk: DeskRequest) -> Response:
    """The listbox fragment for the header (`?fragment=1`) or a whole results page."""
    from .routes import render

    desk.require_user(request)
    results = search(desk.ctx, request.query_params.get("q"))
    fragment = request.query_params.get("fragment") == "1"
    return render(desk, "search_results.html" if fragment else "search.html", results=results)
