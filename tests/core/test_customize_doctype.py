"""Admin-created (custom) DocTypes: defined as documents, validated like files, tables at once.

Every test uses a brand-new site per backend and commits (MariaDB commits DDL implicitly).
"""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from sitekit import backends

from layanan_sosial.core import customize as cz
from layanan_sosial.core.exceptions import (
    LinkExistsError,
    MandatoryError,
    NameError_,
    ValidationError,
)

both_backends = pytest.mark.parametrize("fresh_site", backends(), indirect=True)

CHILD = {
    "name": "Rincian Bantuan",
    "istable": 1,
    "fields": [
        {"fieldname": "barang", "fieldtype": "Data", "label": "Barang", "reqd": 1},
        {"fieldname": "jumlah", "fieldtype": "Int", "label": "Jumlah", "non_negative": 1},
    ],
}
PARENT = {
    "doctype": "DocType",
    "name": "Distribusi Uji Kustom",
    "module": "Bencana",
    "autoname": "field:kode",
    "title_field": "penerima",
    "search_fields": "penerima",
    "sort_field": "tanggal",
    "sort_order": "ASC",
    "fields": [
        {"fieldname": "kode", "fieldtype": "Data", "label": "Kode", "reqd": 1, "unique": 1},
        {"fieldname": "penerima", "fieldtype": "Data", "label": "Penerima", "in_list_view": 1},
        {"fieldname": "tanggal", "fieldtype": "Date", "label": "Tanggal"},
        {"fieldname": "status", "fieldtype": "Select", "options": "Draf\nDisalurkan\nBatal"},
        {"fieldname": "kait", "fieldtype": "Link", "options": "Uji Kait", "label": "Kait"},
        {"fieldname": "sb_rincian", "fieldtype": "Section Break", "label": "Rincian"},
        {"fieldname": "rincian", "fieldtype": "Table", "options": "Rincian Bantuan"},
    ],
    "permissions": [{"role": "System Manager", "read": 1, "write": 1, "create": 1}],
}


def has_table(site, name: str) -> bool:
    with site.engine.connect() as conn:
        return sa.inspect(conn).has_table(name)


def table_columns(site, name: str) -> set[str]:
    with site.engine.connect() as conn:
        return {c["name"] for c in sa.inspect(conn).get_columns(name)}


def create_pair(site) -> None:
    with site.begin() as ctx:
        cz.create_doctype(ctx, CHILD)
        cz.create_doctype(ctx, PARENT)


@both_backends
def test_custom_doctype_round_trip_and_documents(fresh_site):
    create_pair(fresh_site)
    assert has_table(fresh_site, "tabDistribusi Uji Kustom")
    assert {"parent", "parentfield", "barang", "jumlah"} <= table_columns(
        fresh_site, "tabRincian Bantuan"
    )
    with fresh_site.begin() as ctx:
        meta = ctx.get_meta("Distribusi Uji Kustom")
        assert [f.fieldname for f in meta.fields] == [f["fieldname"] for f in PARENT["fields"]]
        assert meta.flag("custom") and meta.autoname == "field:kode"
        assert meta.title_field == "penerima" and meta.sort_field == "tanggal"
        assert meta.get_field("status").select_options == ["Draf", "Disalurkan", "Batal"]
        assert meta.get("module") == "Bencana"
        assert [p.role for p in meta.permissions] == ["System Manager"]
        assert ctx.get_meta("Rincian Bantuan").istable
        record = ctx.get_doc("DocType", "Distribusi Uji Kustom")
        assert [r.fieldname for r in record.fields] == [f.fieldname for f in meta.fields]
        assert record.naming_rule == "By fieldname"
        kait = ctx.new_doc("Uji Kait", judul="k").insert()
        doc = ctx.new_doc(
            "Distribusi Uji Kustom",
            kode="PB-001",
            penerima="Ama",
            tanggal="2026-03-01",
            kait=kait.name,
            rincian=[{"barang": "beras", "jumlah": 10}, {"barang": "minyak", "jumlah": 2}],
        ).insert()
        assert doc.name == "PB-001" and doc.status == "Draf"
    with fresh_site.begin() as ctx:
        doc = ctx.get_doc("Distribusi Uji Kustom", "PB-001")
        assert doc.tanggal == dt.date(2026, 3, 1)
        assert [(r.barang, r.jumlah) for r in doc.rincian] == [("beras", 10), ("minyak", 2)]
        doc.status = "Disalurkan"
        doc.rincian[1].jumlah = 3
        doc.save()
    with fresh_site.begin() as ctx:
        doc = ctx.get_doc("Distribusi Uji Kustom", "PB-001")
        assert doc.status == "Disalurkan" and doc.rincian[1].jumlah == 3
        with pytest.raises(ValidationError):
            ctx.new_doc("Distribusi Uji Kustom", kode="PB-002", status="Hilang").insert()
        with pytest.raises(ValidationError):
            ctx.new_doc("Distribusi Uji Kustom", kode="PB-003", kait="tidak-ada").insert()
        with pytest.raises(MandatoryError):
            ctx.new_doc("Distribusi Uji Kustom", kode="PB-004", rincian=[{"jumlah": 1}]).insert()


@both_backends
def test_naming_rules_on_custom_doctypes(fresh_site):
    with fresh_site.begin() as ctx:
        cz.create_doctype(
            ctx,
            {
                "name": "Surat Kustom",
                "autoname": "naming_series:",
                "fields": [
                    {
                        "fieldname": "naming_series",
                        "fieldtype": "Select",
                        "options": "SRT-.YYYY.-.####\nSK-.####",
                    },
                    {"fieldname": "perihal", "fieldtype": "Data"},
                ],
            },
        )
        cz.create_doctype(ctx, {"name": "Log Kustom", "naming_rule": "Autoincrement", "fields": []})
        cz.create_doctype(ctx, {"name": "Acak Kustom", "fields": [{"fieldname": "isi"}]})
    with fresh_site.begin() as ctx:
        ctx.now_override = dt.datetime(2026, 5, 1, 8, 0)
        assert ctx.new_doc("Surat Kustom", perihal="a").insert().name == "SRT-2026-0001"
        assert ctx.new_doc("Surat Kustom", perihal="b").insert().name == "SRT-2026-0002"
        other = ctx.new_doc("Surat Kustom", perihal="c", naming_series="SK-.####").insert()
        assert other.name == "SK-0001"
        assert ctx.get_meta("Log Kustom").autoname == "autoincrement"
        first = ctx.new_doc("Log Kustom").insert().name
        assert ctx.new_doc("Log Kustom").insert().name == first + 1
        hashed = ctx.new_doc("Acak Kustom", isi="x").insert().name
        assert len(hashed) == 10


@both_backends
def test_submittable_tree_and_single_custom_doctypes(fresh_site):
    with fresh_site.begin() as ctx:
        cz.create_doctype(
            ctx,
            {
                "name": "Pengajuan Kustom",
                "is_submittable": 1,
                "autoname": "PK-.#####",
                "fields": [{"fieldname": "judul", "fieldtype": "Data", "reqd": 1}],
            },
        )
        cz.create_doctype(
            ctx,
            {
                "name": "Wilayah Kustom",
                "is_tree": 1,
                "autoname": "field:nama",
                "fields": [{"fieldname": "nama", "fieldtype": "Data", "reqd": 1}],
            },
        )
        cz.create_doctype(
            ctx,
            {
                "name": "Pengaturan Kustom",
                "issingle": 1,
                "fields": [{"fieldname": "ambang", "fieldtype": "Int", "default": "5"}],
            },
        )
    assert not has_table(fresh_site, "tabPengaturan Kustom")
    assert {"lft", "rgt", "is_group", "parent_wilayah_kustom"} <= table_columns(
        fresh_site, "tabWilayah Kustom"
    )
    with fresh_site.begin() as ctx:
        meta = ctx.get_meta("Pengajuan Kustom")
        assert meta.has_field("amended_from")
        perm = meta.permissions[0]
        assert perm.role == "System Manager" and perm.has("submit") and perm.has("cancel")
        doc = ctx.new_doc("Pengajuan Kustom", judul="a").insert()
        doc.submit()
        doc.cancel()
        amended = doc.amend().insert()
        assert amended.name == f"{doc.name}-1" and amended.amended_from == doc.name
        root = ctx.new_doc("Wilayah Kustom", nama="NTT", is_group=1).insert()
        child = ctx.new_doc("Wilayah Kustom", nama="Kupang", parent_wilayah_kustom="NTT").insert()
        root.reload()
        assert root.lft < child.lft < child.rgt < root.rgt
        settings = ctx.get_doc("Pengaturan Kustom")
        assert settings.ambang == 5
        settings.ambang = 7
        settings.save()
    with fresh_site.begin() as ctx:
        assert ctx.get_doc("Pengaturan Kustom").ambang == 7


@both_backends
def test_bad_definitions_give_field_level_errors(fresh_site):
    def fields(*extra):
        return [{"fieldname": "nama", "fieldtype": "Data"}, *extra]

    cases = [
        ({"fields": fields({"fieldname": "x", "fieldtype": "Kotak"})}, "unknown fieldtype", 2),
        ({"fields": fields({"fieldname": "nama", "fieldtype": "Int"})}, "used twice", 2),
        ({"fields": fields({"fieldname": "owner"})}, "reserved", 2),
        ({"fields": fields({"fieldname": "Nama Besar"})}, "lower case", 2),
        ({"fields": fields({"fieldname": "k", "fieldtype": "Link"})}, "needs 'options'", 2),
        (
            {"fields": fields({"fieldname": "k", "fieldtype": "Link", "options": "Entah"})},
            "Link ke DocType Entah",
            None,
        ),
        (
            {"fields": fields({"fieldname": "t", "fieldtype": "Table", "options": "Uji Kait"})},
            "bukan tabel anak",
            None,
        ),
        (
            {
                "istable": 1,
                "fields": fields({"fieldname": "t", "fieldtype": "Table", "options": "Uji Baris"}),
            },
            "tabel anak tidak boleh",
            None,
        ),
        (
            {"fields": fields({"fieldname": "d", "fieldtype": "Dynamic Link", "options": "jenis"})},
            "Dynamic Link butuh field 'jenis'",
            None,
        ),
        ({"autoname": "field:kode", "fields": fields()}, "autoname 'field:kode'", None),
        ({"title_field": "judul", "fields": fields()}, "title_field 'judul'", None),
        ({"fields": fields({"fieldname": "c", "length": 2000})}, "length", 2),
    ]
    for overrides, message, row in cases:
        definition = {"name": "Uji Definisi", **overrides}
        with pytest.raises(ValidationError, match=message) as info, fresh_site.begin() as ctx:
            cz.create_doctype(ctx, definition)
        error = info.value
        if row is not None:
            assert error.field == "fields"
            assert error.errors[0]["row"] == row, error.errors
    assert not has_table(fresh_site, "tabUji Definisi")
    with fresh_site.begin() as ctx:
        assert not ctx.exists("DocType", "Uji Definisi")
        assert not ctx.doctype_exists("Uji Definisi")


@both_backends
def test_names_that_clash_are_refused(fresh_site):
    for name, message in [
        ("Uji Kait", "DocType standar"),
        ("uji kait", "DocType standar Uji Kait"),
        ("Series", "tabel internal"),
        ("Bad<Name>", "invalid DocType name|tidak boleh"),
        ("9 Angka", "invalid DocType name"),
    ]:
        with pytest.raises((ValidationError, NameError_), match=message):
            with fresh_site.begin() as ctx:
                cz.create_doctype(ctx, {"name": name, "fields": [{"fieldname": "a"}]})
    with fresh_site.begin() as ctx:
        cz.create_doctype(ctx, {"name": "Satu Kustom", "fields": [{"fieldname": "a"}]})
    with pytest.raises(ValidationError, match="sudah ada"), fresh_site.begin() as ctx:
        cz.create_doctype(ctx, {"name": "satu kustom", "fields": [{"fieldname": "a"}]})


@both_backends
def test_standard_doctype_records_cannot_be_edited_or_deleted(fresh_site):
    with pytest.raises(ValidationError, match="Customize Form") as info, fresh_site.begin() as ctx:
        record = ctx.get_doc("DocType", "Uji Kait")
        record.title_field = "judul"
        record.save()
    assert info.value.field == "name"
    with pytest.raises(ValidationError, match="standar"), fresh_site.begin() as ctx:
        ctx.get_doc("DocType", "Uji Kait").delete(ignore_links=True)
    with fresh_site.begin() as ctx:
        assert ctx.get_meta("Uji Kait").title_field == ""
        assert ctx.exists("DocType", "Uji Kait")


@both_backends
def test_editing_a_custom_doctype_alters_its_table_and_keeps_data(fresh_site):
    create_pair(fresh_site)
    with fresh_site.begin() as ctx:
        ctx.new_doc("Distribusi Uji Kustom", kode="A", penerima="Ina").insert()
    with fresh_site.begin() as ctx:
        record = ctx.get_doc("DocType", "Distribusi Uji Kustom")
        record.append("fields", {"fieldname": "catatan", "fieldtype": "Small Text"})
        record.set("fields", [r for r in record.fields if r.fieldname != "penerima"])
        record.title_field = None
        record.search_fields = None
        record.save()
        assert "penerima" in record.flags.schema_report.orphans
    cols = table_columns(fresh_site, "tabDistribusi Uji Kustom")
    assert {"catatan", "penerima"} <= cols  # the removed field's column keeps its data
    with fresh_site.begin() as ctx:
        meta = ctx.get_meta("Distribusi Uji Kustom")
        assert meta.has_field("catatan") and not meta.has_field("penerima")
        ctx.new_doc("Distribusi Uji Kustom", kode="B", catatan="baru").insert()
        record = ctx.get_doc("DocType", "Distribusi Uji Kustom")
        record.issingle = 1
        with pytest.raises(ValidationError, match="sudah memiliki dokumen"):
            record.save()
    with fresh_site.begin() as ctx:
        table = sa.table("tabDistribusi Uji Kustom", sa.column("name"), sa.column("penerima"))
        rows = dict(ctx.conn.execute(sa.select(table.c.name, table.c.penerima)).all())
        assert rows == {"A": "Ina", "B": None}


@both_backends
def test_deleting_custom_doctypes_never_drops_data(fresh_site):
    create_pair(fresh_site)
    with fresh_site.begin() as ctx:
        cz.create_doctype(ctx, {"name": "Kosong Kustom", "fields": [{"fieldname": "a"}]})
        cz.add_custom_field(ctx, "Kosong Kustom", {"label": "Tambahan"})
        ctx.new_doc("Distribusi Uji Kustom", kode="A", rincian=[{"barang": "air"}]).insert()
    # still used by another DocType's Table field
    with pytest.raises(LinkExistsError, match="Distribusi Uji Kustom.rincian"):
        with fresh_site.begin() as ctx:
            cz.delete_doctype(ctx, "Rincian Bantuan")
    # documents exist: refused unless the table and its rows are kept
    with pytest.raises(ValidationError, match="masih memiliki 1 dokumen"):
        with fresh_site.begin() as ctx:
            cz.delete_doctype(ctx, "Distribusi Uji Kustom")
    with fresh_site.begin() as ctx:
        assert cz.delete_doctype(ctx, "Distribusi Uji Kustom", keep_data=True) is True
    assert has_table(fresh_site, "tabDistribusi Uji Kustom")
    with fresh_site.begin() as ctx:
        assert not ctx.doctype_exists("Distribusi Uji Kustom")
        assert cz.delete_doctype(ctx, "Rincian Bantuan", keep_data=True) is True  # its rows
        # an empty custom DocType goes with its table, its Custom Field with it
        assert cz.delete_doctype(ctx, "Kosong Kustom") is False
        assert not ctx.exists("Custom Field", "Kosong Kustom-custom_tambahan")
    assert not has_table(fresh_site, "tabKosong Kustom")
    assert has_table(fresh_site, "tabRincian Bantuan")
