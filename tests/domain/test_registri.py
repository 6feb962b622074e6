"""Registri: NIK rules (spm_rules.md §5.1), unique NIK, near-duplicate flags, consent date,
NIK hidden from roles without permlevel 1, Keluarga members."""

from __future__ import annotations

import secrets
from datetime import date

import pytest

from layanan_sosial.core.exceptions import (
    PermissionError_,
    UniqueValidationError,
    ValidationError,
)
from layanan_sosial.core.permissions import strip_unreadable
from layanan_sosial.registri.nik import normalise_name, validate_nik

# 53.71.01 = Kota Kupang, Kec. Alak; born 5 July 1990; serial 0001/0002
NIK_LAKI = "5371010507900001"
NIK_PEREMPUAN = "5371014507900002"  # day 05 + 40 = 45


def unique_nik(day: int = 5, female: bool = False) -> str:
    serial = f"{secrets.randbelow(9998) + 1:04d}"
    return f"530104{day + (40 if female else 0):02d}0790{serial}"


@pytest.mark.parametrize(
    ("nik", "jk", "lahir"),
    [
        (NIK_LAKI, "Laki-laki", date(1990, 7, 5)),
        (NIK_PEREMPUAN, "Perempuan", date(1990, 7, 5)),
        (NIK_PEREMPUAN, None, None),
        ("1101012902000001", "Laki-laki", date(2000, 2, 29)),  # leap day, Aceh
        ("5371017112850003", "Perempuan", "1985-12-31"),
    ],
)
def test_valid_nik(nik, jk, lahir):
    assert validate_nik(nik, jk, lahir) == nik


@pytest.mark.parametrize(
    ("nik", "jk", "lahir", "message"),
    [
        ("537101050790001", None, None, "16 digit"),  # 15 digits
        ("53710105079000012", None, None, "16 digit"),
        ("53710105O7900001", None, None, "angka"),  # letter O
        ("5371 01050790001", None, None, "angka"),
        ("0971010507900001", None, None, "provinsi"),
        ("5371013207900001", None, None, "bukan tanggal"),  # day 32
        ("5371017207900001", None, None, "bukan tanggal"),  # day 72 (32 + 40)
        ("5371010513900001", None, None, "bukan tanggal"),  # month 13
        ("5371013002900001", None, None, "bukan tanggal"),  # 30 February
        ("5371012902010001", None, None, "bukan tanggal"),
        ("5371010507900000", None, None, "0000"),
        (NIK_LAKI, "Perempuan", None, "ditambah 40"),  # woman without +40
        (NIK_PEREMPUAN, "Laki-laki", None, "perempuan"),  # man with +40
        (NIK_LAKI, "Laki-laki", date(1990, 7, 6), "tidak sesuai"),
        (NIK_LAKI, "Laki-laki", date(1991, 7, 5), "tidak sesuai"),
    ],
)
def test_invalid_nik(nik, jk, lahir, message):
    with pytest.raises(ValidationError) as info:
        validate_nik(nik, jk, lahir)
    assert message in info.value.message
    assert info.value.http_status == 417


def test_normalise_name():
    assert normalise_name("Dr.  Maria   GORETI, S.Pd") == "maria goreti"
    assert normalise_name("Hj. Siti  Nur'aini") == normalise_name("siti nur aini")
    assert normalise_name("Yohánes Ndun") == "yohanes ndun"


def penerima(ctx, **values):
    base = {
        "nama_lengkap": "Maria Goreti Bria",
        "jenis_kelamin": "Perempuan",
        "tanggal_lahir": "1990-07-05",
        "wilayah": "53.71.01.1001",
    }
    return ctx.new_doc("Penerima Manfaat", {**base, **values}).insert()


def test_insert_with_nik_series_and_ppks(ctx):
    doc = penerima(
        ctx,
        nik=unique_nik(female=True),
        jenis_ppks=[{"jenis_ppks": "PPKS-24"}, {"jenis_ppks": "PPKS-23"}],
        desil=2,
    )
    assert doc.name.startswith(f"PM-{date.today().year}-")
    assert [r.jenis_ppks for r in ctx.get_doc("Penerima Manfaat", doc.name).jenis_ppks] == [
        "PPKS-24",
        "PPKS-23",
    ]
    assert doc.status == "Aktif"
    assert not doc.kemungkinan_duplikat


def test_invalid_nik_refused_with_field(ctx):
    with pytest.raises(ValidationError) as info:
        penerima(ctx, nik=unique_nik(female=False))  # Perempuan without +40
    assert info.value.errors and info.value.errors[0].get("field") == "nik"


def test_desil_range(ctx):
    with pytest.raises(ValidationError, match="Desil"):
        penerima(ctx, desil=11)


def test_consent_date_recorded(ctx):
    doc = penerima(ctx, persetujuan_data=1)
    assert doc.tanggal_persetujuan is not None
    tanpa = penerima(ctx, nama_lengkap="Tanpa Persetujuan")
    assert tanpa.tanggal_persetujuan is None


def test_duplicate_nik_refused(ctx):
    nik = unique_nik(female=True)
    penerima(ctx, nik=nik)
    with pytest.raises(UniqueValidationError) as info:
        penerima(ctx, nik=nik, nama_lengkap="Orang Lain")
    assert info.value.http_status == 417


def test_near_duplicates_flagged_not_blocking(ctx):
    first = penerima(ctx, nama_lengkap="Yohanes Benu", jenis_kelamin="Laki-laki",
                     tanggal_lahir="1975-03-02", no_kk="5301040203750009")  # fmt: skip
    second = penerima(ctx, nama_lengkap="  yohanes   BENU ", jenis_kelamin="Laki-laki",
                      tanggal_lahir="1975-03-02")  # fmt: skip
    assert first.name in second.kemungkinan_duplikat
    assert "tanggal lahir" in second.kemungkinan_duplikat
    third = penerima(ctx, nama_lengkap="Drs. Yohanes Benu", jenis_kelamin="Laki-laki",
                     tanggal_lahir="1976-01-01", no_kk="5301040203750009")  # fmt: skip
    assert first.name in third.kemungkinan_duplikat
    assert "KK" in third.kemungkinan_duplikat
    other = penerima(ctx, nama_lengkap="Yohana Benu", tanggal_lahir="1975-03-02")
    assert not other.kemungkinan_duplikat
    # saving the first again flags the others but never itself
    first.save()
    assert second.name in first.kemungkinan_duplikat
    assert first.name not in first.kemungkinan_duplikat


def make_user(site, roles: list[str]) -> str:
    email = f"uji.{secrets.token_hex(4)}@dinsos.example"
    with site.begin() as ctx:
        ctx.new_doc(
            "User", email=email, first_name="Uji", roles=[{"role": r} for r in roles]
        ).insert()
    return email


def test_nik_hidden_without_permlevel_1(site):
    nik = unique_nik(day=9, female=True)
    pimpinan = make_user(site, ["Pimpinan"])
    front = make_user(site, ["Front Office"])
    with site.begin() as ctx:
        name = penerima(ctx, nik=nik, nama_lengkap="Rahel Tefa", tanggal_lahir="1990-07-09").name
    try:
        with site.begin(user=pimpinan, write=False) as ctx:
            doc = ctx.get_doc("Penerima Manfaat", name)  # controllers see everything
            shown = strip_unreadable(ctx, doc.meta, doc.as_dict())  # what any reader gets
            assert shown["nama_lengkap"] == "Rahel Tefa"
            assert "nik" not in shown
            rows = ctx.get_list(
                "Penerima Manfaat", filters={"name": name}, fields=["*"], as_dict=True
            )
            assert len(rows) == 1 and "nik" not in rows[0]
            with pytest.raises(PermissionError_) as info:  # not readable, so not filterable
                ctx.get_list("Penerima Manfaat", filters={"nik": nik})
            assert info.value.http_status == 403
        with site.begin(user=front, write=False) as ctx:  # who registers sees the NIK
            assert ctx.get_doc("Penerima Manfaat", name).nik == nik
            assert ctx.get_value("Penerima Manfaat", name, "nik") == nik
    finally:
        with site.begin() as ctx:
            ctx.delete_doc("Penerima Manfaat", name)


def test_keluarga_members(ctx):
    kk = "5371010101200001"
    ayah = penerima(ctx, nama_lengkap="Petrus Nenobais", jenis_kelamin="Laki-laki", no_kk=kk)
    anak = penerima(ctx, nama_lengkap="Maria Nenobais", no_kk=kk)
    kel = ctx.new_doc(
        "Keluarga",
        no_kk=kk,
        wilayah="53.71.01.1001",
        anggota=[
            {"penerima": ayah.name, "hubungan": "Kepala Keluarga"},
            {"penerima": anak.name, "hubungan": "Anak"},
        ],
    ).insert()
    assert kel.name == kk
    assert kel.kepala_keluarga == ayah.name
    assert [r.nama for r in kel.anggota] == ["Petrus Nenobais", "Maria Nenobais"]
    bad = ctx.new_doc("Keluarga", no_kk="12345", anggota=[])
    with pytest.raises(ValidationError, match="16 digit"):
        bad.insert()


def test_keluarga_one_head(ctx):
    kk = "5371010101200002"
    a = penerima(ctx, nama_lengkap="A Satu", jenis_kelamin="Laki-laki")
    b = penerima(ctx, nama_lengkap="B Dua")
    doc = ctx.new_doc(
        "Keluarga",
        no_kk=kk,
        anggota=[
            {"penerima": a.name, "hubungan": "Kepala Keluarga"},
            {"penerima": b.name, "hubungan": "Kepala Keluarga"},
        ],
    )
    with pytest.raises(ValidationError, match="satu Kepala Keluarga"):
        doc.insert()


def test_import_flags_near_duplicates_of_existing_records(ctx):
    first = penerima(ctx, nama_lengkap="Agustina Lay", tanggal_lahir="1982-08-17")
    names = ctx.insert_many(
        "Penerima Manfaat",
        [
            {"nama_lengkap": "AGUSTINA  LAY", "tanggal_lahir": "1982-08-17"},
            {"nama_lengkap": "Agustinus Lay", "tanggal_lahir": "1982-08-17"},
        ],
    )
    flagged = ctx.get_value("Penerima Manfaat", names[0], "kemungkinan_duplikat")
    assert first.name in flagged
    assert not ctx.get_value("Penerima Manfaat", names[1], "kemungkinan_duplikat")


def test_front_office_registers_pimpinan_only_reads(site):
    front = make_user(site, ["Front Office"])
    pimpinan = make_user(site, ["Pimpinan"])
    nik = unique_nik(day=12)
    with site.begin(user=front) as ctx:
        doc = penerima(
            ctx,
            nik=nik,
            nama_lengkap="Simon Lenggu",
            jenis_kelamin="Laki-laki",
            tanggal_lahir="1990-07-12",
            persetujuan_data=1,
            jenis_ppks=[{"jenis_ppks": "PPKS-24"}],
        )
        name = doc.name
    try:
        with site.begin(user=pimpinan) as ctx:
            assert ctx.get_count("Penerima Manfaat", {"name": name}) == 1
            with pytest.raises(PermissionError_):
                ctx.set_value("Penerima Manfaat", name, {"telepon": "081234567890"})
        with site.begin() as ctx:
            assert ctx.get_value("Penerima Manfaat", name, "nik") == nik
    finally:
        with site.begin() as ctx:
            ctx.delete_doc("Penerima Manfaat", name)
