"""SLRT: complaints in Kota Kupang and Kabupaten Sikka in every state of "Alur Pengaduan"
(some still new and overdue), cases in every state of "Alur Kasus SLRT" and referrals to
the demo LKS in every state of "Alur Rujukan" — each step taken by the kabupaten's own
staff (front office registers, social worker verifies and opens the case, facilitator
assesses, supervisor approves, the LKS partner answers through `tanggapi_rujukan`)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from .common import aksi, email, hari_ini, pada, rng, wilayah_desa
from .master import lembaga_demo

if TYPE_CHECKING:
    from layanan_sosial.core.context import Context

DOCTYPES = ("Pengaduan", "Kasus", "Rujukan", "Penerima Manfaat", "Lembaga Mitra")

KANAL = ("Datang Langsung", "Telepon", "WhatsApp", "WhatsApp", "Aplikasi/Web", "Surat")
ADUAN = (
    ("JPS Kesehatan", "Anak demam tinggi tiga hari, keluarga tidak punya KIS dan tidak mampu "
     "membayar biaya rumah sakit."),
    ("KIS/PBI Bermasalah", "Kartu KIS ibu tidak aktif saat berobat di puskesmas, padahal "
     "terdaftar di DTKS."),
    ("PKH Bermasalah", "Bantuan PKH triwulan ini belum diterima, nama ada di daftar desa."),
    ("JPS Pendidikan", "Anak putus sekolah karena tidak mampu membeli seragam dan buku."),
    ("JPS Rutilahu", "Atap rumah bocor dan dinding bebak lapuk, rumah hampir roboh."),
    ("Orang Terlantar", "Seorang lansia tinggal sendiri di pondok kebun, tidak ada yang "
     "merawat dan kekurangan makan."),
    ("ODGJ Terlantar", "Warga dengan gangguan jiwa dipasung keluarga, mohon penanganan."),
)  # fmt: skip
STAF = {
    "53.71": {"fo": "fo.kupang", "peksos": "peksos.kupang", "fas": "fasilitator.kupang",
              "spv": "supervisor.kupang", "n": 28},
    "53.07": {"fo": "fo.sikka", "peksos": "peksos.sikka", "fas": None,
              "spv": "supervisor.sikka", "n": 11},
}  # fmt: skip
# complaint end states, in turn
NASIB = ("Selesai", "Kasus", "Baru", "Diverifikasi", "Ditolak", "Ditindaklanjuti", "Kasus",
         "Selesai", "Kasus", "Ditolak-Selesai", "Kasus", "Baru-baru", "Kasus", "Kasus")  # fmt: skip
KASUS = ("Pendaftaran", "Asesmen", "Rencana", "Disetujui", "Layanan", "Rujukan", "Re-asesmen",
         "Selesai", "Rujukan", "Selesai", "Layanan")  # fmt: skip
RUJUKAN = ("Dikirim", "Diterima", "Dilayani", "Selesai", "Ditolak")


def sudah_ada(ctx: Context) -> bool:
    with ctx.ignore_permissions():
        return ctx.get_count("Pengaduan", filters={"owner": email("fo.kupang")}) > 0


def buat(ctx: Context) -> str:
    r = rng("slrt")
    now = dt.datetime.combine(hari_ini(ctx), dt.time(15, 0))
    jumlah = {"pengaduan": 0, "kasus": 0, "rujukan": 0}
    for kab, staf in STAF.items():
        desa = wilayah_desa(ctx, kab)
        with ctx.ignore_permissions():
            orang = ctx.get_all(
                "Penerima Manfaat",
                filters=[["wilayah", "like", f"{kab}.%"], ["status", "=", "Aktif"]],
                fields=["name", "nama_lengkap", "wilayah", "telepon"],
                order_by="name asc",
            )
        r.shuffle(orang)
        kasus_ke = 0
        for i in range(staf["n"]):
            nasib = NASIB[i % len(NASIB)]
            if nasib == "Kasus" and not staf["fas"]:
                nasib = "Ditindaklanjuti"
            mulai = now - dt.timedelta(hours=3 if nasib == "Baru-baru" else 0)
            if nasib == "Baru":
                mulai = now - dt.timedelta(days=2, hours=r.randint(1, 20))  # overdue
            elif nasib != "Baru-baru":
                mulai = now - dt.timedelta(days=r.randint(4, 160), hours=r.randint(0, 8))
            pm = orang[i % len(orang)]
            kategori, uraian = ADUAN[i % len(ADUAN)]
            pada(ctx, mulai, staf["fo"])
            aduan = ctx.new_doc(
                "Pengaduan",
                tanggal_pengaduan=mulai,
                kanal=KANAL[i % len(KANAL)],
                kategori=kategori,
                prioritas="Tinggi"
                if kategori in ("ODGJ Terlantar", "Orang Terlantar")
                else "Normal",
                nama_pelapor=pm["nama_lengkap"] if i % 3 else f"Kepala Desa {desa[i % len(desa)]}",
                telepon_pelapor=f"0812{r.randint(10_000_000, 99_999_999)}",
                penerima_manfaat=pm["name"] if i % 4 else None,
                wilayah=pm["wilayah"],
                uraian=uraian,
            ).insert()
            jumlah["pengaduan"] += 1
            if nasib in ("Baru", "Baru-baru"):
                continue
            t = mulai + dt.timedelta(hours=r.choice((1, 2, 4, 6, 20, 30)))
            if nasib.startswith("Ditolak"):
                aksi(ctx, aduan, "Tolak", staf["spv"], t,
                     alasan_penolakan="Bukan kewenangan Dinas Sosial; diteruskan ke Dinas "
                     "Kesehatan.")  # fmt: skip
                if nasib == "Ditolak-Selesai":
                    aksi(ctx, aduan, "Selesaikan", staf["spv"], t + dt.timedelta(days=1))
                continue
            aksi(ctx, aduan, "Verifikasi", staf["peksos"], t)
            if nasib == "Diverifikasi":
                continue
            t += dt.timedelta(hours=r.randint(2, 20))
            if nasib == "Kasus":
                _kasus(ctx, r, aduan.name, pm["name"], staf, KASUS[kasus_ke % len(KASUS)], t, now,
                       jumlah)  # fmt: skip
                kasus_ke += 1
                continue
            aksi(ctx, aduan, "Tindak Lanjuti", staf["peksos"], t,
                 tindak_lanjut="Didampingi mengurus aktivasi KIS PBI ke BPJS Kesehatan.")  # fmt: skip
            if nasib == "Selesai":
                aksi(
                    ctx, aduan, "Selesaikan", staf["peksos"], t + dt.timedelta(days=r.randint(2, 9))
                )
    return f"{jumlah['pengaduan']} pengaduan, {jumlah['kasus']} kasus, {jumlah['rujukan']} rujukan"


def _kasus(ctx, r, aduan: str, penerima: str, staf, tujuan: str, t, now, jumlah) -> None:
    from layanan_sosial.slrt.api import buat_kasus

    pada(ctx, t, staf["peksos"])
    kasus = ctx.get_doc("Kasus", buat_kasus(ctx, aduan, penerima_manfaat=penerima)["kasus"])
    jumlah["kasus"] += 1
    fas, spv = staf["fas"], staf["spv"]
    urutan = KASUS.index(tujuan)
    hari = dt.timedelta(days=1)
    if urutan < 1:
        return
    aksi(ctx, kasus, "Mulai Asesmen", fas, t + dt.timedelta(hours=5))
    if urutan < 2:
        return
    asesmen = [
        {"bidang": "Kesehatan", "temuan": "Tidak memiliki jaminan kesehatan aktif",
         "tingkat_kebutuhan": "Tinggi", "asesor": email(fas)},
        {"bidang": "Ekonomi", "temuan": "Penghasilan tidak tetap, di bawah garis kemiskinan",
         "tingkat_kebutuhan": "Sedang", "asesor": email(fas)},
    ]  # fmt: skip
    aksi(ctx, kasus, "Susun Rencana", fas, t + 2 * hari, asesmen=asesmen)
    if urutan < 3:
        return
    pada(ctx, t + 2 * hari + dt.timedelta(hours=2), fas)
    doc = ctx.get_doc("Kasus", kasus.name)
    doc.set("rencana", [
        {"kebutuhan": "Jaminan kesehatan", "intervensi": "Usulan PBI-JK dan aktivasi KIS",
         "bentuk": "Rujukan", "penanggung_jawab": email(fas)},
        {"kebutuhan": "Pemenuhan kebutuhan dasar", "intervensi": "Paket permakanan 3 bulan",
         "bentuk": "Layanan Langsung", "penanggung_jawab": email(fas)},
    ])  # fmt: skip
    doc.catatan_rencana = "Rencana disusun bersama keluarga."
    doc.save()
    aksi(ctx, kasus, "Setujui", spv, t + 3 * hari)
    if urutan < 4:
        return
    aksi(ctx, kasus, "Beri Layanan", fas, t + 4 * hari,
         layanan=[{"tanggal": (t + 4 * hari).date(), "jenis_layanan": "Paket permakanan",
                   "jenis_layanan_spm": "K3", "petugas": email(fas)}])  # fmt: skip
    if urutan < 5:
        return
    aksi(ctx, kasus, "Rujuk", fas, t + 5 * hari)
    _rujukan(ctx, r, kasus.name, fas, staf, t + 5 * hari, jumlah)
    if urutan < 6:
        return
    aksi(ctx, kasus, "Re-asesmen", fas, t + 20 * hari)
    if urutan < 7:
        return
    aksi(ctx, kasus, "Tutup Kasus", spv, min(t + 25 * hari, now),
         hasil_reasesmen="KIS aktif kembali, kebutuhan pangan terpenuhi.",
         hasil_akhir="Kebutuhan Terpenuhi")  # fmt: skip


def _rujukan(ctx, r, kasus: str, fas: str, staf, t, jumlah) -> None:
    from layanan_sosial.slrt.api import tanggapi_rujukan

    tujuan = RUJUKAN[jumlah["rujukan"] % len(RUJUKAN)]
    pada(ctx, t + dt.timedelta(hours=1), fas)
    doc = ctx.new_doc(
        "Rujukan",
        kasus=kasus,
        tujuan_jenis="Lembaga Mitra",
        lembaga_mitra=lembaga_demo(ctx),
        alasan="Membutuhkan pengasuhan dan pendampingan psikososial di LKS.",
        persetujuan_penerima=1,
        tanggal_rujukan=t + dt.timedelta(hours=1),
        tanggal_tindak_lanjut=(t + dt.timedelta(days=7)).date(),
    ).insert()
    jumlah["rujukan"] += 1
    if tujuan == "Dikirim":
        return
    pada(ctx, t + dt.timedelta(days=1), "mitra.lks")
    if tujuan == "Ditolak":
        tanggapi_rujukan(ctx, doc.name, "Tolak",
                         alasan_penolakan="Kapasitas asrama penuh bulan ini.")  # fmt: skip
        return
    tanggapi_rujukan(ctx, doc.name, "Terima", catatan_mitra="Diterima, jadwal asesmen LKS.")
    if tujuan == "Diterima":
        return
    pada(ctx, t + dt.timedelta(days=6), "mitra.lks")
    tanggapi_rujukan(ctx, doc.name, "Laporkan Hasil",
                     hasil_layanan="Penerima mendapat pengasuhan dan konseling 4 kali.")  # fmt: skip
    if tujuan == "Dilayani":
        return
    aksi(ctx, doc, "Selesaikan", staf["peksos"], t + dt.timedelta(days=8))
