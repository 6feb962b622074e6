"""DocTypes as the desk sees them: slug ↔ name, and which ones a user may open."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..exceptions import DoesNotExistError
from ..meta.model import slug
from ..permissions import has_permission

if TYPE_CHECKING:
    from ..context import Context
    from ..meta.model import Meta

__all__ = ["doctype_for_slug", "readable_doctypes", "slug"]


def _slug_map(ctx: Context) -> dict[str, str]:
    key = ("desk_slugs", ctx.meta_version)
    found = ctx.cache.get(key)
    if found is None:
        found = {slug(name): name for name in ctx.all_doctypes()}
        ctx.cache[key] = found
    return found


def doctype_for_slug(ctx: Context, value: str) -> Meta:
    """The DocType of `/app/<slug>` (also accepts the exact name); child tables never."""
    name = _slug_map(ctx).get(value.lower()) or (value if ctx.doctype_exists(value) else None)
    if name is None:
        raise DoesNotExistError(f"DocType {value} tidak ditemukan")
    meta = ctx.get_meta(name)
    if meta.istable:
        raise DoesNotExistError(f"{name} adalah tabel anak")
    return meta


def readable_doctypes(ctx: Context) -> dict[str, list[str]]:
    """Module → DocTypes the user may read (child tables left out), sorted by name."""
    out: dict[str, list[str]] = {}
    for name in sorted(ctx.all_doctypes()):
        meta = ctx.get_meta(name)
        if meta.istable or not has_permission(ctx, name, "read"):
            continue
        out.setdefault(str(meta.get("module") or "Core"), []).append(name)
    return out
