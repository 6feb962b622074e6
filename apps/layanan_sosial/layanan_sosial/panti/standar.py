"""The standard items of a Jenis Layanan SPM (master data), as {kode_item: nama_item}."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from layanan_sosial.core.exceptions import ValidationError

if TYPE_CHECKING:
    from layanan_sosial.core.context import Context


def item_standar(ctx: Context, jenis_layanan: str) -> dict[str, str]:
    with ctx.ignore_permissions():
        jenis = ctx.get_doc("Jenis Layanan SPM", jenis_layanan)
    return {row.kode_item: row.nama_item for row in jenis.item_standar or [] if row.kode_item}


def isi_item(doc: Any, jenis_layanan: str | None, default: dict[str, Any]) -> None:
    """Fill the item rows with every standard item when empty; check and name given rows.

    Call it from `before_insert` too: an insert stamps child rows (name, parent) before the
    validate hook, so rows added there only would go unstamped (a save restamps after)."""
    if not jenis_layanan:
        return
    standar = item_standar(doc.ctx, jenis_layanan)
    if not doc.items:
        for kode, nama in standar.items():
            doc.append("items", {"kode_item": kode, "nama_item": nama, **default})
        return
    seen: set[str] = set()
    for row in doc.items:
        if row.kode_item not in standar:
            raise ValidationError(
                f"Baris {row.idx}: item {row.kode_item} bukan item standar {jenis_layanan}",
                field="items",
            )
        if row.kode_item in seen:
            raise ValidationError(
                f"Baris {row.idx}: item {row.kode_item} tercantum dua kali", field="items"
            )
        seen.add(row.kode_item)
        row.nama_item = standar[row.kode_item]
