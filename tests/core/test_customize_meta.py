"""Custom Field and Property Setter rows merged into meta (frappe_compat §3), on both backends.

Customisations change the schema, and MariaDB commits DDL implicitly, so every test works
on a brand-new site and commits (no rolled-back `ctx` here).
"""

from __future__ import annotations

import json

import pytest
from sitekit import backends

from layanan_sosial.core import customize as cz
from layanan_sosial.core.exceptions import (
    DuplicateEntryError,
    MandatoryError,
    MetaError,
    ValidationError,
)

both_backends = pytest.mark.parametrize("fresh_site", backends(), indirect=True)


def fieldnames(ctx, doctype: str) -> list[str]:
    return [f.fieldname for f in ctx.get_meta(doctype).fields]


# -- Custom Field ----------------------------------------------------------------------------


@both_backends
def test_custom_field_is_inserted_after_its_anchor(fresh_site):
    with fresh_site.begin() as ctx:
        first = cz.add_custom_field(ctx, "Uji Kait", {"label": "Warna"}, insert_after="judul")
        cz.add_custom_field(
            ctx, "Uji Kait", {"label": "Ukuran", "fieldtype": "Int"}, "custom_warna"
        )
        cz.add_custom_field(ctx, "Uji Kait", {"fieldname": "catatan_akhir", "fieldtype": "Text"})
        assert first.name == "Uji Kait-custom_warna"
        assert first.fieldname == "custom_warna"
    with fresh_site.begin() as ctx:
        assert fieldnames(ctx, "Uji Kait") == [
            "validasi",
            "pengajuan",
            "pohon",
            "judul",
            "custom_warna",
            "custom_ukuran",
            "angka",
            "tanggal",
            "catatan_akhir",
        ]
        df = ctx.get_meta("Uji Kait").get_field("custom_ukuran")
        assert df.fieldtype == "Int" and df.label == "Ukuran" and df.flag("is_custom_field")


def test_fieldname_from_label_follows_frappe_compat():
    assert cz.fieldname_from_label("Nomor KK") == "custom_nomor_kk"
    assert cz.fieldname_from_label("  Jumlah (Jiwa)  ") == "custom_jumlah_jiwa"
    assert cz.fieldname_from_label("Alamat / RT-RW") == "custom_alamat__rtrw"


@both_backends
def test_custom_field_refusals(fresh_site):
    with fresh_site.begin() as ctx:
        with pytest.raises(ValidationError, match="sudah memiliki field judul") as info:
            cz.add_custom_field(ctx, "Uji Kait", {"fieldname": "judul"})
        assert info.value.field == "fieldname"
    for doctype in ("DocType", "User", "Custom Field", "Property Setter"):
        with fresh_site.begin() as ctx, pytest.raises(ValidationError, match="DocType inti"):
            cz.add_custom_field(ctx, doctype, {"label": "Catatan"})
    cases = [
        ({"label": "Jenis", "fieldtype": "Wibu"}, "options|fieldtype"),
        ({"label": "Rujukan", "fieldtype": "Link"}, "Link needs 'options'"),
        ({"label": "Rujukan", "fieldtype": "Link", "options": "Tidak Ada"}, "tidak ada"),
        ({"label": "Baris", "fieldtype": "Table", "options": "Uji Validasi"}, "bukan tabel anak"),
        ({"label": "Kode", "length": 5000}, "length must be an integer"),
        ({"label": "Catatan", "insert_after": "entah"}, "tidak memiliki field entah"),
    ]
    for field, message in cases:
        with fresh_site.begin() as ctx, pytest.raises(ValidationError, match=message):
            cz.add_custom_field(ctx, "Uji Kait", field)
    with fresh_site.begin() as ctx, pytest.raises(ValidationError, match="Dynamic Link butuh"):
        cz.add_custom_field(
            ctx, "Uji Kait", {"label": "Ref", "fieldtype": "Dynamic Link", "options": "x"}
        )
    with fresh_site.begin() as ctx, pytest.raises(ValidationError, match="tabel anak tidak boleh"):
        cz.add_custom_field(
            ctx, "Uji Baris", {"label": "Sub", "fieldtype": "Table", "options": "Uji Tag"}
        )
    with fresh_site.begin() as ctx:
        cz.add_custom_field(ctx, "Uji Kait", {"label": "Warna"})
    with fresh_site.begin() as ctx, pytest.raises((DuplicateEntryError, ValidationError)):
        cz.add_custom_field(ctx, "Uji Kait", {"label": "Warna"})
    with fresh_site.begin() as ctx:
        assert not ctx.exists("Custom Field", "Uji Kait-custom_jenis")
        assert "custom_jenis" not in fieldnames(ctx, "Uji Kait")
        assert fieldnames(ctx, "Uji Kait").count("custom_warna") == 1


@both_backends
def test_custom_field_can_be_edited_but_not_renamed(fresh_site):
    with fresh_site.begin() as ctx:
        cz.add_custom_field(ctx, "Uji Kait", {"label": "Warna"})
    with fresh_site.begin() as ctx:
        doc = ctx.get_doc("Custom Field", "Uji Kait-custom_warna")
        doc.label = "Warna Favorit"
        doc.reqd = 1
        doc.insert_after = "judul"
        doc.save()
    with fresh_site.begin() as ctx:
        df = ctx.get_meta("Uji Kait").get_field("custom_warna")
        assert df.label == "Warna Favorit" and df.flag("reqd")
        assert fieldnames(ctx, "Uji Kait").index("custom_warna") == 4
        with pytest.raises(MandatoryError):
            ctx.new_doc("Uji Kait", judul="tanpa warna").insert()
    with fresh_site.begin() as ctx, pytest.raises(ValidationError, match="tidak dapat diubah"):
        doc = ctx.get_doc("Custom Field", "Uji Kait-custom_warna")
        doc.fieldname = "custom_lain"
        doc.save()


# -- Property Setter -------------------------------------------------------------------------


@both_backends
def test_property_setters_change_field_properties(fresh_site):
    with fresh_site.begin() as ctx:
        cz.set_property(ctx, "Uji Validasi", "label", "Nama Lengkap", fieldname="nama")
        cz.set_property(ctx, "Uji Validasi", "reqd", 1, fieldname="email")
        cz.set_property(ctx, "Uji Validasi", "hidden", True, fieldname="situs")
        cz.set_property(ctx, "Uji Validasi", "options", "Phone", fieldname="email")
        cz.set_property(ctx, "Uji Validasi", "length", 200, fieldname="nama")
        cz.set_property(ctx, "Uji Validasi", "in_list_view", 1, fieldname="jenis")
    with fresh_site.begin() as ctx:
        meta = ctx.get_meta("Uji Validasi")
        assert meta.get_field("nama").label == "Nama Lengkap"
        assert meta.get_field("email").get("reqd") == 1
        assert meta.get_field("email").options == "Phone"
        assert meta.get_field("situs").get("hidden") == 1
        assert meta.get_field("nama").get("length") == 200
        assert meta.get_field("jenis").get("in_list_view") == 1
        ps = ctx.get_doc("Property Setter", "Uji Validasi-email-reqd")
        assert ps.value == "1" and ps.property_type == "Check"
        assert ps.doctype_or_field == "DocField"
        assert ctx.get_doc("Property Setter", "Uji Validasi-nama-length").property_type == "Int"


@both_backends
def test_updating_and_removing_a_property_setter(fresh_site):
    with fresh_site.begin() as ctx:
        cz.set_property(ctx, "Uji Validasi", "label", "Nama A", fieldname="nama")
    with fresh_site.begin() as ctx:
        cz.set_property(ctx, "Uji Validasi", "label", "Nama B", fieldname="nama")
        assert ctx.get_meta("Uji Validasi").get_field("nama").label == "Nama B"
    with fresh_site.begin() as ctx:
        assert ctx.get_meta("Uji Validasi").get_field("nama").label == "Nama B"
        cz.remove_property(ctx, "Uji Validasi", "label", fieldname="nama")
    with fresh_site.begin() as ctx:
        assert ctx.get_meta("Uji Validasi").get_field("nama").label == "Nama"
        assert not ctx.exists("Property Setter", "Uji Validasi-nama-label")


@both_backends
def test_field_order_and_doctype_level_properties(fresh_site):
    order = ["tanggal", "judul", "angka", "validasi", "pengajuan", "pohon"]
    with fresh_site.begin() as ctx:
        cz.set_property(ctx, "Uji Kait", "field_order", order)
        cz.set_property(ctx, "Uji Kait", "sort_field", "tanggal")
        cz.set_property(ctx, "Uji Kait", "sort_order", "ASC")
        cz.set_property(ctx, "Uji Kait", "title_field", "judul")
        cz.set_property(ctx, "Uji Kait", "search_fields", "judul,angka")
    with fresh_site.begin() as ctx:
        meta = ctx.get_meta("Uji Kait")
        assert fieldnames(ctx, "Uji Kait") == order
        assert meta.sort_field == "tanggal" and meta.sort_order == "ASC"
        assert meta.title_field == "judul" and meta.search_fields == ["judul", "angka"]
        ps = ctx.get_doc("Property Setter", "Uji Kait-main-field_order")
        assert ps.doctype_or_field == "DocType" and json.loads(ps.value) == order


@both_backends
def test_property_setter_refusals(fresh_site):
    cases = [
        # (doctype, property, value, fieldname, message)
        ("Uji Validasi", "reqd", 0, "nama", "tidak dapat dimatikan"),
        ("Uji Baris", "allow_on_submit", 1, "item", "allow_on_submit"),
        ("Uji Validasi", "options", "A\nB", "jenis", "options field bertipe Select"),
        ("Uji Validasi", "fieldtype", "Int", "nama", "dari Data ke Int"),
        ("Uji Validasi", "fieldtype", "Kotak", "nama", "tidak ada dalam pilihan fieldtype"),
        ("Uji Validasi", "translatable", 1, "jumlah", "translatable"),
        ("Uji Validasi", "is_virtual", 1, "nama", "virtual"),
        ("Uji Validasi", "owner_only", 1, "nama", "tidak dapat diubah untuk field"),
        ("Uji Validasi", "istable_x", 1, None, "tidak dapat diubah untuk DocType"),
        ("Uji Validasi", "label", "X", "tidak_ada", "tidak memiliki field tidak_ada"),
        ("Uji Validasi", "length", "panjang", "nama", "tidak sesuai tipe Int"),
        ("Uji Validasi", "hidden", 3, "nama", "hanya boleh 0 atau 1"),
        ("Uji Validasi", "sort_order", "NAIK", None, "tidak ada dalam pilihan"),
        ("Uji Validasi", "title_field", "tidak_ada", None, "title_field 'tidak_ada'"),
        ("Uji Validasi", "autoname", "autoincrement", None, "autoincrement"),
        ("Uji Validasi", "field_order", "bukan json", None, "field_order"),
        ("User", "label", "Nama", "first_name", "DocType inti"),
    ]
    for doctype, prop, value, fieldname, message in cases:
        with fresh_site.begin() as ctx, pytest.raises(ValidationError, match=message):
            cz.set_property(ctx, doctype, prop, value, fieldname=fieldname)
    with fresh_site.begin() as ctx:
        # still allowed: turning reqd on, a compatible fieldtype, options of a Data field
        cz.set_property(ctx, "Uji Validasi", "reqd", 1, fieldname="situs")
        cz.set_property(ctx, "Uji Validasi", "fieldtype", "Select", fieldname="nama_lembaga")
        cz.set_property(ctx, "Uji Validasi", "options", "Email", fieldname="situs")
        cz.set_property(ctx, "Uji Validasi", "reqd", 1, fieldname="nama")  # no change, fine
    with fresh_site.begin() as ctx:
        assert ctx.get_meta("Uji Validasi").get_field("nama_lembaga").fieldtype == "Select"


@both_backends
def test_a_broken_customisation_row_is_a_meta_error_naming_it(fresh_site):
    """Rows written around the controllers are still validated when meta is merged."""
    from layanan_sosial.core.db.tables import table_for

    with fresh_site.begin() as ctx:
        table = table_for(ctx.get_meta("Property Setter"))
        ctx.conn.execute(
            table.insert().values(
                name="Uji Kait-main-title_field",
                doctype_or_field="DocType",
                doc_type="Uji Kait",
                property="title_field",
                value="tidak_ada",
                property_type="Data",
                docstatus=0,
                idx=0,
            )
        )
        ctx.meta_changed()
    with fresh_site.begin() as ctx, pytest.raises(MetaError) as info:
        ctx.get_meta("Uji Kait")
    assert "customisations" in str(info.value) and "title_field 'tidak_ada'" in str(info.value)
