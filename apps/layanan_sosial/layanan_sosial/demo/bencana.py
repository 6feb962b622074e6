"""A flash flood in Flores Timur (Tanggap Darurat) with victims, their needs, and aid
distributions in every state of "Alur Penyaluran Bantuan": planned by the kabupaten's
Petugas Bencana, approved and verified by Admin Dinsos (never their own document)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from .common import aksi, hari_ini, pada, rng, wilayah_desa
from .nama import PembuatNIK, jenis_kelamin, nama_orang, tanggal_lahir

if TYPE_CHECKING:
    from layanan_sosial.core.context import Context

DOCTYPES = ("Kejadian Bencana", "Korban Bencana", "Penyaluran Bantuan")
NAMA = "Banjir Bandang dan Tanah Longsor Adonara"
PETUGAS, ADMIN = "petugas.bencana", "admin.dinsos"
KEBUTUHAN = (("Makanan", "Beras", "kg", 10), ("Sandang", "Paket sandang", "paket", 1),
             ("Tempat Penampungan Pengungsi", "Tikar dan selimut", "set", 1))  # fmt: skip
PENYALURAN = ("Diverifikasi", "Disalurkan", "Disetujui", "Rencana", "Ditolak")


def sudah_ada(ctx: Context) -> bool:
    with ctx.ignore_permissions():
        return bool(ctx.get_all("Kejadian Bencana", filters={"nama_kejadian": NAMA}, limit=1))


def buat(ctx: Context) -> str:
    r = rng("bencana")
    today = hari_ini(ctx)
    mulai = dt.datetime.combine(today - dt.timedelta(days=25), dt.time(4, 30))
    desa = wilayah_desa(ctx, "53.06")
    kecamatan = sorted({d.rsplit(".", 1)[0] for d in desa})[:3]
    pada(ctx, mulai + dt.timedelta(hours=5), PETUGAS)
    kejadian = ctx.new_doc(
        "Kejadian Bencana",
        nama_kejadian=NAMA,
        jenis_bencana="Banjir Bandang",
        tanggal_kejadian=mulai.date(),
        wilayah="53.06",
        status="Tanggap Darurat",
        wilayah_terdampak=[
            {"wilayah": k, "keterangan": "Rumah rusak dan akses jalan putus"} for k in kecamatan
        ],  # fmt: skip
        keterangan="Hujan lebat semalaman memicu banjir bandang dari lereng gunung.",
        sumber_data="BPBD Kabupaten Flores Timur",
    ).insert()
    niks, korban = PembuatNIK(), []
    for i in range(60):
        perempuan = r.random() < 0.52
        lahir = tanggal_lahir(r, 0, 85, today)
        tempat = r.choice([d for d in desa if d.rsplit(".", 1)[0] in kecamatan] or desa)
        korban.append({
            "kejadian": kejadian.name,
            "nama": nama_orang(r, "53.06", perempuan),
            "nik": niks.baru(r, tempat, lahir, perempuan) if i % 5 else None,
            "jenis_kelamin": jenis_kelamin(perempuan),
            "tanggal_lahir": lahir,
            "wilayah": tempat,
            "kondisi": r.choice(("Selamat",) * 8 + ("Luka Ringan", "Luka Berat")),
            "status_pengungsian": r.choice(("Mengungsi", "Mengungsi", "Tidak Mengungsi")),
            "lokasi_pengungsian": "Aula Paroki Waiwerang",
            "disabilitas": int(r.random() < 0.04),
            "kebutuhan": [{"jenis": j, "item": item, "satuan": sat, "jumlah": n}
                          for j, item, sat, n in KEBUTUHAN],
        })  # fmt: skip
    pada(ctx, mulai + dt.timedelta(hours=20), PETUGAS)
    ctx.insert_many("Korban Bencana", korban)
    total = {item: n * len(korban) for _, item, _, n in KEBUTUHAN}
    for i, tujuan in enumerate(PENYALURAN):
        t = mulai + dt.timedelta(days=1 + 3 * i)
        pada(ctx, t, PETUGAS)
        doc = ctx.new_doc(
            "Penyaluran Bantuan",
            kejadian=kejadian.name,
            tanggal=t.date(),
            posko="Posko Utama Waiwerang",
            items=[
                {
                    "jenis": j,
                    "item": item,
                    "satuan": sat,
                    "jumlah_disalurkan": round(total[item] * 0.15),
                }
                for j, item, sat, _ in KEBUTUHAN
            ],  # fmt: skip
        ).insert()
        if tujuan == "Rencana":
            continue
        if tujuan == "Ditolak":
            aksi(ctx, doc, "Tolak", ADMIN, t + dt.timedelta(hours=6),
                 catatan="Stok beras gudang provinsi belum tiba.")  # fmt: skip
            continue
        aksi(ctx, doc, "Setujui", ADMIN, t + dt.timedelta(hours=4))
        if tujuan == "Disetujui":
            continue
        aksi(ctx, doc, "Salurkan", PETUGAS, t + dt.timedelta(days=1))
        if tujuan == "Diverifikasi":
            aksi(ctx, doc, "Verifikasi", ADMIN, t + dt.timedelta(days=2))
    return f"1 kejadian bencana, {len(korban)} korban, {len(PENYALURAN)} penyaluran bantuan"
