"""SPM achievement from data: `hitung_capaian`, the quarterly snapshot and the report.

One scenario, computed by hand below (service P3, lanjut usia telantar di dalam panti).
Year T (random per test, all in one rolled-back transaction). Target SPM: Kota Kupang
53.71 → 8 people. Panti in kecamatan Oebobo 53.71.04; residents admitted T-01-05:

  r1 Oebobo 53.71.04.1001   TW1: 12 items, 12 delivered   TW2: 12 items, 12 delivered
  r2 Namosain 53.71.01.1001 TW1: 12 items,  9 delivered
  r3 no domicile (→ panti)  TW1:  4 items,  3 delivered (assessed need: 4 items only)
  r4 Maulafa 53.71.02       TW2: 12 items,  6 delivered
  r5 Kab. Kupang desa 53.01.04.2003  TW1: 12 items, 12 delivered (outside Kota Kupang)

Kota Kupang, TW1:  served {r1,r2,r3} = 3 → A = 3/8 × 100 = 37.5
                   B = (12+9+3)/(12+12+4) = 24/28 × 100 = 85.714285…
                   index = 0.8 × 37.5 + 0.2 × 85.714285… = 30 + 17.142857… = 47.142857… → 47.14
Kota Kupang, TW2 (year to date; also the whole year):
                   served {r1..r4} = 4 (r1 twice, counted once) → A = 4/8 × 100 = 50
                   B = (24+12+6)/(28+12+12) = 42/52 × 100 = 80.769230…
                   index = 40 + 16.153846… = 56.153846… → 56.15 Belum Tuntas
"""

from __future__ import annotations

import random
import secrets

import pytest
from sitekit import new_user

from layanan_sosial.core.exceptions import (
    PermissionError_,
    UpdateAfterSubmitError,
    ValidationError,
)
from layanan_sosial.core.workflow.engine import apply_workflow
from layanan_sosial.spm.api import generate_laporan, hitung_capaian
from layanan_sosial.spm.report.capaian_spm_per_kabupaten.capaian_spm_per_kabupaten import (
    execute,
)

KOTA, KAB = "53.71", "53.01"


def penerima(ctx, wilayah):
    return (
        ctx.new_doc(
            "Penerima Manfaat",
            nama_lengkap=f"Lansia {secrets.token_hex(3)}",
            jenis_kelamin="Laki-laki",
            wilayah=wilayah,
        )
        .insert()
        .name
    )


def target(ctx, tahun, wilayah, jumlah, jenis="P3"):
    ctx.new_doc(
        "Target SPM", tahun=tahun, wilayah=wilayah, jenis_layanan_spm=jenis, jumlah_sasaran=jumlah
    ).insert()


def layanan(ctx, penghuni, tahun, triwulan, wajib, terpenuhi):
    kode = [f"P3.{i:02d}" for i in range(1, 13)][:wajib]
    ctx.new_doc(
        "Pemberian Layanan",
        penghuni=penghuni,
        tahun=tahun,
        triwulan=triwulan,
        items=[{"kode_item": k, "terpenuhi": int(i < terpenuhi)} for i, k in enumerate(kode)],
    ).insert()


@pytest.fixture
def skenario(ctx):
    tahun = random.randint(2030, 2099)
    target(ctx, tahun, KOTA, 8)
    panti = (
        ctx.new_doc(
            "Panti",
            nama=f"Panti Werdha {secrets.token_hex(3)}",
            jenis="Panti Pemerintah (UPTD)",
            wilayah="53.71.04",
            jenis_layanan_spm="P3",
            kapasitas=20,
        )
        .insert()
        .name
    )
    penghuni = {}
    for key, wilayah in (
        ("r1", "53.71.04.1001"),
        ("r2", "53.71.01.1001"),
        ("r3", None),
        ("r4", "53.71.02"),
        ("r5", "53.01.04.2003"),
    ):
        name = (
            ctx.new_doc(
                "Penghuni Panti",
                penerima_manfaat=penerima(ctx, wilayah),
                panti=panti,
                tanggal_masuk=f"{tahun}-01-05",
            )
            .insert()
            .name
        )
        apply_workflow(ctx, {"doctype": "Penghuni Panti", "name": name}, "Terima")
        penghuni[key] = name
    layanan(ctx, penghuni["r1"], tahun, 1, 12, 12)
    layanan(ctx, penghuni["r2"], tahun, 1, 12, 9)
    layanan(ctx, penghuni["r3"], tahun, 1, 4, 3)
    layanan(ctx, penghuni["r5"], tahun, 1, 12, 12)
    layanan(ctx, penghuni["r1"], tahun, 2, 12, 12)
    layanan(ctx, penghuni["r4"], tahun, 2, 12, 6)
    return tahun


def test_hand_computed_quarter_one(ctx, skenario):
    hasil = hitung_capaian(ctx, tahun=skenario, jenis_layanan="P3", wilayah=KOTA, triwulan=1)
    assert hasil == {
        "jumlah_sasaran": 8,
        "jumlah_terlayani": 3,
        "jumlah_item_wajib": 28,
        "jumlah_item_terpenuhi": 24,
        "persen_penerima": 37.5,
        "persen_mutu": 85.71,
        "indeks": 47.14,
        "kategori": "Belum Tuntas",
        "dibatasi": [],
    }


def test_year_to_date_and_whole_year(ctx, skenario):
    for triwulan in (2, "2", 4, None):
        hasil = hitung_capaian(
            ctx, tahun=str(skenario), jenis_layanan="P3", wilayah=KOTA, triwulan=triwulan
        )
        got = (hasil["jumlah_terlayani"], hasil["persen_penerima"], hasil["persen_mutu"])
        assert got == (4, 50.0, 80.77), triwulan
        assert (hasil["indeks"], hasil["kategori"]) == (56.15, "Belum Tuntas")


def test_descendants_and_nested_targets(ctx, skenario):
    tahun = skenario
    # a kecamatan target inside Kota Kupang does not add to the city's (8 stays the need)
    target(ctx, tahun, "53.71.04", 2)
    kota = hitung_capaian(ctx, tahun=tahun, jenis_layanan="P3", wilayah=KOTA, triwulan=2)
    assert (kota["jumlah_sasaran"], kota["indeks"]) == (8, 56.15)
    # Oebobo alone: r1 (its kelurahan) and r3 (the panti's kecamatan) → A = 2/2 = 100;
    # B = (24 + 3) / (24 + 4) = 27/28 = 96.428571…; 80 + 19.285714… = 99.285714… → 99.29
    oebobo = hitung_capaian(ctx, tahun=tahun, jenis_layanan="P3", wilayah="53.71.04")
    assert (oebobo["jumlah_sasaran"], oebobo["jumlah_terlayani"]) == (2, 2)
    assert (oebobo["persen_mutu"], oebobo["indeks"], oebobo["kategori"]) == (
        96.43,
        99.29,
        "Tuntas Utama",
    )
    # the province: no province target → 8 (Kota) + 4 (Kab. Kupang) = 12; served 5
    # A = 5/12 × 100 = 41.666…; B = (42 + 12)/(52 + 12) = 54/64 = 84.375
    # 0.8 × 41.666… + 0.2 × 84.375 = 33.333… + 16.875 = 50.208333… → 50.21
    target(ctx, tahun, KAB, 4)
    provinsi = hitung_capaian(ctx, tahun=tahun, jenis_layanan="P3", wilayah="53")
    assert (provinsi["jumlah_sasaran"], provinsi["jumlah_terlayani"]) == (12, 5)
    assert (provinsi["persen_penerima"], provinsi["indeks"]) == (41.67, 50.21)
    # a province target is the need of the whole province: 10 → A = 50;
    # 40 + 16.875 = 56.875 exactly → half up → 56.88 (rounded only at the end)
    target(ctx, tahun, "53", 10)
    provinsi = hitung_capaian(ctx, tahun=tahun, jenis_layanan="P3", wilayah="53")
    assert (provinsi["jumlah_sasaran"], provinsi["indeks"]) == (10, 56.88)


def test_served_above_target_is_capped(ctx, skenario):
    target(ctx, skenario, "53.71.04", 1)  # 2 served of 1 → A = 200 → 100
    hasil = hitung_capaian(ctx, tahun=skenario, jenis_layanan="P3", wilayah="53.71.04")
    assert (hasil["persen_penerima"], hasil["dibatasi"]) == (100.0, ["persen_penerima"])
    assert hasil["indeks"] == 99.29  # 80 + 0.2 × 96.428571…


def test_zero_target_and_nothing_served(ctx, skenario):
    # nobody needs the service → fulfilled (A = 100; B = 100 when nothing was required)
    target(ctx, skenario, "53.71.06", 0)  # Kota Lama: no resident from there
    hasil = hitung_capaian(ctx, tahun=skenario, jenis_layanan="P3", wilayah="53.71.06")
    assert (hasil["indeks"], hasil["kategori"]) == (100.0, "Tuntas Paripurna")
    # a need nobody served → 0
    target(ctx, skenario, "53.71.05", 3)
    hasil = hitung_capaian(ctx, tahun=skenario, jenis_layanan="P3", wilayah="53.71.05")
    assert (hasil["persen_penerima"], hasil["persen_mutu"], hasil["indeks"]) == (0.0, 0.0, 0.0)


def test_weights_and_bands_from_pengaturan_without_restart(ctx, skenario):
    pengaturan = ctx.get_doc("Pengaturan SPM")
    pengaturan.update({"bobot_penerima": 0.6, "bobot_mutu": 0.4})
    pengaturan.save()
    # 0.6 × 50 + 0.4 × 80.769230… = 30 + 32.307692… = 62.307692… → 62.31 Tuntas Muda
    hasil = hitung_capaian(ctx, tahun=skenario, jenis_layanan="P3", wilayah=KOTA, triwulan=2)
    assert (hasil["indeks"], hasil["kategori"]) == (62.31, "Tuntas Muda")
    pengaturan.update({"batas_pratama": 62, "batas_muda": 50})
    pengaturan.save()
    hasil = hitung_capaian(ctx, tahun=skenario, jenis_layanan="P3", wilayah=KOTA, triwulan=2)
    assert (hasil["indeks"], hasil["kategori"]) == (62.31, "Tuntas Pratama")


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"tahun": "dua ribu"}, "tahun"),
        ({"tahun": 1999}, "tahun"),
        ({"tahun": None}, "tahun"),
        ({"triwulan": 5}, "triwulan"),
        ({"triwulan": "TW1"}, "triwulan"),
        ({"wilayah": "99.99"}, "wilayah"),
        ({"wilayah": None}, "wilayah"),
        ({"jenis_layanan": "X9"}, "jenis_layanan"),
        ({"jenis_layanan": "K1"}, "jenis_layanan"),  # no Target SPM for K1
    ],
)
def test_bad_input_names_the_field(ctx, skenario, kwargs, field):
    args = {"tahun": skenario, "jenis_layanan": "P3", "wilayah": KOTA, **kwargs}
    with pytest.raises(ValidationError) as info:
        hitung_capaian(ctx, **args)
    assert info.value.field == field


def test_snapshot_workflow(ctx, skenario):
    admin = new_user(ctx, ["Admin Dinsos"])
    pimpinan = new_user(ctx, ["Pimpinan"])
    ctx.set_user(admin)
    laporan = generate_laporan(ctx, tahun=skenario, triwulan=1, wilayah=KOTA)
    assert laporan["status"] == "Draft"
    rows = [
        (r["jenis_layanan_spm"], r["jumlah_sasaran"], r["jumlah_terlayani"], r["indeks"])
        for r in laporan["rincian"]
    ]
    assert rows == [("P3", 8, 3, 47.14)]
    # still Draft: generating again refreshes the same snapshot (here: TW1 recomputed)
    again = generate_laporan(ctx, tahun=skenario, triwulan="1", wilayah=KOTA)
    assert again["name"] == laporan["name"] and again["indeks_rata_rata"] == 47.14
    doc = apply_workflow(ctx, {"doctype": "Laporan Capaian SPM", "name": laporan["name"]}, "Ajukan")
    assert doc.status == "Diajukan"
    ctx.set_user(pimpinan)
    with pytest.raises(PermissionError_):  # Pimpinan approves, does not draft
        generate_laporan(ctx, tahun=skenario, triwulan=2, wilayah=KOTA)
    doc = apply_workflow(ctx, doc, "Setujui")
    assert (doc.status, doc.docstatus) == ("Disetujui", 1)
    ctx.set_user(admin)
    fresh = ctx.get_doc("Laporan Capaian SPM", doc.name)
    fresh.rincian[0].indeks = 99
    with pytest.raises(UpdateAfterSubmitError):  # an approved snapshot cannot change
        fresh.save()
    with pytest.raises(ValidationError) as info:
        generate_laporan(ctx, tahun=skenario, triwulan=1, wilayah=KOTA)
    assert info.value.field == "triwulan"
    assert ctx.get_doc("Laporan Capaian SPM", doc.name).rincian[0].indeks == 47.14


def test_report_per_kabupaten(ctx, skenario):
    target(ctx, skenario, KAB, 4)
    # Kab. Kupang: r5 served, 12 of 12 items → A = 1/4 = 25, B = 100 → 20 + 20 = 40.00
    columns, data, _message, chart = execute(ctx, {"tahun": skenario, "triwulan": 2})
    assert {c["fieldname"] for c in columns} >= {"kabupaten", "jenis_layanan_spm", "indeks"}
    got = [(r["kabupaten"], r["jenis_layanan_spm"], r["indeks"], r["kategori"]) for r in data]
    assert got == [(KAB, "P3", 40.0, "Belum Tuntas"), (KOTA, "P3", 56.15, "Belum Tuntas")]
    assert chart["type"] == "bar"
    assert chart["data"]["labels"] == ["Kabupaten Kupang", "Kota Kupang"]
    assert chart["data"]["datasets"] == [{"name": "P3", "values": [40.0, 56.15]}]
    _, only, _, _ = execute(ctx, {"tahun": skenario, "triwulan": 1, "wilayah": KOTA})
    assert [(r["kabupaten"], r["indeks"]) for r in only] == [(KOTA, 47.14)]


def test_other_modules_contribute_through_the_source_registry(ctx, skenario):
    """A source from another module (here: a stand-in for Kasus direct services) adds the
    people it served; someone already served through Pemberian Layanan is counted once."""
    from layanan_sosial.spm.sumber import Catatan, SumberCapaian, daftarkan, lepaskan

    r1 = ctx.get_all(
        "Pemberian Layanan",
        filters={"tahun": skenario, "wilayah": "53.71.04.1001"},
        pluck="penerima_manfaat",
    )[0]

    def kasus(ctx, permintaan):
        if permintaan.tahun != skenario or "P3" not in permintaan.jenis_layanan:
            return []
        return [
            Catatan("P3", "53.71.04.1001", r1, item_wajib=1, item_terpenuhi=1),  # again r1
            Catatan("P3", "53.71.03.1010", "Kasus:KS-0001", item_wajib=2, item_terpenuhi=0),
            Catatan("P3", "53.01.04.2003", "Kasus:KS-0002", item_wajib=1, item_terpenuhi=1),
        ]

    sumber = daftarkan(SumberCapaian("Uji Kasus", kasus, frozenset({"P3"})))
    try:
        hasil = hitung_capaian(ctx, tahun=skenario, jenis_layanan="P3", wilayah=KOTA, triwulan=2)
    finally:
        lepaskan(sumber)
    # served {r1..r4, KS-0001} = 5 → A = 5/8 × 100 = 62.5 (KS-0002 lives in Kab. Kupang)
    # B = (42 + 1 + 0)/(52 + 1 + 2) = 43/55 × 100 = 78.181818…
    # 0.8 × 62.5 + 0.2 × 78.181818… = 50 + 15.636363… = 65.636363… → 65.64 Tuntas Muda
    assert (hasil["jumlah_terlayani"], hasil["persen_penerima"], hasil["persen_mutu"]) == (
        5,
        62.5,
        78.18,
    )
    assert (hasil["indeks"], hasil["kategori"]) == (65.64, "Tuntas Muda")
    after = hitung_capaian(ctx, tahun=skenario, jenis_layanan="P3", wilayah=KOTA, triwulan=2)
    assert after["indeks"] == 56.15  # unregistered again
