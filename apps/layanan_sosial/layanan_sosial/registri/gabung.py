"""Merging a duplicate recipient into the record that stays, keeping history.

The duplicate's references (family rows, cases, referrals, residents, victims…), its
versions and its PPKS rows move to the record that stays (the engine's rename with merge);
fields empty on the record that stays are filled from the duplicate; what differed is kept
in a Comment on the record that stays, so nothing the duplicate said is lost.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from layanan_sosial.core.document.rename import rename_doc
from layanan_sosial.core.exceptions import ValidationError

if TYPE_CHECKING:
    from layanan_sosial.core.context import Context

DOCTYPE = "Penerima Manfaat"
# derived or bookkeeping fields: never copied, never compared
SKIP = frozenset({"naming_series", "nik_tersamar", "kemungkinan_duplikat", "jenis_ppks"})


def gabungkan(ctx: Context, utama: str, duplikat: str) -> dict[str, Any]:
    """Fold `duplikat` into `utama`; returns {name, diisi, berbeda} (fields filled / fields
    whose differing duplicate value is recorded in the comment)."""
    if not utama or not duplikat or utama == duplikat:
        raise ValidationError("Pilih dua penerima manfaat yang berbeda", field="duplikat")
    keep = ctx.get_doc(DOCTYPE, utama, for_update=True)
    dup = ctx.get_doc(DOCTYPE, duplikat, for_update=True)
    ctx.check_permission(DOCTYPE, "write", keep)
    ctx.check_permission(DOCTYPE, "delete", dup)
    filled, differing = _compare(keep, dup)
    nik_duplikat = dup.nik
    if filled and "nik" in filled:
        dup.nik = None  # the unique NIK moves with the merge, not twice
        dup.save()
    _note(ctx, utama, duplikat, differing)
    rename_doc(ctx, DOCTYPE, duplikat, utama, merge=True, ignore_allow_rename=True)
    keep = ctx.get_doc(DOCTYPE, utama, for_update=True)
    for field in filled:
        keep.set(field, nik_duplikat if field == "nik" else dup.get(field))
    _dedupe_ppks(keep)
    keep.save()
    return {"name": utama, "diisi": sorted(filled), "berbeda": sorted(differing)}


def _compare(keep: Any, dup: Any) -> tuple[list[str], dict[str, Any]]:
    filled: list[str] = []
    differing: dict[str, Any] = {}
    for df in keep.meta.data_fields:
        name = df.fieldname
        if name in SKIP or df.flag("read_only"):
            continue
        mine, theirs = keep.get(name), dup.get(name)
        if theirs in (None, "", 0):
            continue
        if mine in (None, "", 0):
            filled.append(name)
        elif str(mine) != str(theirs):
            differing[name] = theirs
    return filled, differing


def _note(ctx: Context, utama: str, duplikat: str, differing: dict[str, Any]) -> None:
    lines = [f"Digabung dari {duplikat}."]
    if differing:
        lines.append("Nilai pada data duplikat yang berbeda (tidak dipakai):")
        lines += [f"- {field}: {value}" for field, value in sorted(differing.items())]
    with ctx.ignore_permissions():
        ctx.new_doc(
            "Comment",
            comment_type="Info",
            reference_doctype=DOCTYPE,
            reference_name=utama,
            content="\n".join(lines),
            comment_by=ctx.user,
        ).insert()


def _dedupe_ppks(doc: Any) -> None:
    seen: set[Any] = set()
    rows = []
    for row in doc.get("jenis_ppks") or []:
        key = row.get("jenis_ppks")
        if key in seen:
            continue
        seen.add(key)
        rows.append({k: v for k, v in row.as_dict().items() if k not in ("name", "idx")})
    doc.set("jenis_ppks", rows)
