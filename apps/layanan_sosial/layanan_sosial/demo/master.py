"""Partner institutions (LKS, OPD) and assistance programmes; binds the demo LKS users to
their Lembaga Mitra (the User Permission that scopes referrals and the LKS's panti)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .common import email

if TYPE_CHECKING:
    from layanan_sosial.core.context import Context

DOCTYPES = ("Lembaga Mitra", "Program Bantuan")
LKS_DEMO = "LKSA Panti Asuhan Bunda Pengharapan Kupang"

LEMBAGA = (
    # nama, jenis, wilayah, akreditasi
    (LKS_DEMO, "LKS", "53.71.04", "B"),
    ("LKS Lansia Kasih Sayang Oebobo", "LKS", "53.71.04", "C"),
    ("Yayasan Pelita Kasih Disabilitas Maumere", "LKS", "53.07", "B"),
    ("LKSA Santo Yosef Larantuka", "LKS", "53.06", "Belum Terakreditasi"),
    ("LKS Tunas Harapan Waingapu", "LKS", "53.11", "C"),
    ("LKSA Hati Kudus Ruteng", "LKS", "53.10", "B"),
    ("Dinas Kesehatan Kota Kupang", "OPD", "53.71", None),
    ("Dinas Pendidikan Kota Kupang", "OPD", "53.71", None),
    ("Dinas Kesehatan Kabupaten Sikka", "OPD", "53.07", None),
    ("Dinas Kependudukan dan Pencatatan Sipil Kota Kupang", "OPD", "53.71", None),
    ("BPJS Kesehatan Cabang Kupang", "Mitra Lainnya", "53.71", None),
    ("Dinas Perumahan Rakyat dan Kawasan Permukiman Provinsi NTT", "OPD", "53", None),
)

PROGRAM = (
    # kode, nama, sumber dana, jenis bantuan, jenis layanan SPM
    ("PKH", "Program Keluarga Harapan", "APBN", "Tunai", None),
    ("BPNT", "Bantuan Pangan Non Tunai (Sembako)", "APBN", "Barang", None),
    ("PBI-JK", "Penerima Bantuan Iuran Jaminan Kesehatan", "APBN", "Jasa", None),
    ("ATENSI", "Asistensi Rehabilitasi Sosial", "APBN", "Barang", "K1"),
    ("PERMAKANAN-LANSIA", "Permakanan Lanjut Usia Telantar", "APBD Provinsi", "Barang", "K3"),
    ("RUTILAHU", "Rehabilitasi Rumah Tidak Layak Huni", "APBD Provinsi", "Barang", None),
    ("KIP", "Kartu Indonesia Pintar", "APBN", "Tunai", None),
    ("BANSOS-BENCANA", "Bantuan Sosial Korban Bencana", "APBD Provinsi", "Barang", "P5"),
)


def sudah_ada(ctx: Context) -> bool:
    with ctx.ignore_permissions():
        return bool(ctx.get_all("Lembaga Mitra", filters={"nama": LKS_DEMO}, limit=1))


def lembaga_demo(ctx: Context, nama: str = LKS_DEMO) -> str | None:
    with ctx.ignore_permissions():
        names = ctx.get_all("Lembaga Mitra", filters={"nama": nama}, pluck="name", limit=1)
    return names[0] if names else None


def buat(ctx: Context) -> str:
    ctx.set_user(email("admin.dinsos"))
    rows = [
        {
            "nama": nama,
            "jenis": jenis,
            "wilayah": wilayah,
            "akreditasi": akreditasi,
            "alamat": f"Jl. {['El Tari', 'Soekarno', 'Ahmad Yani', 'Frans Seda'][i % 4]} No. {i + 3}",
            "telepon": f"0380-8{i:02d}{i + 11:03d}",
            "kontak": ["Sr. Maria Goreti", "Bpk. Yakobus Nitbani", "Ibu Ester Lado"][i % 3],
        }
        for i, (nama, jenis, wilayah, akreditasi) in enumerate(LEMBAGA)
    ]
    ctx.insert_many("Lembaga Mitra", rows)
    programs = [
        {
            "kode": kode,
            "nama": nama,
            "sumber_dana": sumber,
            "jenis_bantuan": bentuk,
            "jenis_layanan_spm": spm,
            "tanggal_mulai": "2026-01-01",
            "aktif": 1,
        }
        for kode, nama, sumber, bentuk, spm in PROGRAM
        if not ctx.exists("Program Bantuan", kode)
    ]
    ctx.insert_many("Program Bantuan", programs)
    lks = lembaga_demo(ctx)
    with ctx.ignore_permissions():
        for user in ("mitra.lks", "pengurus.lks"):
            if ctx.exists("User", email(user)):
                ctx.new_doc(
                    "User Permission",
                    user=email(user),
                    allow="Lembaga Mitra",
                    for_value=lks,
                    apply_to_all_doctypes=1,
                ).insert()
    return f"{len(rows)} lembaga mitra, {len(programs)} program bantuan"
