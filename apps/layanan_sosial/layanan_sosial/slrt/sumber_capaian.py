"""SPM achievement source of SLRT: direct services of cases outside panti (K1–K4).

A case's recipient counts as served (terlayani) for a service type when a direct-service row
(`Layanan Langsung Kasus`) dated in the period is tagged with that Jenis Layanan SPM. Quality,
per person and service type: required = the service's standard items (12 for K1–K4),
fulfilled = the distinct item codes (`kode_item_spm`) delivered in the period. The region is
the case's. Read with the caller's permissions (scoped users get their scope's figures).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import TYPE_CHECKING

from layanan_sosial.spm.sumber import Catatan, Permintaan, SumberCapaian, rentang_tanggal

if TYPE_CHECKING:
    from layanan_sosial.core.context import Context

LAYANAN_LUAR_PANTI = frozenset({"K1", "K2", "K3", "K4"})


def item_standar(ctx: Context, jenis: str) -> set[str]:
    """Codes of the standard items of a Jenis Layanan SPM."""
    with ctx.ignore_permissions():
        doc = ctx.get_doc("Jenis Layanan SPM", jenis)
    return {row.kode_item for row in doc.get("item_standar") or [] if row.kode_item}


def layanan_kasus(ctx: Context, permintaan: Permintaan) -> Iterator[Catatan]:
    jenis = [j for j in permintaan.jenis_layanan if j in LAYANAN_LUAR_PANTI]
    if not jenis:
        return
    kasus = {
        row["name"]: row
        for row in ctx.get_all(
            "Kasus",
            filters=[["wilayah", "descendants of (inclusive)", permintaan.wilayah]],
            fields=["name", "penerima_manfaat", "wilayah"],
        )
        if row["penerima_manfaat"]
    }
    if not kasus:
        return
    awal, akhir = rentang_tanggal(permintaan)
    rows = ctx.get_all(
        "Layanan Langsung Kasus",
        parent="Kasus",
        filters=[
            ["parent", "in", list(kasus)],
            ["jenis_layanan_spm", "in", jenis],
            ["tanggal", "between", [awal, akhir]],
        ],
        fields=["parent", "jenis_layanan_spm", "kode_item_spm"],
    )
    diberikan: dict[tuple[str, str], set[str]] = defaultdict(set)
    wilayah: dict[tuple[str, str], str] = {}
    for row in rows:
        case = kasus[row["parent"]]
        key = (case["penerima_manfaat"], row["jenis_layanan_spm"])
        wilayah[key] = case["wilayah"]
        if row["kode_item_spm"]:
            diberikan[key].add(row["kode_item_spm"])
        else:
            diberikan.setdefault(key, set())
    standar = {j: item_standar(ctx, j) for j in jenis}
    for (penerima, kode), items in diberikan.items():
        yield Catatan(
            jenis_layanan=kode,
            wilayah=wilayah[(penerima, kode)],
            penerima=penerima,
            item_wajib=len(standar[kode]),
            item_terpenuhi=len(items & standar[kode]),
        )


SUMBER = [SumberCapaian("Layanan Langsung Kasus", layanan_kasus, LAYANAN_LUAR_PANTI)]
