"""The bulk path validates like single inserts and writes all rows or none."""

from __future__ import annotations

import datetime as dt

import pytest

from layanan_sosial.core.exceptions import (
    LinkValidationError,
    MandatoryError,
    UniqueValidationError,
)


def test_bulk_insert_names_validates_and_stores_children(ctx):
    ctx.now_override = dt.datetime(2026, 5, 1, 9, 0)
    rows = [
        {"judul": f"j{i}", "nilai": i, "baris": [{"item": f"x{i}", "jumlah": i}]}
        for i in range(1, 251)
    ]
    names = ctx.insert_many("Uji Pengajuan", rows, chunk_size=100)
    assert names[0] == "UJI-2026-00001"
    assert names[-1] == "UJI-2026-00250"
    doc = ctx.get_doc("Uji Pengajuan", "UJI-2026-00137")
    assert doc.judul == "j137"
    assert doc.baris[0].jumlah == 137
    # the counter continues after the bulk block, no gap and no reuse
    assert ctx.new_doc("Uji Pengajuan", judul="after").insert().name == "UJI-2026-00251"


def test_bulk_insert_is_all_or_nothing_and_names_the_row(ctx):
    rows = [{"kode": f"B{i}", "nama": "n"} for i in range(10)]
    rows[7] = {"kode": "B7"}  # missing nama
    with pytest.raises(MandatoryError) as err:
        ctx.insert_many("Uji Validasi", rows)
    assert "Baris 8" in err.value.message
    assert ctx.get_count("Uji Validasi", {"kode": ["like", "B%"]}) == 0


def test_bulk_insert_checks_links_and_fetches(ctx):
    rows = [{"kode": "L1", "nama": "n", "role": "System Manager"}, {"kode": "L2", "nama": "n"}]
    ctx.insert_many("Uji Validasi", rows)
    assert ctx.get_doc("Uji Validasi", "L1").role_desk == 1
    with pytest.raises(LinkValidationError):
        ctx.insert_many("Uji Validasi", [{"kode": "L3", "nama": "n", "role": "Nope"}])


def test_bulk_insert_unique_within_batch_and_against_table(ctx):
    ctx.new_doc("Uji Validasi", kode="U0", nama="n", nik="111").insert()
    with pytest.raises(UniqueValidationError):
        ctx.insert_many(
            "Uji Validasi",
            [{"kode": "U1", "nama": "n", "nik": "222"}, {"kode": "U2", "nama": "n", "nik": "222"}],
        )
    with pytest.raises(UniqueValidationError):
        ctx.insert_many("Uji Validasi", [{"kode": "U3", "nama": "n", "nik": "111"}])


def test_bulk_insert_runs_controller_hooks(ctx):
    names = ctx.insert_many("Uji Hook", [{"judul": "a", "baris": [{"item": "1"}, {"item": "2"}]}])
    assert ctx.get_doc("Uji Hook", names[0]).dihitung == 2


def test_bulk_insert_into_a_tree_rebuilds_nested_sets(ctx):
    ctx.insert_many(
        "Uji Pohon",
        [{"kode": "P"}, {"kode": "P.1", "induk": "P"}, {"kode": "P.2", "induk": "P"}],
    )
    root = ctx.get_doc("Uji Pohon", "P")
    child = ctx.get_doc("Uji Pohon", "P.2")
    assert root.lft < child.lft < child.rgt < root.rgt
