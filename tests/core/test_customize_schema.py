"""Customisations change the tables at once, and never lose data (both backends).

Every test uses a brand-new site and commits: MariaDB commits DDL implicitly, so a
rolled-back context could not undo these changes anyway.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sitekit import backends

from layanan_sosial.core import customize as cz
from layanan_sosial.core.db.internal import read_meta_version
from layanan_sosial.core.exceptions import (
    CharacterLengthExceededError,
    SchemaError,
    ValidationError,
)
from layanan_sosial.core.meta import change
from layanan_sosial.core.migrate import migrate

both_backends = pytest.mark.parametrize("fresh_site", backends(), indirect=True)


def columns(site, table: str) -> dict[str, sa.types.TypeEngine]:
    with site.engine.connect() as conn:
        return {c["name"]: c["type"] for c in sa.inspect(conn).get_columns(table)}


def indexes(site, table: str) -> set[str]:
    with site.engine.connect() as conn:
        return {ix["name"] for ix in sa.inspect(conn).get_indexes(table)}


def raw_value(site, table: str, column: str, name: str):
    with site.engine.connect() as conn:
        return conn.execute(
            sa.text(f'SELECT "{column}" FROM "{table}" WHERE name = :n').bindparams(n=name)
            if site.engine.dialect.name == "sqlite"
            else sa.text(f"SELECT `{column}` FROM `{table}` WHERE name = :n").bindparams(n=name)
        ).scalar()


@both_backends
def test_custom_field_creates_its_column_and_index_at_once(fresh_site):
    with fresh_site.begin() as ctx:
        cz.add_custom_field(ctx, "Uji Kait", {"label": "Nomor KK", "search_index": 1})
        cz.add_custom_field(ctx, "Uji Kait", {"label": "Kode Unik", "unique": 1})
        cz.add_custom_field(ctx, "Uji Kait", {"label": "Jumlah Jiwa", "fieldtype": "Int"})
        # usable in the very same transaction
        doc = ctx.new_doc("Uji Kait", judul="a", custom_nomor_kk="5301", custom_jumlah_jiwa=4)
        doc.insert()
        name = doc.name
    cols = columns(fresh_site, "tabUji Kait")
    assert {"custom_nomor_kk", "custom_kode_unik", "custom_jumlah_jiwa"} <= cols.keys()
    assert isinstance(cols["custom_jumlah_jiwa"], sa.Integer)
    assert {"ix_uji_kait_custom_nomor_kk", "uq_uji_kait_custom_kode_unik"} <= indexes(
        fresh_site, "tabUji Kait"
    ) | _unique_names(fresh_site, "tabUji Kait")
    with fresh_site.begin() as ctx:
        stored = ctx.get_doc("Uji Kait", name)
        assert stored.custom_nomor_kk == "5301" and stored.custom_jumlah_jiwa == 4
        stored.custom_kode_unik = "X1"
        stored.save()
    assert raw_value(fresh_site, "tabUji Kait", "custom_kode_unik", name) == "X1"


def _unique_names(site, table: str) -> set[str]:
    with site.engine.connect() as conn:
        return {uc["name"] for uc in sa.inspect(conn).get_unique_constraints(table)}


@both_backends
def test_custom_fields_on_child_and_single_doctypes(fresh_site):
    with fresh_site.begin() as ctx:
        cz.add_custom_field(ctx, "Uji Baris", {"label": "Satuan"})
        cz.add_custom_field(ctx, "Uji Tunggal", {"label": "Catatan", "fieldtype": "Small Text"})
    assert "custom_satuan" in columns(fresh_site, "tabUji Baris")
    with fresh_site.begin() as ctx:
        doc = ctx.new_doc(
            "Uji Validasi", kode="K1", nama="n", baris=[{"item": "beras", "custom_satuan": "kg"}]
        ).insert()
        single = ctx.get_doc("Uji Tunggal")
        single.custom_catatan = "catatan tunggal"
        single.save()
    with fresh_site.begin() as ctx:
        assert ctx.get_doc("Uji Validasi", doc.name).baris[0].custom_satuan == "kg"
        assert ctx.get_doc("Uji Tunggal").custom_catatan == "catatan tunggal"


@both_backends
def test_shrinking_length_below_stored_data_is_refused_and_nothing_changes(fresh_site):
    with fresh_site.begin() as ctx:
        ctx.new_doc("Uji Kait", judul="judul yang cukup panjang").insert()  # 24 characters
        version = read_meta_version(ctx.conn)
    type_before = str(columns(fresh_site, "tabUji Kait")["judul"])
    with fresh_site.begin() as ctx, pytest.raises(SchemaError) as info:
        cz.set_property(ctx, "Uji Kait", "length", 10, fieldname="judul")
    message = str(info.value)
    assert "tabUji Kait.judul" in message
    assert "10 karakter" in message and "24 karakter" in message
    with fresh_site.begin() as ctx:
        assert not ctx.exists("Property Setter", "Uji Kait-judul-length")
        assert ctx.get_meta("Uji Kait").get_field("judul").get("length") is None
        assert read_meta_version(ctx.conn) == version
        assert ctx.new_doc("Uji Kait", judul="x" * 100).insert()
    assert str(columns(fresh_site, "tabUji Kait")["judul"]) == type_before
    # a length the data fits in is applied at once (SQLite keeps the declared length too)
    with fresh_site.begin() as ctx:
        cz.set_property(ctx, "Uji Kait", "length", 120, fieldname="judul")
    assert columns(fresh_site, "tabUji Kait")["judul"].length == 120
    with fresh_site.begin() as ctx, pytest.raises(CharacterLengthExceededError):
        ctx.new_doc("Uji Kait", judul="y" * 121).insert()


@both_backends
def test_removing_a_property_setter_the_data_outgrew_is_refused(fresh_site):
    with fresh_site.begin() as ctx:
        cz.set_property(ctx, "Uji Kait", "length", 300, fieldname="judul")
    with fresh_site.begin() as ctx:
        ctx.new_doc("Uji Kait", judul="z" * 200).insert()
    with fresh_site.begin() as ctx, pytest.raises(SchemaError, match="140 karakter"):
        cz.remove_property(ctx, "Uji Kait", "length", fieldname="judul")
    with fresh_site.begin() as ctx:
        assert ctx.exists("Property Setter", "Uji Kait-judul-length")
        assert ctx.get_meta("Uji Kait").get_field("judul").get("length") == 300


@both_backends
def test_unique_over_duplicates_and_lossy_type_changes_are_refused(fresh_site):
    with fresh_site.begin() as ctx:
        cz.add_custom_field(ctx, "Uji Kait", {"label": "Kode"})
        for _ in range(2):
            ctx.new_doc("Uji Kait", judul="sama", custom_kode="abc").insert()
    with fresh_site.begin() as ctx, pytest.raises(SchemaError, match="'sama' muncul 2 kali"):
        cz.set_property(ctx, "Uji Kait", "unique", 1, fieldname="judul")
    with fresh_site.begin() as ctx, pytest.raises(SchemaError, match="berisi data"):
        doc = ctx.get_doc("Custom Field", "Uji Kait-custom_kode")
        doc.fieldtype = "Int"
        doc.save()
    with fresh_site.begin() as ctx:
        assert ctx.get_meta("Uji Kait").get_field("custom_kode").fieldtype == "Data"
        assert not ctx.get_meta("Uji Kait").get_field("judul").flag("unique")
        assert {d.custom_kode for d in _all(ctx, "Uji Kait")} == {"abc"}
    # widening Data → Small Text keeps the data
    with fresh_site.begin() as ctx:
        doc = ctx.get_doc("Custom Field", "Uji Kait-custom_kode")
        doc.fieldtype = "Small Text"
        doc.save()
    with fresh_site.begin() as ctx:
        assert {d.custom_kode for d in _all(ctx, "Uji Kait")} == {"abc"}


def _all(ctx, doctype: str):
    from layanan_sosial.core.db.tables import table_for

    table = table_for(ctx.get_meta(doctype))
    names = [r[0] for r in ctx.conn.execute(sa.select(table.c.name))]
    return [ctx.get_doc(doctype, n) for n in names]


@both_backends
def test_deleting_a_custom_field_keeps_a_column_that_holds_data(fresh_site):
    with fresh_site.begin() as ctx:
        cz.add_custom_field(ctx, "Uji Kait", {"label": "Warna", "search_index": 1})
        cz.add_custom_field(ctx, "Uji Kait", {"label": "Kosong"})
        cz.add_custom_field(ctx, "Uji Kait", {"label": "Centang", "fieldtype": "Check"})
        cz.set_property(ctx, "Uji Kait", "label", "Warna Baju", fieldname="custom_warna")
        doc = ctx.new_doc("Uji Kait", judul="a", custom_warna="merah").insert()
    with fresh_site.begin() as ctx:
        assert cz.remove_custom_field(ctx, "Uji Kait", "custom_warna") is True
        assert cz.remove_custom_field(ctx, "Uji Kait", "custom_kosong") is False
        assert cz.remove_custom_field(ctx, "Uji Kait", "custom_centang") is False  # only 0s
    cols = columns(fresh_site, "tabUji Kait")
    assert "custom_warna" in cols
    assert "custom_kosong" not in cols and "custom_centang" not in cols
    assert "ix_uji_kait_custom_warna" not in indexes(fresh_site, "tabUji Kait")
    # other indexes survive the column drop (SQLite rebuilds the table for it)
    assert "ix_uji_kait_validasi" in indexes(fresh_site, "tabUji Kait")
    assert raw_value(fresh_site, "tabUji Kait", "custom_warna", doc.name) == "merah"
    with fresh_site.begin() as ctx:
        assert not ctx.get_meta("Uji Kait").has_field("custom_warna")
        assert not ctx.exists("Property Setter", "Uji Kait-custom_warna-label")
        ctx.new_doc("Uji Kait", judul="b").insert()  # writes without the old column
    # adding it again picks the kept column and its data back up
    with fresh_site.begin() as ctx:
        cz.add_custom_field(ctx, "Uji Kait", {"label": "Warna"})
    with fresh_site.begin() as ctx:
        assert ctx.get_doc("Uji Kait", doc.name).custom_warna == "merah"


@both_backends
def test_a_field_the_doctype_depends_on_cannot_be_deleted(fresh_site):
    with fresh_site.begin() as ctx:
        cz.add_custom_field(ctx, "Uji Kait", {"label": "Judul Tampil"})
        cz.set_property(ctx, "Uji Kait", "title_field", "custom_judul_tampil")
    with fresh_site.begin() as ctx, pytest.raises(ValidationError, match="title_field"):
        cz.remove_custom_field(ctx, "Uji Kait", "custom_judul_tampil")
    with fresh_site.begin() as ctx:
        assert ctx.get_meta("Uji Kait").has_field("custom_judul_tampil")


@both_backends
def test_migrate_after_customisations_is_idempotent(fresh_site):
    with fresh_site.begin() as ctx:
        cz.add_custom_field(ctx, "Uji Kait", {"label": "Nomor", "unique": 1})
        cz.add_custom_field(ctx, "Uji Baris", {"label": "Harga", "fieldtype": "Currency"})
        cz.set_property(ctx, "Uji Kait", "length", 60, fieldname="judul")
        cz.set_property(ctx, "Uji Validasi", "search_index", 1, fieldname="email")
        cz.create_doctype(
            ctx, {"name": "Catatan Kustom", "fields": [{"fieldname": "isi", "fieldtype": "Text"}]}
        )
    first = migrate(fresh_site)
    second = migrate(fresh_site)
    assert first.changed == [], first.changed
    assert second.changed == []
    assert "Catatan Kustom" in second.tables


@both_backends
def test_failed_ddl_leaves_no_customisation_behind(fresh_site, monkeypatch):
    """The DDL itself fails after validation passed (as a racing write or a server limit
    would make it): SQLite rolls everything back; MariaDB has already committed the row
    implicitly, so the controller writes the previous rows back (core/meta/change.py)."""
    real_sync = change.sync_table

    def failing_sync(conn, meta):
        real_sync(conn, meta)
        raise SchemaError("simulated DDL failure")

    with fresh_site.begin() as ctx:
        version = read_meta_version(ctx.conn)
    monkeypatch.setattr(change, "sync_table", failing_sync)
    with pytest.raises(SchemaError, match="simulated"), fresh_site.begin() as ctx:
        cz.add_custom_field(ctx, "Uji Kait", {"label": "Gagal"})
    monkeypatch.setattr(change, "sync_table", real_sync)
    with fresh_site.begin() as ctx:
        assert not ctx.exists("Custom Field", "Uji Kait-custom_gagal")
        assert not ctx.get_meta("Uji Kait").has_field("custom_gagal")
        assert read_meta_version(ctx.conn) >= version
        ctx.new_doc("Uji Kait", judul="tetap bisa").insert()
    if fresh_site.is_mariadb:
        # the column the failed sync added stays, empty, reported as an orphan
        assert "custom_gagal" in columns(fresh_site, "tabUji Kait")
    else:
        assert "custom_gagal" not in columns(fresh_site, "tabUji Kait")
