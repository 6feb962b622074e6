"""Panti (government UPTD and private LKS) with staff, residents in every state of "Alur
Penghuni Panti", services delivered per quarter against the standard items, and yearly SPM
self-assessments in several states of "Alur Penilaian SPM Panti".

Who does what (each step through the workflow engine as that user): Admin Dinsos registers
the panti and the admission requests (panti roles may not select Penerima Manfaat);
the panti's staff (UPTD) or the LKS partner accept, discharge and record services; the
assessment is drafted by one staff member, submitted by another, verified by Admin Dinsos.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from .common import aksi, email, hari_ini, pada, rng
from .master import LKS_DEMO, lembaga_demo

if TYPE_CHECKING:
    from layanan_sosial.core.context import Context

DOCTYPES = ("Panti", "Penghuni Panti", "Pemberian Layanan", "Penilaian SPM Panti")
ADMIN = "admin.dinsos"
UPTD, LKS = "Panti Pemerintah (UPTD)", "LKS Swasta"

# nama, jenis, lembaga, wilayah, layanan, kapasitas, staff users, residents, ages (min, max)
PANTI: tuple[tuple[Any, ...], ...] = (
    ("UPTD Panti Sosial Lanjut Usia Budi Agung Kupang", UPTD, None, "53.71.04", "P3", 60,
     ("kepala.panti", "petugas.panti"), 22, (60, 95)),
    ("UPTD Panti Sosial Asuhan Anak Naibonat", UPTD, None, "53.01", "P2", 80,
     ("kepala.panti", "petugas.panti"), 26, (6, 17)),
    ("UPTD Panti Sosial Bina Disabilitas Kupang", UPTD, None, "53.71", "P1", 40,
     ("kepala.panti", "petugas.panti"), 10, (10, 50)),
    ("Panti Asuhan Bunda Pengharapan", LKS, LKS_DEMO, "53.71.04", "P2", 35, (), 16, (6, 17)),
    ("Panti Werdha Kasih Sayang", LKS, "LKS Lansia Kasih Sayang Oebobo", "53.71.04", "P3", 25,
     (), 9, (60, 95)),
)  # fmt: skip
STAF_LAIN = (("Sr. Yasinta Mooy", "Pekerja Sosial"), ("Bernadus Haning", "Juru Masak"))


def sudah_ada(ctx: Context) -> bool:
    with ctx.ignore_permissions():
        return bool(ctx.get_all("Panti", filters={"nama": PANTI[0][0]}, limit=1))


def _pelaku(jenis: str, lembaga: str | None) -> tuple[str, str]:
    """(who accepts/records, who submits the assessment) for a panti."""
    if jenis == UPTD:
        return "kepala.panti", "kepala.panti"
    if lembaga == LKS_DEMO:
        return "mitra.lks", "pengurus.lks"
    return "operator.spm", ADMIN  # an LKS without accounts: Dinsos enters its data


def _calon(ctx: Context, umur: tuple[int, int], today: dt.date, disabilitas: bool) -> list[str]:
    lahir_max = today.replace(year=today.year - umur[0])
    lahir_min = today.replace(year=today.year - umur[1])
    filters: list[list[Any]] = [
        ["tanggal_lahir", "between", [lahir_min, lahir_max]],
        ["status", "=", "Aktif"],
        ["wilayah", "like", "53.%"],
    ]
    if disabilitas:
        filters.append(["disabilitas", "not in", ["", "Tidak Ada"]])
    with ctx.ignore_permissions():
        return ctx.get_all("Penerima Manfaat", filters=filters, pluck="name", order_by="name asc")


def buat(ctx: Context) -> str:
    r = rng("panti")
    today = hari_ini(ctx)
    now = dt.datetime.combine(today, dt.time(8, 0))
    dipakai: set[str] = set()
    jumlah = {"panti": 0, "penghuni": 0, "layanan": 0, "penilaian": 0}
    for i, (nama, jenis, lembaga, wilayah, layanan, kapasitas, staf, n, umur) in enumerate(PANTI):
        lembaga_name = lembaga_demo(ctx, lembaga) if lembaga else None
        # staff rows name Users, which only a System Manager may select
        pada(ctx, now - dt.timedelta(days=720 - i), "Administrator")
        panti = ctx.new_doc(
            "Panti",
            nama=nama,
            jenis=jenis,
            lembaga=lembaga_name,
            wilayah=wilayah,
            alamat=f"Jl. {['Frans Seda', 'Timor Raya km 34', 'Perintis Kemerdekaan'][i % 3]}",
            jenis_layanan_spm=layanan,
            kapasitas=kapasitas,
            akreditasi=["A", "B", "Belum", "B", "C"][i],
            tanggal_akreditasi=None if i == 2 else dt.date(2023, 3 + i, 10),
            petugas=[{"nama": " ".join(p.split(".")).title(), "jabatan": "Petugas", "user": email(p)}
                     for p in staf] + [{"nama": s, "jabatan": j} for s, j in STAF_LAIN],
        ).insert()  # fmt: skip
        jumlah["panti"] += 1
        penerima, penilai = _pelaku(jenis, lembaga)
        calon = [c for c in _calon(ctx, umur, today, layanan == "P1") if c not in dipakai]
        pilihan = r.sample(calon, min(n, len(calon)))
        dipakai.update(pilihan)
        for k, orang in enumerate(pilihan):
            diajukan = now - dt.timedelta(days=r.randint(40, 650))
            pada(ctx, diajukan, ADMIN)
            doc = ctx.new_doc(
                "Penghuni Panti",
                penerima_manfaat=orang,
                panti=panti.name,
                tanggal_pengajuan=diajukan.date(),
                asal_rujukan=r.choice(("Dinas Sosial Kab/Kota", "Kasus SLRT", "Keluarga", "Kepolisian")),
            ).insert()  # fmt: skip
            jumlah["penghuni"] += 1
            nasib = "Pengajuan" if k == 0 else "Ditolak" if k == 1 else (
                "Keluar" if k % 5 == 2 else "Diterima")  # fmt: skip
            if nasib == "Pengajuan":
                continue
            masuk = diajukan + dt.timedelta(days=r.randint(1, 10))
            if nasib == "Ditolak":
                aksi(ctx, doc, "Tolak", penerima, masuk,
                     alasan_penolakan="Masih memiliki keluarga yang sanggup merawat; dirujuk ke "
                     "layanan di luar panti.")  # fmt: skip
                continue
            aksi(ctx, doc, "Terima", penerima, masuk)
            keluar = None
            if nasib == "Keluar":
                keluar = masuk + dt.timedelta(days=r.randint(30, max(31, (now - masuk).days - 5)))
            jumlah["layanan"] += _layanan(ctx, r, doc.name, penerima, masuk, keluar or now, now)
            if keluar is not None:
                aksi(ctx, doc, "Keluarkan", penerima, keluar,
                     alasan_keluar=r.choice(("Reunifikasi", "Reunifikasi", "Mandiri", "Dirujuk")),
                     tanggal_keluar=keluar.date())  # fmt: skip
        jumlah["penilaian"] += _penilaian(ctx, r, panti.name, i, jenis, penilai, now)
    return (
        f"{jumlah['panti']} panti, {jumlah['penghuni']} penghuni, {jumlah['layanan']} catatan "
        f"pemberian layanan, {jumlah['penilaian']} penilaian SPM"
    )


def _layanan(ctx, r, penghuni: str, user: str, masuk, sampai, now) -> int:
    """One Pemberian Layanan per quarter of this year while the resident stayed."""
    dibuat = 0
    for triwulan in range(1, 5):
        awal = dt.datetime(now.year, 3 * triwulan - 2, 1)
        akhir = dt.datetime(now.year + (triwulan == 4), 1 if triwulan == 4 else 3 * triwulan + 1, 1)
        if awal > now or akhir <= masuk or awal > sampai:
            continue
        when = min(akhir - dt.timedelta(days=2), now, sampai)
        when = max(when, masuk + dt.timedelta(hours=1))
        pada(ctx, when, user)
        doc = ctx.new_doc("Pemberian Layanan", penghuni=penghuni, tahun=now.year, triwulan=triwulan)
        doc.run_method("before_insert")  # the standard items of the panti's service
        for row in doc.items:
            row.terpenuhi = int(r.random() < 0.85)
            row.jumlah = r.choice((1, 2, 3, 30, 90)) if row.terpenuhi else 0
        doc.catatan = r.choice((None, "Kontrol kesehatan di Puskesmas", "Kunjungan keluarga"))
        doc.insert()
        dibuat += 1
    return dibuat


def _penilaian(ctx, r, panti: str, i: int, jenis: str, penilai: str, now) -> int:
    """This year's assessment: approved, submitted, returned or still a draft."""
    penyusun = {"kepala.panti": "petugas.panti", "pengurus.lks": "mitra.lks"}.get(penilai, ADMIN)
    tujuan = ("Disetujui", "Diajukan", "Draft", "Dikembalikan", "Draft")[i]
    when = now - dt.timedelta(days=40 - 5 * i)
    pada(ctx, when, penyusun)
    doc = ctx.new_doc("Penilaian SPM Panti", panti=panti, tahun=now.year)
    doc.run_method("before_insert")
    for row in doc.items:
        row.memenuhi = int(r.random() < (0.9 if jenis == UPTD else 0.7))
        row.bukti = "Foto dan daftar hadir" if row.memenuhi else None
    doc.insert()
    if tujuan == "Draft" or penyusun == penilai:
        return 1
    aksi(ctx, doc, "Ajukan", penilai, when + dt.timedelta(days=3))
    if tujuan == "Disetujui":
        aksi(ctx, doc, "Setujui", ADMIN, when + dt.timedelta(days=10),
             catatan_verifikasi="Sesuai hasil kunjungan lapangan.")  # fmt: skip
    elif tujuan == "Dikembalikan":
        aksi(ctx, doc, "Kembalikan", ADMIN, when + dt.timedelta(days=9),
             catatan_verifikasi="Lengkapi bukti sarana asrama dan daftar petugas bersertifikat.")  # fmt: skip
    return 1
