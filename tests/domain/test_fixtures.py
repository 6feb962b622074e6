"""Fixtures shipped by the product (core/fixtures.py): NTT regions, PPKS, SPM, roles.

Every test site loads them during `migrate`; these tests check the content, the tree, the
idempotence of a second load and the rule that records edited by a user are left alone.
"""

from __future__ import annotations

import secrets

from layanan_sosial.core.fixtures import sync_fixtures


def test_all_ntt_regions_loaded_per_tingkat(ctx):
    assert ctx.get_count("Wilayah") == 3780
    counts = {
        row["tingkat"]: row["jumlah"]
        for row in ctx.get_all(
            "Wilayah", fields=["tingkat", "count(name) as jumlah"], group_by="tingkat", as_dict=True
        )
    }
    assert counts == {
        "Provinsi": 1,
        "Kabupaten": 21,
        "Kota": 1,
        "Kecamatan": 315,
        "Kelurahan": 305,
        "Desa": 3137,
    }
    kota = ctx.get_doc("Wilayah", "53.71")
    assert (kota.nama, kota.tingkat, kota.induk) == ("Kota Kupang", "Kota", "53")


def test_wilayah_tree(ctx):
    desa = ctx.get_doc("Wilayah", "53.01.04.2003")
    assert (desa.nama, desa.tingkat, desa.induk) == ("Bokonusan", "Desa", "53.01.04")
    kab = ctx.get_doc("Wilayah", "53.01")
    prov = ctx.get_doc("Wilayah", "53")
    # nested sets: the desa lies inside its kabupaten and its province
    assert kab.lft < desa.lft < desa.rgt < kab.rgt
    assert prov.lft < kab.lft and kab.rgt < prov.rgt
    under_kab = ctx.get_all("Wilayah", filters=[["name", "descendants of", "53.01"]], pluck="name")
    assert "53.01.04.2003" in under_kab
    assert "53.71" not in under_kab
    assert all(name.startswith("53.01.") for name in under_kab)
    assert (
        len(ctx.get_all("Wilayah", filters=[["name", "descendants of", "53"]], pluck="name"))
        == 3779
    )


def test_26_ppks(ctx):
    rows = ctx.get_all("Jenis PPKS", fields=["kode", "nomor", "nama"], order_by="nomor asc")
    assert len(rows) == 26
    assert rows[0]["nama"] == "Anak Balita Telantar"
    assert rows[25]["nama"] == "Komunitas Adat Terpencil"
    assert [r["kode"] for r in rows] == [f"PPKS-{i:02d}" for i in range(1, 27)]


def test_spm_service_types_with_items(ctx):
    kode = sorted(ctx.get_all("Jenis Layanan SPM", pluck="name"))
    assert kode == ["K1", "K2", "K3", "K4", "K5", "P1", "P2", "P3", "P4", "P5"]
    k1 = ctx.get_doc("Jenis Layanan SPM", "K1")
    assert k1.tingkat == "Kabupaten-Kota"
    assert len(k1.item_standar) == 12
    assert k1.item_standar[0].nama_item == "Penyediaan Permakanan"
    p5 = ctx.get_doc("Jenis Layanan SPM", "P5")
    assert p5.tingkat == "Provinsi"
    assert [i.nama_item for i in p5.item_standar][-1] == "Pelayanan Dukungan Psikososial"
    assert len(p5.item_standar) == 5


def test_default_roles(ctx):
    for role in ("Admin Dinsos", "Front Office", "Fasilitator", "Pekerja Sosial", "Pimpinan"):
        assert ctx.exists("Role", role)


def test_second_load_changes_nothing(ctx):
    report = sync_fixtures(ctx)
    assert not report.changed
    assert report.inserted["Wilayah"] == 0


def test_missing_records_reinserted_and_user_edits_kept(ctx):
    ctx.get_doc("Jenis PPKS", "PPKS-26").delete()
    ppks = ctx.get_doc("Jenis PPKS", "PPKS-25")
    ppks.nama = "Keluarga Bermasalah Sosial Psikologis (diubah)"
    ppks.save()
    # an edit by Administrator is fixture-owned: restored
    report = sync_fixtures(ctx)
    assert report.inserted["Jenis PPKS"] == 1
    assert report.updated["Jenis PPKS"] == 1
    assert ctx.get_value("Jenis PPKS", "PPKS-25", "nama") == "Keluarga Bermasalah Sosial Psikologis"


def make_user(site, roles: list[str]) -> str:
    email = f"uji.{secrets.token_hex(4)}@dinsos.example"
    with site.begin() as ctx:
        ctx.new_doc(
            "User", email=email, first_name="Uji", roles=[{"role": r} for r in roles]
        ).insert()
    return email


def test_record_edited_by_user_not_overwritten(site):
    user = make_user(site, ["Admin Dinsos"])
    try:
        with site.begin(user=user) as ctx:
            ctx.set_value("Jenis PPKS", "PPKS-24", {"nama": "Fakir Miskin dan Orang Tidak Mampu"})
        with site.begin() as ctx:
            report = sync_fixtures(ctx)
            assert report.skipped["Jenis PPKS"] == 1
            assert ctx.get_value("Jenis PPKS", "PPKS-24", "nama") == (
                "Fakir Miskin dan Orang Tidak Mampu"
            )
    finally:
        with site.begin() as ctx:
            ppks = ctx.get_doc("Jenis PPKS", "PPKS-24")
            ppks.nama = "Fakir Miskin"
            ppks.save()
