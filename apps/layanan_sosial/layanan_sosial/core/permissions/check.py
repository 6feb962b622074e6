"""Single-document permission checks (read, write, create, delete, submit, cancel, ...)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..exceptions import PermissionError_
from .record_rules import document_passes
from .rights import RoleRights, role_rights
from .shares import has_shares, is_shared
from .userperms import document_allowed

if TYPE_CHECKING:
    from ..context import Context
    from ..document.document import Document
    from ..meta.model import Meta

RIGHT_LABEL = {
    "read": "membaca",
    "select": "memilih",
    "write": "mengubah",
    "create": "membuat",
    "delete": "menghapus",
    "submit": "mengajukan",
    "cancel": "membatalkan",
    "amend": "mengubah (amend)",
    "report": "melihat laporan",
    "export": "mengekspor",
    "import": "mengimpor",
    "share": "membagikan",
    "print": "mencetak",
    "email": "mengirim email",
}


def _values(doc: Document | dict[str, Any]) -> dict[str, Any]:
    return doc if isinstance(doc, dict) else doc._data


def has_permission(
    ctx: Context, doctype: str, right: str = "read", doc: Document | dict[str, Any] | None = None
) -> bool:
    """Whether the context's user has `right` on the DocType (doc=None) or on one document."""
    if not ctx.enforce_permissions:
        return True
    meta = ctx.get_meta(doctype)
    if meta.istable:
        parent = getattr(doc, "parent_doc", None) if doc is not None else None
        parenttype = (
            parent.doctype
            if parent is not None
            else (_values(doc).get("parenttype") if doc else None)
        )
        if not parenttype:
            return False
        return has_permission(ctx, parenttype, "write" if right != "read" else "read", parent)
    rights = role_rights(ctx, doctype)
    granted = rights.has(right) or (right == "select" and rights.has("read"))
    if doc is None:
        return granted or (right in ("read", "select") and has_shares(ctx, doctype, "read"))
    values = _values(doc)
    # record rules (record_rules.py) narrow the role, User Permission and share answer;
    # asked last: a rule may cost a query, and a document refused before needs none
    return _granted(ctx, meta, rights, granted, right, values) and document_passes(
        ctx, doctype, values, right
    )


def _granted(
    ctx: Context,
    meta: Meta,
    rights: RoleRights,
    granted: bool,
    right: str,
    values: dict[str, Any],
) -> bool:
    """Roles (with if_owner) and User Permissions, else a share."""
    if granted:
        effective = "read" if right == "select" and not rights.has("select") else right
        owner_ok = not rights.only_own(effective) or values.get("owner") in (None, ctx.user)
        if owner_ok and document_allowed(ctx, meta, values):
            return True
    name = values.get("name")
    if name is None or not is_shared(ctx, meta.name, name, right):
        return False
    # submitting through a share needs write as well, as in Frappe
    return right != "submit" or is_shared(ctx, meta.name, name, "write")


def check_permission(
    ctx: Context, doctype: str, right: str = "read", doc: Document | dict[str, Any] | None = None
) -> None:
    """Raise PermissionError_ (HTTP 403) when `has_permission` says no."""
    if has_permission(ctx, doctype, right, doc):
        return
    what = doctype if doc is None else f"{doctype} {_values(doc).get('name') or ''}".strip()
    raise PermissionError_(
        f"Tidak diizinkan {RIGHT_LABEL.get(right, right)} {what}",
        hint="minta hak akses kepada administrator",
    )
