"""SPM achievement from the site's data: targets (Target SPM) and services (the sources of
spm/sumber.py), per region group and service type.

Regions include their descendants (a kabupaten counts its kecamatan and desa). Targets:
within a group's subtree, a target counts unless a target of the same year and service type
is set on one of its ancestors inside that subtree — the higher target is the assessed need
of the whole area, so kabupaten and province targets are never added twice. Services: a
person counts once per service type and group, however many records or sources name them.
Quarter `triwulan` = year to date (quarters 1..triwulan): the target is yearly and SPM
quarterly reports show cumulative achievement against it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from layanan_sosial.core.exceptions import ValidationError
from layanan_sosial.spm.capaian import AturanSPM, hasil_capaian
from layanan_sosial.spm.sumber import Permintaan, sumber_terdaftar

if TYPE_CHECKING:
    from layanan_sosial.core.context import Context


@dataclass
class _Hitungan:
    sasaran: int = 0
    ada_target: bool = False
    penerima: set[str] = field(default_factory=set)
    wajib: int = 0
    terpenuhi: int = 0


def _rentang(ctx: Context, akar: str) -> dict[str, tuple[int, int]]:
    """name → (lft, rgt) of `akar` and every region below it."""
    with ctx.ignore_permissions():
        rows = ctx.get_all(
            "Wilayah",
            filters=[["name", "descendants of (inclusive)", akar]],
            fields=["name", "lft", "rgt"],
        )
    return {r["name"]: (int(r["lft"]), int(r["rgt"])) for r in rows}


def hitung(
    ctx: Context,
    *,
    tahun: int,
    jenis_layanan: list[str],
    akar: str,
    kelompok: list[str] | None = None,
    sampai_triwulan: int | None = None,
    aturan: AturanSPM,
) -> dict[tuple[str, str], dict[str, Any] | None]:
    """{(group region, service type): result of `hasil_capaian`, or None without a target}.

    `kelompok` are regions inside `akar` to report separately (default: `akar` itself).
    Targets and services are read with the caller's permissions."""
    rentang = _rentang(ctx, akar)
    kelompok = kelompok or [akar]
    for nama in kelompok:
        if nama not in rentang:
            raise ValidationError(f"Wilayah {nama} tidak berada di {akar}", field="wilayah")
    batas = {g: rentang[g] for g in kelompok}

    def kelompok_dari(wilayah: str | None) -> list[str]:
        if wilayah not in rentang:
            return []
        lft = rentang[wilayah][0]
        return [g for g, (a, b) in batas.items() if a <= lft <= b]

    hasil = {(g, j): _Hitungan() for g in kelompok for j in jenis_layanan}

    targets = ctx.get_all(
        "Target SPM",
        filters=[
            ["tahun", "=", tahun],
            ["jenis_layanan_spm", "in", jenis_layanan],
            ["wilayah", "descendants of (inclusive)", akar],
        ],
        fields=["wilayah", "jenis_layanan_spm", "jumlah_sasaran"],
    )
    for g in kelompok:
        dalam = [t for t in targets if g in kelompok_dari(t["wilayah"])]
        for t in dalam:
            lft, rgt = rentang[t["wilayah"]]
            tertutup = any(
                o is not t
                and o["jenis_layanan_spm"] == t["jenis_layanan_spm"]
                and rentang[o["wilayah"]][0] < lft
                and rentang[o["wilayah"]][1] > rgt
                for o in dalam
            )
            if not tertutup:
                h = hasil[(g, t["jenis_layanan_spm"])]
                h.sasaran += int(t["jumlah_sasaran"] or 0)
                h.ada_target = True

    permintaan = Permintaan(tahun, tuple(jenis_layanan), akar, sampai_triwulan)
    for sumber in sumber_terdaftar(ctx.site.apps):
        if not sumber.melayani(jenis_layanan):
            continue
        for catatan in sumber.ambil(ctx, permintaan):
            if catatan.jenis_layanan not in jenis_layanan or not catatan.penerima:
                continue
            for g in kelompok_dari(catatan.wilayah):
                h = hasil[(g, catatan.jenis_layanan)]
                h.penerima.add(catatan.penerima)
                h.wajib += catatan.item_wajib
                h.terpenuhi += catatan.item_terpenuhi

    return {
        key: (
            hasil_capaian(h.sasaran, len(h.penerima), h.wajib, h.terpenuhi, aturan)
            if h.ada_target
            else None
        )
        for key, h in hasil.items()
    }
