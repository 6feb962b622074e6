"""SPM achievement source of the Panti module: Pemberian Layanan (P1–P4, in-panti services).

A resident counts as served (terlayani) in a period when at least one Pemberian Layanan of
the period is recorded for them; quality counts every item row (required) and its
`terpenuhi` tick (fulfilled), from the totals stored on the record. The region is the one
stored on the record (recipient's domicile, else the panti's). Read with the caller's
permissions, so a user scoped to some panti or wilayah gets the figures of their scope.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from layanan_sosial.panti.doctype.panti.panti import LAYANAN_DALAM_PANTI
from layanan_sosial.spm.sumber import Catatan, Permintaan, SumberCapaian

if TYPE_CHECKING:
    from layanan_sosial.core.context import Context


def pemberian_layanan(ctx: Context, permintaan: Permintaan) -> Iterator[Catatan]:
    filters: list[list] = [
        ["tahun", "=", permintaan.tahun],
        ["jenis_layanan_spm", "in", list(permintaan.jenis_layanan)],
        ["wilayah", "descendants of (inclusive)", permintaan.wilayah],
    ]
    if permintaan.sampai_triwulan:
        filters.append(["triwulan", "<=", permintaan.sampai_triwulan])
    rows = ctx.get_all(
        "Pemberian Layanan",
        filters=filters,
        fields=[
            "jenis_layanan_spm",
            "wilayah",
            "penerima_manfaat",
            "jumlah_item_wajib",
            "jumlah_item_terpenuhi",
        ],
    )
    for row in rows:
        yield Catatan(
            jenis_layanan=row["jenis_layanan_spm"],
            wilayah=row["wilayah"],
            penerima=row["penerima_manfaat"],
            item_wajib=int(row["jumlah_item_wajib"] or 0),
            item_terpenuhi=int(row["jumlah_item_terpenuhi"] or 0),
        )


SUMBER = [
    SumberCapaian("Pemberian Layanan", pemberian_layanan, frozenset(LAYANAN_DALAM_PANTI)),
]
