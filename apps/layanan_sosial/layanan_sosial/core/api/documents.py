"""Documents over the wire: what a client may send (unknown fields are refused), what it
gets back (fields it may not read are removed; v1 omits nulls like Frappe)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..audit import log_sensitive_read
from ..exceptions import DataError, DoesNotExistError, PermissionError_
from ..meta.model import CHILD_COLUMNS, STANDARD_COLUMNS
from ..permissions import has_permission, strip_unreadable

if TYPE_CHECKING:
    from ..context import Context
    from ..document.document import Document
    from ..meta.model import Meta

# Keys clients send back with documents; accepted and handled by the engine (or ignored).
_ECHOED = frozenset(
    STANDARD_COLUMNS
    + CHILD_COLUMNS
    + (
        "doctype",
        "__newname",
        "__islocal",
        "__unsaved",
        "_user_tags",
        "_comments",
        "_assign",
        "_liked_by",
        "_seen",
    )
)


def check_body(ctx: Context, meta: Meta, body: Any, where: str = "") -> dict[str, Any]:
    """The document body as a dict, refusing unknown fields and malformed child tables."""
    if not isinstance(body, dict):
        raise DataError(f"{where or meta.name}: dokumen harus berupa objek JSON")
    unknown = [k for k in body if k not in _ECHOED and not meta.has_field(k) and k != "flags"]
    if unknown:
        raise DataError(
            f"{where or meta.name}: field tidak dikenal: {', '.join(sorted(map(str, unknown)))}",
            field=str(unknown[0]),
        )
    clean = {k: v for k, v in body.items() if k != "flags"}
    for df in meta.table_fields:
        rows = clean.get(df.fieldname)
        if rows is None:
            continue
        if not isinstance(rows, list):
            raise DataError(
                f"{meta.name}: {df.fieldname} harus berupa daftar baris", field=df.fieldname
            )
        child = ctx.get_meta(df.options)
        clean[df.fieldname] = [
            check_body(ctx, child, row, f"{meta.name}.{df.fieldname} baris {i}")
            for i, row in enumerate(rows, 1)
        ]
    return clean


def doc_out(ctx: Context, doc: Document, *, v2: bool = False) -> dict[str, Any]:
    data = strip_unreadable(ctx, doc.meta, doc.as_dict(no_nulls=not v2))
    log_sensitive_read(ctx, doc.meta, (data,))
    return data


def require_doctype(ctx: Context, doctype: str) -> Meta:
    if not ctx.doctype_exists(doctype):
        raise DoesNotExistError(f"DocType {doctype} not found")
    return ctx.get_meta(doctype)


def check_doctype_access(ctx: Context, doctype: str, right: str = "read") -> None:
    """List-level gate: 403 when the user has no way at all to `right` this DocType."""
    require_doctype(ctx, doctype)
    if not has_permission(ctx, doctype, right):
        raise PermissionError_(f"Tidak diizinkan mengakses {doctype}")
