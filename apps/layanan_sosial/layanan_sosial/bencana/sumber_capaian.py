"""SPM achievement source of Bencana: aid handed to registered victims (P5 / K5).

A victim counts as served when an item row of a Penyaluran Bantuan that was handed out
(state Disalurkan or Diverifikasi) and dated in the period names them as recipient. The
service type follows the event's level: Provinsi → P5, Kabupaten/Kota → K5. Quality, per
person: required = the 5 standard items (food, clothing, shelter, care for vulnerable
groups, psychosocial support), fulfilled = the distinct item kinds (`jenis`) they received.
The person is their Penerima Manfaat when linked, else the victim record. Rows handed to a
post without a named recipient serve nobody countable. Read with the caller's permissions.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import TYPE_CHECKING

from layanan_sosial.spm.sumber import Catatan, Permintaan, SumberCapaian, rentang_tanggal

if TYPE_CHECKING:
    from layanan_sosial.core.context import Context

TERSALUR = ("Disalurkan", "Diverifikasi")
JENIS_PER_TINGKAT = {"Provinsi": "P5", "Kabupaten/Kota": "K5"}
# the Select options of Item Penyaluran Bantuan.jenis, in the order of the standard items
ITEM_STANDAR = (
    "Makanan",
    "Sandang",
    "Tempat Penampungan Pengungsi",
    "Penanganan Khusus Kelompok Rentan",
    "Dukungan Psikososial",
)


def penyaluran_bantuan(ctx: Context, permintaan: Permintaan) -> Iterator[Catatan]:
    wanted = {j for j in permintaan.jenis_layanan if j in JENIS_PER_TINGKAT.values()}
    if not wanted:
        return
    awal, akhir = rentang_tanggal(permintaan)
    penyaluran = {
        row["name"]: row
        for row in ctx.get_all(
            "Penyaluran Bantuan",
            filters=[
                ["workflow_state", "in", list(TERSALUR)],
                ["tanggal", "between", [awal, akhir]],
            ],
            fields=["name", "kejadian", "wilayah"],
        )
    }
    if not penyaluran:
        return
    tingkat = {
        row["name"]: JENIS_PER_TINGKAT.get(row["tingkat"])
        for row in ctx.get_all(
            "Kejadian Bencana",
            filters={"name": ["in", sorted({p["kejadian"] for p in penyaluran.values()})]},
            fields=["name", "tingkat"],
        )
    }
    rows = ctx.get_all(
        "Item Penyaluran Bantuan",
        parent="Penyaluran Bantuan",
        filters=[["parent", "in", list(penyaluran)], ["penerima", "is", "set"]],
        fields=["parent", "penerima", "jenis"],
    )
    korban = {
        row["name"]: row
        for row in ctx.get_all(
            "Korban Bencana",
            filters=[
                ["name", "in", sorted({r["penerima"] for r in rows})],
                ["wilayah", "descendants of (inclusive)", permintaan.wilayah],
            ],
            fields=["name", "penerima_manfaat", "wilayah"],
        )
    }
    diterima: dict[tuple[str, str], set[str]] = defaultdict(set)
    wilayah: dict[tuple[str, str], str] = {}
    for row in rows:
        jenis = tingkat.get(penyaluran[row["parent"]]["kejadian"])
        orang = korban.get(row["penerima"])
        if jenis not in wanted or orang is None:
            continue
        key = (orang["penerima_manfaat"] or f"korban:{orang['name']}", jenis)
        wilayah[key] = orang["wilayah"] or penyaluran[row["parent"]]["wilayah"]
        diterima[key].update({row["jenis"]} & set(ITEM_STANDAR))
    for (penerima, jenis), kinds in diterima.items():
        yield Catatan(
            jenis_layanan=jenis,
            wilayah=wilayah[(penerima, jenis)],
            penerima=penerima,
            item_wajib=len(ITEM_STANDAR),
            item_terpenuhi=len(kinds),
        )


SUMBER = [SumberCapaian("Penyaluran Bantuan", penyaluran_bantuan, frozenset({"P5", "K5"}))]
