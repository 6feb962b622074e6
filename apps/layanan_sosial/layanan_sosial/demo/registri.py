"""About 2,000 Penerima Manfaat over the 22 kabupaten/kota, in households (Keluarga with
member rows): NIKs valid for sex and birth date, KK numbers of the kecamatan, PPKS
categories, DTKS status and desil. Written with `insert_many` (full validation), one batch
per kabupaten, as the provincial Admin Dinsos on registration days over the past year."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from .common import email, hari_ini, pada, rng, wilayah_desa
from .nama import KABUPATEN, PembuatNIK, jenis_kelamin, nama_orang, tanggal_lahir

if TYPE_CHECKING:
    from layanan_sosial.core.context import Context

DOCTYPES = ("Penerima Manfaat", "Keluarga", "Wilayah", "Jenis PPKS")
PEMILIK = "admin.dinsos"
TOTAL = 2000
# rough population weights (thousands) of the kabupaten/kota
BOBOT = {
    "53.01": 370, "53.02": 460, "53.03": 260, "53.04": 220, "53.05": 210, "53.06": 280,
    "53.07": 320, "53.08": 270, "53.09": 170, "53.10": 320, "53.11": 260, "53.12": 150,
    "53.13": 140, "53.14": 150, "53.15": 260, "53.16": 160, "53.17": 90, "53.18": 340,
    "53.19": 280, "53.20": 90, "53.21": 190, "53.71": 440,
}  # fmt: skip
DISABILITAS = ("Disabilitas Fisik", "Disabilitas Sensorik", "Disabilitas Intelektual",
               "Disabilitas Mental", "Disabilitas Ganda")  # fmt: skip
JALAN = ("Jl. Timor Raya", "Jl. Nangka", "Jl. Kenari", "Jl. Cendana", "Jl. Lontar",
         "Jl. Flamboyan", "Dusun I", "Dusun II", "Dusun III", "Jl. Pelabuhan")  # fmt: skip


def sudah_ada(ctx: Context) -> bool:
    with ctx.ignore_permissions():
        return ctx.get_count("Penerima Manfaat", filters={"owner": email(PEMILIK)}) > 0


def _kuota() -> dict[str, int]:
    total = sum(BOBOT.values())
    return {kab: round(TOTAL * w / total) for kab, w in BOBOT.items()}


def _orang(r, desa, kab, niks, today, umur, perempuan, no_kk, alamat) -> dict[str, Any]:
    lahir = tanggal_lahir(r, umur[0], umur[1], today)
    row: dict[str, Any] = {
        "nik": niks.baru(r, desa, lahir, perempuan),
        "no_kk": no_kk,
        "nama_lengkap": nama_orang(r, kab, perempuan),
        "jenis_kelamin": jenis_kelamin(perempuan),
        "tempat_lahir": KABUPATEN[kab][0],
        "tanggal_lahir": lahir,
        "alamat": alamat["alamat"],
        "rt": alamat["rt"],
        "rw": alamat["rw"],
        "wilayah": desa,
        "status_dtks": r.choice(("Terdaftar",) * 6 + ("Belum",) * 2 + ("Diusulkan",) * 2),
        "desil": alamat["desil"],
        "persetujuan_data": int(r.random() < 0.9),
        "status": "Aktif",
        "disabilitas": "Tidak Ada",
        "jenis_ppks": [],
    }
    usia = (today - lahir).days // 365
    ppks: list[str] = []
    if r.random() < 0.05:
        row["disabilitas"] = r.choice(DISABILITAS)
        ppks.append("PPKS-05" if usia < 18 else "PPKS-09")
    if usia >= 60 and r.random() < 0.25:
        ppks.append("PPKS-08")
    if usia < 18 and r.random() < 0.05:
        ppks.append("PPKS-02" if usia >= 5 else "PPKS-01")
    if usia >= 60 and r.random() < 0.03:
        row["status"] = "Meninggal"
    elif r.random() < 0.02:
        row["status"] = "Pindah"
    row["jenis_ppks"] = [{"jenis_ppks": code} for code in ppks]
    return row


def _rumah_tangga(r, kab, desa_list, niks, today, nomor_kk) -> tuple[list[dict], list[str]]:
    """The members of one household and their relation to the head."""
    desa = r.choice(desa_list)
    no_kk = f"{desa.replace('.', '')[:6]}{nomor_kk:010d}"
    alamat = {
        "alamat": f"{r.choice(JALAN)} No. {r.randint(1, 120)}",
        "rt": f"{r.randint(1, 20):03d}",
        "rw": f"{r.randint(1, 8):03d}",
        "desil": r.choice((1, 1, 2, 2, 2, 3, 3, 4, 5)),
    }
    orang, hubungan = [], []
    kepala_perempuan = r.random() < 0.18  # women heading the household
    kepala = _orang(r, desa, kab, niks, today, (25, 75), kepala_perempuan, no_kk, alamat)
    if alamat["desil"] <= 2 and r.random() < 0.5:
        kepala["jenis_ppks"].append({"jenis_ppks": "PPKS-24"})
    if kepala_perempuan and r.random() < 0.3:
        kepala["jenis_ppks"].append({"jenis_ppks": "PPKS-23"})
    orang.append(kepala)
    hubungan.append("Kepala Keluarga")
    if not kepala_perempuan and r.random() < 0.85:
        orang.append(_orang(r, desa, kab, niks, today, (22, 65), True, no_kk, alamat))
        hubungan.append("Istri")
    for _ in range(r.choice((0, 1, 2, 2, 3, 3, 4, 5))):
        orang.append(_orang(r, desa, kab, niks, today, (0, 20), r.random() < 0.5, no_kk, alamat))
        hubungan.append("Anak")
    if r.random() < 0.15:
        orang.append(_orang(r, desa, kab, niks, today, (62, 92), r.random() < 0.6, no_kk, alamat))
        hubungan.append("Orang Tua")
    return orang, hubungan


def buat(ctx: Context) -> str:
    r = rng("registri")
    today = hari_ini(ctx)
    niks = PembuatNIK()
    jumlah_orang = jumlah_kk = 0
    nomor_kk = 1000
    for i, (kab, kuota) in enumerate(sorted(_kuota().items())):
        desa_list = wilayah_desa(ctx, kab)
        keluarga: list[tuple[list[dict], list[str]]] = []
        n = 0
        while n < kuota:
            nomor_kk += r.randint(1, 997)
            orang, hubungan = _rumah_tangga(r, kab, desa_list, niks, today, nomor_kk)
            keluarga.append((orang, hubungan))
            n += len(orang)
        # registration day of this kabupaten's batch: spread over the past year
        hari = dt.datetime.combine(today - dt.timedelta(days=360 - i * 15), dt.time(9, 0))
        pada(ctx, hari + dt.timedelta(minutes=r.randint(0, 400)), PEMILIK)
        rows = [o for orang, _ in keluarga for o in orang]
        names = iter(ctx.insert_many("Penerima Manfaat", rows))
        kk_rows = []
        for orang, hubungan in keluarga:
            anggota = [{"penerima": next(names), "hubungan": h} for h in hubungan]
            kk_rows.append(
                {
                    "no_kk": orang[0]["no_kk"],
                    "kepala_keluarga": anggota[0]["penerima"],
                    "alamat": orang[0]["alamat"],
                    "wilayah": orang[0]["wilayah"],
                    "desil": orang[0]["desil"],
                    "anggota": anggota,
                }
            )
        ctx.insert_many("Keluarga", kk_rows)
        jumlah_orang += len(rows)
        jumlah_kk += len(kk_rows)
    return f"{jumlah_orang} penerima manfaat dalam {jumlah_kk} keluarga di 22 kabupaten/kota"
