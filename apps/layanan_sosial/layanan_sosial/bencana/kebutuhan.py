"""Needs of disaster victims against aid distributed, per kejadian and item.

Every query goes through the caller's Context, so the figures are permission-scoped: a
kabupaten user (User Permission on Wilayah) counts only the victims and distributions whose
wilayah lies in their region.

- An item is identified by its name and unit, compared case- and space-insensitively
  ("Beras"/"kg" and " beras "/"KG" are one line; "Beras"/"karung" is another).
- kebutuhan = Σ the victims' need rows (Korban Bencana → Kebutuhan).
- disalurkan = Σ jumlah_disalurkan of Penyaluran Bantuan in state Disalurkan or
  Diverifikasi (actually handed out); direncanakan = the same for Rencana and Disetujui
  (planned, not yet handed out). Ditolak and cancelled documents count nowhere.
- selisih = kebutuhan − disalurkan (negative: more handed out than needed);
  persen = disalurkan ÷ kebutuhan × 100, 2 decimals half up (None when kebutuhan is 0).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from layanan_sosial.core.context import Context

KORBAN = "Korban Bencana"
KEJADIAN = "Kejadian Bencana"
PENYALURAN = "Penyaluran Bantuan"

DIRENCANAKAN = ("Rencana", "Disetujui")
DISALURKAN = ("Disalurkan", "Diverifikasi")
DITOLAK = "Ditolak"

Key = tuple[str, str]


def item_key(item: Any, satuan: Any) -> Key:
    """The identity of an item line: name and unit, case- and space-insensitive."""
    return (
        " ".join(str(item or "").split()).casefold(),
        " ".join(str(satuan or "").split()).casefold(),
    )


def angka(value: Any, digits: int = 3) -> float:
    """A quantity for display: exact half-up rounding of a float sum (0.1 + 0.2 → 0.3)."""
    quantum = Decimal(1).scaleb(-digits)
    return float(Decimal(str(value or 0)).quantize(quantum, rounding=ROUND_HALF_UP))


def persen(bagian: float, total: float) -> float | None:
    if not total:
        return None
    value = Decimal(str(bagian)) * 100 / Decimal(str(total))
    return float(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def _as_list(kejadian: str | Iterable[str] | None) -> list[str] | None:
    if kejadian is None:
        return None
    if isinstance(kejadian, str):
        return [kejadian]
    return list(kejadian)


def need_rows(
    ctx: Context, kejadian: str | Iterable[str] | None = None, korban: str | None = None
) -> list[dict[str, Any]]:
    """The victims' need rows the user may read: kejadian, korban, jenis, item, satuan, jumlah."""
    filters: list[list[Any]] = []
    names = _as_list(kejadian)
    if names is not None:
        filters.append(["kejadian", "in", names or [""]])
    if korban:
        filters.append(["name", "=", korban])
    rows = ctx.get_list(
        KORBAN,
        fields=[
            "name as korban",
            "kejadian",
            "kebutuhan.jenis as jenis",
            "kebutuhan.item as item",
            "kebutuhan.satuan as satuan",
            "kebutuhan.jumlah as jumlah",
        ],
        filters=filters,
        order_by="creation asc, name asc, kebutuhan.idx asc",
        limit_page_length=0,
    )
    return [dict(r) for r in rows if r.get("item")]


def distribution_rows(
    ctx: Context, kejadian: str | Iterable[str] | None = None, *, exclude: str | None = None
) -> list[dict[str, Any]]:
    """Item rows of the distributions the user may read (not cancelled, not rejected):
    penyaluran, kejadian, workflow_state, jenis, item, satuan, jumlah, penerima."""
    filters: list[list[Any]] = [["docstatus", "<", 2]]
    names = _as_list(kejadian)
    if names is not None:
        filters.append(["kejadian", "in", names or [""]])
    if exclude:
        filters.append(["name", "!=", exclude])
    rows = ctx.get_list(
        PENYALURAN,
        fields=[
            "name as penyaluran",
            "kejadian",
            "workflow_state",
            "items.jenis as jenis",
            "items.item as item",
            "items.satuan as satuan",
            "items.jumlah_disalurkan as jumlah",
            "items.penerima as penerima",
        ],
        filters=filters,
        order_by="creation asc, name asc, items.idx asc",
        limit_page_length=0,
    )
    return [dict(r) for r in rows if r.get("item") and r.get("workflow_state") != DITOLAK]


def ringkasan(ctx: Context, kejadian: str | Iterable[str] | None = None) -> list[dict[str, Any]]:
    """Per kejadian and item: kebutuhan, direncanakan, disalurkan, selisih, persen
    (see the module doc), ordered by kejadian then item as first written."""
    lines: dict[tuple[str, Key], dict[str, Any]] = {}

    def line(row: dict[str, Any]) -> dict[str, Any]:
        key = (row["kejadian"], item_key(row["item"], row["satuan"]))
        found = lines.get(key)
        if found is None:
            found = lines[key] = {
                "kejadian": row["kejadian"],
                "jenis": row.get("jenis") or None,
                "item": " ".join(str(row["item"]).split()),
                "satuan": " ".join(str(row["satuan"] or "").split()),
                "kebutuhan": 0.0,
                "direncanakan": 0.0,
                "disalurkan": 0.0,
            }
        elif not found["jenis"] and row.get("jenis"):
            found["jenis"] = row["jenis"]
        return found

    for row in need_rows(ctx, kejadian):
        line(row)["kebutuhan"] += float(row["jumlah"] or 0)
    for row in distribution_rows(ctx, kejadian):
        target = "disalurkan" if row["workflow_state"] in DISALURKAN else "direncanakan"
        line(row)[target] += float(row["jumlah"] or 0)
    result = []
    for found in lines.values():
        for field in ("kebutuhan", "direncanakan", "disalurkan"):
            found[field] = angka(found[field])
        found["selisih"] = angka(found["kebutuhan"] - found["disalurkan"])
        found["persen"] = persen(found["disalurkan"], found["kebutuhan"])
        result.append(found)
    result.sort(key=lambda r: r["kejadian"])  # stable: items keep their first-seen order
    return result


def sisa_kebutuhan(
    ctx: Context, kejadian: str, *, exclude: str | None = None
) -> dict[tuple[Key, str | None], float]:
    """Remaining need per (item key, korban or None for the whole kejadian): the victims'
    need minus every other distribution that is not rejected or cancelled (planned ones
    included, so two plans cannot both claim the same need)."""
    remaining: dict[tuple[Key, str | None], float] = {}
    for row in need_rows(ctx, kejadian):
        key = item_key(row["item"], row["satuan"])
        jumlah = float(row["jumlah"] or 0)
        remaining[(key, None)] = remaining.get((key, None), 0.0) + jumlah
        remaining[(key, row["korban"])] = remaining.get((key, row["korban"]), 0.0) + jumlah
    for row in distribution_rows(ctx, kejadian, exclude=exclude):
        key = item_key(row["item"], row["satuan"])
        jumlah = float(row["jumlah"] or 0)
        remaining[(key, None)] = remaining.get((key, None), 0.0) - jumlah
        if row.get("penerima"):
            slot = (key, row["penerima"])
            remaining[slot] = remaining.get(slot, 0.0) - jumlah
    return {k: angka(max(v, 0.0)) for k, v in remaining.items()}


def usulan_item(ctx: Context, kejadian: str, *, exclude: str | None = None) -> list[dict[str, Any]]:
    """Item rows for a new distribution: every item of the kejadian with remaining need > 0
    (jenis, item, satuan, jumlah_kebutuhan, jumlah_disalurkan = the remaining need)."""
    sisa = sisa_kebutuhan(ctx, kejadian, exclude=exclude)
    seen: dict[Key, dict[str, Any]] = {}
    for row in need_rows(ctx, kejadian):
        key = item_key(row["item"], row["satuan"])
        if key in seen or sisa.get((key, None), 0) <= 0:
            continue
        seen[key] = {
            "jenis": row.get("jenis") or None,
            "item": " ".join(str(row["item"]).split()),
            "satuan": " ".join(str(row["satuan"] or "").split()),
            "jumlah_kebutuhan": sisa[(key, None)],
            "jumlah_disalurkan": sisa[(key, None)],
        }
    return list(seen.values())
