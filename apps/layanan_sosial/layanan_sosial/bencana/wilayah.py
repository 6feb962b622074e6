"""Region helpers for the Bencana module (Wilayah is a nested-set tree)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from layanan_sosial.core.context import Context


def within(ctx: Context, wilayah: Any, induk: Any) -> bool:
    """True when `wilayah` is `induk` or lies below it in the Wilayah tree."""
    if not wilayah or not induk:
        return False
    if wilayah == induk:
        return True
    with ctx.ignore_permissions():
        rows = ctx.get_all(
            "Wilayah", filters={"name": ["in", [wilayah, induk]]}, fields=["name", "lft", "rgt"]
        )
    found = {r["name"]: r for r in rows}
    if wilayah not in found or induk not in found:
        return False
    inner, outer = found[wilayah], found[induk]
    return outer["lft"] < inner["lft"] and inner["rgt"] < outer["rgt"]


def nama_wilayah(ctx: Context, wilayah: Any) -> str | None:
    with ctx.ignore_permissions():
        return ctx.get_value("Wilayah", wilayah, "nama") if wilayah else None
