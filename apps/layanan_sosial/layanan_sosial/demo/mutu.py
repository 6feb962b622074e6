"""Survei Kepuasan: responses to the IKM survey (9 unsur, 1–4) from the public portal, for
the services of Dinas Sosial and its UPTD over the past months."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from .common import hari_ini, pada, rng

if TYPE_CHECKING:
    from layanan_sosial.core.context import Context

DOCTYPES = ("Survei Kepuasan",)
JUMLAH = 240
LAYANAN = (
    # layanan, unit, wilayah, quality bias (higher = better scores)
    ("Pengaduan SLRT", "Dinas Sosial Kota Kupang", "Kota Kupang", 0.55),
    ("Rujukan SLRT", "Dinas Sosial Kota Kupang", "Kota Kupang", 0.45),
    ("Pengaduan SLRT", "Dinas Sosial Kabupaten Sikka", "Kabupaten Sikka", 0.35),
    ("Rehabilitasi Sosial Lansia", "UPTD Panti Sosial Lanjut Usia Kupang", "Kota Kupang", 0.65),
    ("Bantuan Korban Bencana", "Dinas Sosial Provinsi NTT", "Kabupaten Flores Timur", 0.25),
)
PEKERJAAN = ("Petani", "Nelayan", "Ibu Rumah Tangga", "Buruh", "Pedagang", "Wiraswasta",
             "Tidak Bekerja", "Pensiunan", "Guru Honorer", "Pelajar/Mahasiswa")  # fmt: skip
PENDIDIKAN = ("SD", "SD", "SMP", "SMP", "SMA", "SMA", "SMA", "D1-D3", "S1/D4", "Tidak Sekolah")
SARAN = (
    "Pelayanan cepat, petugas ramah.",
    "Mohon informasi persyaratan dipasang di papan pengumuman desa.",
    "Waktu tunggu terlalu lama, antrean tidak teratur.",
    "Petugas datang ke rumah, sangat membantu lansia.",
    "Biaya transportasi ke kantor dinas mahal, mohon layanan jemput bola.",
    None,
    None,
)


def sudah_ada(ctx: Context) -> bool:
    with ctx.ignore_permissions():
        return ctx.get_count("Survei Kepuasan", filters={"owner": "Guest"}) > 0


def _skor(r, bias: float) -> int:
    x = r.random() * 0.6 + bias * 0.7
    return 4 if x > 0.75 else 3 if x > 0.4 else 2 if x > 0.15 else 1


def buat(ctx: Context) -> str:
    r = rng("mutu")
    today = hari_ini(ctx)
    rows = []
    for _ in range(JUMLAH):
        layanan, unit, wilayah, bias = r.choice(LAYANAN)
        row = {
            "tanggal": today - dt.timedelta(days=r.randint(1, 170)),
            "layanan": layanan,
            "unit": unit,
            "wilayah": wilayah,
            "jenis_kelamin": r.choice(("Laki-laki", "Perempuan")),
            "umur": r.randint(18, 78),
            "pendidikan": r.choice(PENDIDIKAN),
            "pekerjaan": r.choice(PEKERJAAN),
            "saran": r.choice(SARAN),
        }
        for i in range(1, 10):
            row[f"u{i}"] = _skor(r, bias + (0.1 if i in (5, 8) else 0))
        rows.append(row)
    pada(ctx, dt.datetime.combine(today, dt.time(10, 0)), "Guest")
    ctx.insert_many("Survei Kepuasan", rows)
    return f"{len(rows)} jawaban survei kepuasan"
