"""Panti module: admission rules (capacity, one open stay), discharge, services delivered
against the standard items of the panti's Jenis Layanan SPM, the yearly SPM assessment
workflow (LKS submits, Dinsos approves or returns) and the record scope of LKS partners.
Every test runs inside one rolled-back transaction (`ctx`)."""

from __future__ import annotations

import secrets

import pytest
from sitekit import new_user

from layanan_sosial.core.exceptions import (
    LinkValidationError,
    PermissionError_,
    ValidationError,
    WorkflowPermissionError,
)
from layanan_sosial.core.workflow.engine import apply_workflow

KELURAHAN = "53.71.04.1001"  # Oebobo, Kota Kupang


def penerima(ctx, nama=None, wilayah=KELURAHAN):
    return (
        ctx.new_doc(
            "Penerima Manfaat",
            nama_lengkap=nama or f"Penerima {secrets.token_hex(3)}",
            jenis_kelamin="Perempuan",
            wilayah=wilayah,
        )
        .insert()
        .name
    )


def panti(ctx, kapasitas=10, jenis="P3", lembaga=None, **kw):
    values = {
        "nama": f"Panti {secrets.token_hex(3)}",
        "jenis": "LKS Swasta" if lembaga else "Panti Pemerintah (UPTD)",
        "lembaga": lembaga,
        "wilayah": "53.71.04",
        "jenis_layanan_spm": jenis,
        "kapasitas": kapasitas,
        **kw,
    }
    return ctx.new_doc("Panti", values).insert().name


def ajukan(ctx, nama_panti, orang=None):
    return (
        ctx.new_doc("Penghuni Panti", penerima_manfaat=orang or penerima(ctx), panti=nama_panti)
        .insert()
        .name
    )


def terima(ctx, name, tanggal="2026-01-05"):
    ctx.set_value("Penghuni Panti", name, {"tanggal_masuk": tanggal})
    return apply_workflow(ctx, {"doctype": "Penghuni Panti", "name": name}, "Terima")


def lembaga(ctx):
    return (
        ctx.new_doc("Lembaga Mitra", nama=f"LKS {secrets.token_hex(3)}", jenis="LKS").insert().name
    )


# -- Panti ---------------------------------------------------------------------------


def test_panti_rules(ctx):
    with pytest.raises(ValidationError) as info:
        panti(ctx, jenis="P5")  # korban bencana: a provincial service, but not in a panti
    assert info.value.field == "jenis_layanan_spm"
    with pytest.raises(ValidationError) as info:
        panti(ctx, jenis="K2")
    assert info.value.field == "jenis_layanan_spm"
    with pytest.raises(ValidationError) as info:
        ctx.new_doc(
            "Panti",
            nama="LKS tanpa lembaga",
            jenis="LKS Swasta",
            wilayah="53.71",
            jenis_layanan_spm="P2",
            kapasitas=5,
        ).insert()
    assert info.value.field == "lembaga"
    with pytest.raises(ValidationError) as info:
        panti(ctx, kapasitas=0)
    assert info.value.field == "kapasitas"
    name = panti(ctx, akreditasi="B", tanggal_akreditasi="2024-03-01")
    doc = ctx.get_doc("Panti", name)
    assert (doc.akreditasi, str(doc.tanggal_akreditasi), doc.jumlah_penghuni) == (
        "B",
        "2024-03-01",
        0,
    )


# -- Penghuni Panti: admission ---------------------------------------------------------


def test_admission_refused_when_full_and_count_follows(ctx):
    nama_panti = panti(ctx, kapasitas=2)
    a, b, c = (ajukan(ctx, nama_panti) for _ in range(3))
    assert ctx.get_value("Penghuni Panti", a, "status") == "Pengajuan"
    terima(ctx, a)
    terima(ctx, b)
    assert ctx.get_value("Panti", nama_panti, "jumlah_penghuni") == 2
    with pytest.raises(ValidationError) as info:
        terima(ctx, c)
    assert info.value.field == "panti"
    assert "penuh" in str(info.value)
    # one leaves (reason required) → the waiting one can be admitted
    ctx.set_value("Penghuni Panti", a, {"alasan_keluar": "Reunifikasi"})
    keluar = apply_workflow(ctx, {"doctype": "Penghuni Panti", "name": a}, "Keluarkan")
    assert keluar.status == "Keluar" and keluar.tanggal_keluar
    assert ctx.get_value("Panti", nama_panti, "jumlah_penghuni") == 1
    terima(ctx, c)
    assert ctx.get_value("Panti", nama_panti, "jumlah_penghuni") == 2
    # capacity cannot drop below the residents present
    doc = ctx.get_doc("Panti", nama_panti)
    doc.kapasitas = 1
    with pytest.raises(ValidationError) as info:
        doc.save()
    assert info.value.field == "kapasitas"


def test_one_open_stay_per_recipient(ctx):
    orang = penerima(ctx)
    pertama = ajukan(ctx, panti(ctx), orang)
    lain = panti(ctx)
    with pytest.raises(ValidationError) as info:
        ajukan(ctx, lain, orang)  # still Pengajuan elsewhere
    assert info.value.field == "penerima_manfaat"
    terima(ctx, pertama)
    with pytest.raises(ValidationError):
        ajukan(ctx, lain, orang)  # now Diterima elsewhere
    ctx.set_value("Penghuni Panti", pertama, {"alasan_keluar": "Dirujuk"})
    apply_workflow(ctx, {"doctype": "Penghuni Panti", "name": pertama}, "Keluarkan")
    kedua = ajukan(ctx, lain, orang)  # after discharge a new stay may start
    assert ctx.get_value("Penghuni Panti", kedua, "status") == "Pengajuan"


def test_rejection_and_discharge_rules(ctx):
    nama_panti = panti(ctx)
    ditolak = ajukan(ctx, nama_panti)
    apply_workflow(ctx, {"doctype": "Penghuni Panti", "name": ditolak}, "Tolak")
    assert ctx.get_value("Penghuni Panti", ditolak, "status") == "Ditolak"
    assert ctx.get_value("Panti", nama_panti, "jumlah_penghuni") == 0
    name = ajukan(ctx, nama_panti)
    terima(ctx, name, tanggal="2026-03-10")
    with pytest.raises(ValidationError) as info:  # no reason given
        apply_workflow(ctx, {"doctype": "Penghuni Panti", "name": name}, "Keluarkan")
    assert info.value.field == "alasan_keluar"
    with pytest.raises(ValidationError) as info:
        ctx.set_value(
            "Penghuni Panti", name, {"alasan_keluar": "Mandiri", "tanggal_keluar": "2026-03-01"}
        )
    assert info.value.field == "tanggal_keluar"
    # the state is not a field to type: only workflow actions move it
    doc = ctx.get_doc("Penghuni Panti", name)
    doc.status = "Ditolak"
    with pytest.raises(WorkflowPermissionError):
        doc.save()


# -- Pemberian Layanan ---------------------------------------------------------------------


def test_pemberian_layanan_items_and_totals(ctx):
    nama_panti = panti(ctx, jenis="P2")
    orang = penerima(ctx, wilayah=None)  # no domicile → the panti's region is used
    name = ajukan(ctx, nama_panti, orang)
    with pytest.raises(ValidationError) as info:  # not admitted yet
        ctx.new_doc("Pemberian Layanan", penghuni=name, tahun=2026, triwulan=1).insert()
    assert info.value.field == "penghuni"
    terima(ctx, name)
    semua = ctx.new_doc("Pemberian Layanan", penghuni=name, tahun=2026, bulan=2).insert()
    standar = [r.kode_item for r in ctx.get_doc("Jenis Layanan SPM", "P2").item_standar]
    assert [r.kode_item for r in semua.items] == standar  # every standard item required
    assert (semua.triwulan, semua.jumlah_item_wajib, semua.jumlah_item_terpenuhi) == (1, 12, 0)
    assert (semua.penerima_manfaat, semua.panti, semua.jenis_layanan_spm, semua.wilayah) == (
        orang,
        nama_panti,
        "P2",
        "53.71.04",
    )
    dipilih = ctx.new_doc(
        "Pemberian Layanan",
        penghuni=name,
        tahun=2026,
        triwulan=2,
        items=[
            {"kode_item": "P2.01", "jumlah": 90, "satuan": "porsi", "terpenuhi": 1},
            {"kode_item": "P2.02", "terpenuhi": 1},
            {"kode_item": "P2.09", "terpenuhi": 0},
        ],
    ).insert()
    assert (dipilih.jumlah_item_wajib, dipilih.jumlah_item_terpenuhi) == (3, 2)
    assert dipilih.items[0].nama_item == "Permakanan"
    for bad, field in (
        ({"triwulan": 3, "items": [{"kode_item": "P3.01"}]}, "items"),  # another service's item
        ({"triwulan": 3, "items": [{"kode_item": "P2.01"}, {"kode_item": "P2.01"}]}, "items"),
        ({"triwulan": 2}, "tahun"),  # quarter 2 already recorded
        ({"bulan": 2}, "tahun"),  # month 2 lies in the recorded month 2
        ({"bulan": 7, "triwulan": 2}, "triwulan"),
        ({"triwulan": 5}, "triwulan"),
        ({"triwulan": 4, "tahun": 2025}, "tahun"),  # before admission (2026-01-05)
    ):
        values = {"penghuni": name, "tahun": 2026, **bad}
        with pytest.raises(ValidationError) as info:
            ctx.new_doc("Pemberian Layanan", values).insert()
        assert info.value.field == field, bad


# -- Penilaian SPM Panti ---------------------------------------------------------------


def test_penilaian_workflow_lks_submits_dinsos_decides(ctx):
    mitra = lembaga(ctx)
    lks = new_user(ctx, ["Mitra LKS"])
    admin = new_user(ctx, ["Admin Dinsos"])
    ctx.new_doc("User Permission", user=lks, allow="Lembaga Mitra", for_value=mitra).insert()
    nama_panti = panti(ctx, jenis="P2", lembaga=mitra)  # the LKS user gets this panti
    lain = panti(ctx, jenis="P2")

    ctx.set_user(lks)
    with pytest.raises((LinkValidationError, PermissionError_)):
        ctx.new_doc("Penilaian SPM Panti", panti=lain, tahun=2026).insert()
    doc = ctx.new_doc("Penilaian SPM Panti", panti=nama_panti, tahun=2026).insert()
    assert (doc.status, doc.jumlah_item, doc.nilai) == ("Draft", 12, 0.0)
    for row in doc.items[:7]:
        row.memenuhi = 1
    doc.save()
    assert doc.nilai == 58.33  # 7 / 12 × 100 = 58.333… → 58.33
    assert apply_workflow(ctx, doc, "Ajukan").status == "Diajukan"
    with pytest.raises(WorkflowPermissionError):  # the partner cannot approve itself
        apply_workflow(ctx, doc, "Setujui")
    fresh = ctx.get_doc("Penilaian SPM Panti", doc.name)
    fresh.items[8].memenuhi = 1
    with pytest.raises(WorkflowPermissionError):  # locked for the partner while verified
        fresh.save()

    ctx.set_user(admin)
    kembali = apply_workflow(ctx, doc, "Kembalikan")
    assert kembali.status == "Dikembalikan"
    ctx.set_user(lks)
    doc = ctx.get_doc("Penilaian SPM Panti", doc.name)
    doc.items[8].memenuhi = 1
    doc.save()
    apply_workflow(ctx, doc, "Ajukan")
    ctx.set_user(admin)
    disetujui = apply_workflow(ctx, doc, "Setujui")
    assert (disetujui.status, disetujui.docstatus, disetujui.nilai) == ("Disetujui", 1, 66.67)
    ctx.set_user("Administrator")
    with pytest.raises(ValidationError) as info:  # one assessment per panti and year
        ctx.new_doc("Penilaian SPM Panti", panti=nama_panti, tahun=2026).insert()
    assert info.value.field == "tahun"


# -- scope --------------------------------------------------------------------------------


def test_staff_rows_and_lembaga_binding_scope_records(ctx):
    mitra = lembaga(ctx)
    lks = new_user(ctx, ["Mitra LKS"])
    petugas = new_user(ctx, ["Petugas Panti"])
    ctx.new_doc("User Permission", user=lks, allow="Lembaga Mitra", for_value=mitra).insert()
    milik_lks = panti(ctx, lembaga=mitra)
    uptd = panti(ctx, petugas=[{"nama": "Yohana", "jabatan": "Pramu Sosial", "user": petugas}])
    penghuni_lks = ajukan(ctx, milik_lks)
    penghuni_uptd = ajukan(ctx, uptd)

    ctx.set_user(lks)
    assert ctx.get_list("Panti", pluck="name") == [milik_lks]
    assert ctx.get_list("Penghuni Panti", pluck="name") == [penghuni_lks]
    ctx.set_user(petugas)
    assert ctx.get_list("Panti", pluck="name") == [uptd]
    assert ctx.get_list("Penghuni Panti", pluck="name") == [penghuni_uptd]

    ctx.set_user("Administrator")  # staff row removed → access and panti role removed
    doc = ctx.get_doc("Panti", uptd)
    doc.set("petugas", [])
    doc.save()
    assert "Petugas Panti" not in [r.role for r in ctx.get_doc("User", petugas).roles]
    ctx.set_user(petugas)  # not an unrestricted Petugas Panti now: sees nothing
    assert ctx.get_list("Penghuni Panti", pluck="name") == []
    assert ctx.get_list("Panti", pluck="name") == []


def test_panti_staff_admit_their_own_residents(ctx):
    petugas = new_user(ctx, ["Petugas Panti"])
    nama_panti = panti(
        ctx, petugas=[{"nama": "Maria", "jabatan": "Pekerja Sosial", "user": petugas}]
    )
    orang = penerima(ctx)
    ctx.set_user(petugas)
    name = ctx.new_doc("Penghuni Panti", penerima_manfaat=orang, panti=nama_panti).insert().name
    assert terima(ctx, name).status == "Diterima"
