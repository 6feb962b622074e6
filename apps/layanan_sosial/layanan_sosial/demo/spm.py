"""SPM: this year's targets (P1–P4 for the province, P2/P3 for Kota Kupang, K1–K5 per
kabupaten/kota) and quarterly snapshots of achievement for the province through
`generate_laporan` and "Alur Laporan Capaian SPM": one approved by Pimpinan, one submitted,
one still a draft."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from .common import aksi, hari_ini, pada, rng
from .registri import BOBOT

if TYPE_CHECKING:
    from layanan_sosial.core.context import Context

DOCTYPES = ("Target SPM", "Laporan Capaian SPM", "Jenis Layanan SPM")
OPERATOR, ADMIN = "operator.spm", "admin.dinsos"


def sudah_ada(ctx: Context) -> bool:
    with ctx.ignore_permissions():
        return ctx.get_count("Target SPM", filters={"tahun": hari_ini(ctx).year}) > 0


def buat(ctx: Context) -> str:
    from layanan_sosial.spm.api import generate_laporan

    r = rng("spm")
    today = hari_ini(ctx)
    tahun = today.year
    sumber = "Hasil asesmen Dinas Sosial dan data DTKS"
    rows = [
        {
            "tahun": tahun,
            "wilayah": "53",
            "jenis_layanan_spm": j,
            "jumlah_sasaran": n,
            "sumber": sumber,
        }
        for j, n in (("P1", 45), ("P2", 120), ("P3", 90), ("P4", 30))
    ]
    rows += [{"tahun": tahun, "wilayah": "53.71", "jenis_layanan_spm": j, "jumlah_sasaran": n,
              "sumber": sumber} for j, n in (("P2", 40), ("P3", 30))]  # fmt: skip
    for kab, bobot in sorted(BOBOT.items()):
        for jenis in ("K1", "K2", "K3", "K4", "K5"):
            rows.append({"tahun": tahun, "wilayah": kab, "jenis_layanan_spm": jenis,
                         "jumlah_sasaran": max(5, bobot // r.randint(4, 12)), "sumber": sumber})  # fmt: skip
    pada(ctx, dt.datetime(tahun, 1, 15, 9, 0), OPERATOR)
    ctx.insert_many("Target SPM", rows)
    laporan = 0
    selesai = (today.month - 1) // 3  # quarters already over
    for triwulan in range(1, selesai + 1):
        t = dt.datetime(tahun, 3 * triwulan, 28, 10, 0) + dt.timedelta(days=5)
        pada(ctx, min(t, dt.datetime.combine(today, dt.time(9, 0))), OPERATOR)
        doc = ctx.get_doc(
            "Laporan Capaian SPM", generate_laporan(ctx, tahun, triwulan, "53")["name"]
        )
        laporan += 1
        sisa = selesai - triwulan  # the oldest is approved, the last one still a draft
        if sisa >= 1:
            aksi(ctx, doc, "Ajukan", ADMIN, ctx.now() + dt.timedelta(days=2))
        if sisa >= 2:
            aksi(ctx, doc, "Setujui", "pimpinan", ctx.now() + dt.timedelta(days=3))
    return f"{len(rows)} target SPM, {laporan} laporan capaian SPM provinsi"
