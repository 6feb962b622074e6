"""Insert, save, submit, cancel, amend, delete; hooks; locking; versions; rollback."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from layanan_sosial.core.exceptions import (
    DocstatusTransitionError,
    DoesNotExistError,
    DuplicateEntryError,
    LinkExistsError,
    TimestampMismatchError,
    TransactionFailedError,
    UpdateAfterSubmitError,
    ValidationError,
)


def test_insert_sets_standard_columns(ctx):
    doc = ctx.new_doc("Uji Hash", judul="a").insert()
    assert doc.owner == "Administrator"
    assert doc.modified_by == "Administrator"
    assert isinstance(doc.creation, dt.datetime)
    assert doc.docstatus == 0
    assert len(doc.name) == 10


def test_hooks_run_in_frappe_order_on_insert_submit_cancel(ctx):
    doc = ctx.new_doc("Uji Hook", judul="x", baris=[{"item": "a"}, {"item": "b"}]).insert()
    assert doc.flags.calls == [
        "before_insert",
        "before_validate",
        "validate",
        "before_save",
        "after_insert",
        "on_update",
        "on_change",
    ]
    assert ctx.get_doc("Uji Hook", doc.name).dihitung == 2
    doc.flags.calls = []
    doc.submit()
    assert doc.flags.calls == [
        "before_validate",
        "validate",
        "before_submit",
        "on_update",
        "on_submit",
        "on_change",
    ]
    doc.flags.calls = []
    doc.cancel()
    assert doc.flags.calls == ["before_cancel", "on_cancel", "on_change"]


def test_error_in_a_hook_inside_a_savepoint_undoes_only_that_save(ctx):
    doc = ctx.new_doc("Uji Hook", judul="awal").insert()
    doc.judul = "baru"
    doc.gagal_di = "on_update"
    with pytest.raises(ValidationError):
        with ctx.savepoint():
            doc.save()
    assert ctx.get_doc("Uji Hook", doc.name).judul == "awal"
    ctx.new_doc("Uji Hook", judul="lanjut").insert()  # the transaction carries on


def test_a_swallowed_failed_write_can_never_be_committed(site):
    with site.begin() as ctx:
        name = ctx.new_doc("Uji Hook", judul="awal").insert().name
    with pytest.raises(TransactionFailedError):
        with site.begin() as ctx:
            doc = ctx.get_doc("Uji Hook", name)
            doc.judul = "baru"
            doc.gagal_di = "on_update"  # fails after the row was already updated
            try:
                doc.save()
            except ValidationError:
                pass  # a careless caller carries on...
            ctx.new_doc("Uji Hook", judul="lain").insert()
    with site.begin() as ctx:  # ...but nothing of that transaction was stored
        assert ctx.get_doc("Uji Hook", name).judul == "awal"
        assert not ctx.conn.exec_driver_sql(
            "SELECT name FROM `tabUji Hook` WHERE judul = 'lain'"
        ).first()


def test_stale_save_is_refused_and_nothing_is_overwritten(ctx):
    first = ctx.new_doc("Uji Hash", judul="asli").insert()
    mine = ctx.get_doc("Uji Hash", first.name)
    theirs = ctx.get_doc("Uji Hash", first.name)
    theirs.judul = "versi mereka"
    theirs.save()
    mine.judul = "versi saya"
    with pytest.raises(TimestampMismatchError):
        mine.save()
    assert ctx.get_doc("Uji Hash", first.name).judul == "versi mereka"


def test_docstatus_transitions(ctx):
    doc = ctx.new_doc("Uji Pengajuan", judul="t").insert()
    doc.docstatus = 2
    with pytest.raises(DocstatusTransitionError):
        doc.save()
    doc = ctx.get_doc("Uji Pengajuan", doc.name)
    doc.submit()
    doc.docstatus = 0
    with pytest.raises(DocstatusTransitionError):
        doc.save()
    doc = ctx.get_doc("Uji Pengajuan", doc.name)
    doc.cancel()
    doc.judul = "ubah"
    with pytest.raises(ValidationError):
        doc.save()


def test_non_submittable_cannot_be_submitted(ctx):
    doc = ctx.new_doc("Uji Hash", judul="a").insert()
    with pytest.raises(DocstatusTransitionError):
        doc.submit()


def test_update_after_submit_only_allowed_fields(ctx):
    doc = ctx.new_doc("Uji Pengajuan", judul="t", baris=[{"item": "a"}]).insert()
    doc.submit()
    doc.catatan = "boleh"
    doc.baris[0].catatan = "boleh juga"
    doc.save()
    fresh = ctx.get_doc("Uji Pengajuan", doc.name)
    assert fresh.catatan == "boleh"
    assert fresh.baris[0].catatan == "boleh juga"
    fresh.judul = "tidak boleh"
    with pytest.raises(UpdateAfterSubmitError):
        fresh.save()
    fresh = ctx.get_doc("Uji Pengajuan", doc.name)
    fresh.baris[0].item = "tidak boleh"
    with pytest.raises(UpdateAfterSubmitError):
        fresh.save()


def test_amend_names_and_copies(ctx):
    doc = ctx.new_doc("Uji Pengajuan", judul="t", nilai=5, baris=[{"item": "a"}]).insert()
    original = doc.name
    doc.submit()
    doc.cancel()
    first = doc.amend().insert()
    assert first.name == f"{original}-1"
    assert first.amended_from == original
    assert first.nilai == 5
    assert first.baris[0].item == "a"
    assert first.docstatus == 0
    first.submit()
    first.cancel()
    second = first.amend().insert()
    assert second.name == f"{original}-2"


def test_amend_requires_a_cancelled_source(ctx):
    doc = ctx.new_doc("Uji Pengajuan", judul="t").insert()
    with pytest.raises(ValidationError):
        doc.amend()
    bad = ctx.new_doc("Uji Pengajuan", judul="t", amended_from=doc.name)
    with pytest.raises(ValidationError):
        bad.insert()


def test_child_rows_are_replaced_on_save(ctx):
    doc = ctx.new_doc("Uji Validasi", kode="C1", nama="a", baris=[{"item": "a"}, {"item": "b"}])
    doc.insert()
    doc.set("baris", [{"item": "c"}])
    doc.save()
    fresh = ctx.get_doc("Uji Validasi", "C1")
    assert [r.item for r in fresh.baris] == ["c"]
    assert fresh.baris[0].idx == 1
    assert fresh.baris[0].parent == "C1"


def test_duplicate_name_is_a_409_error(ctx):
    ctx.new_doc("Uji Prompt", name="SATU").insert()
    with pytest.raises(DuplicateEntryError) as err:
        ctx.new_doc("Uji Prompt", name="SATU").insert()
    assert err.value.http_status == 409


def test_delete_refuses_linked_and_submitted(ctx):
    target = ctx.new_doc("Uji Validasi", kode="D1", nama="x").insert()
    ctx.new_doc("Uji Kait", validasi="D1").insert()
    with pytest.raises(LinkExistsError):
        target.delete()
    sub = ctx.new_doc("Uji Pengajuan", judul="t").insert()
    sub.submit()
    with pytest.raises(ValidationError):
        sub.delete()
    free = ctx.new_doc("Uji Validasi", kode="D2", nama="y").insert()
    free.delete()
    with pytest.raises(DoesNotExistError):
        ctx.get_doc("Uji Validasi", "D2")


def test_delete_removes_child_rows(ctx):
    doc = ctx.new_doc("Uji Validasi", kode="D3", nama="y", baris=[{"item": "a"}]).insert()
    doc.delete()
    left = ctx.conn.exec_driver_sql(
        "SELECT COUNT(*) FROM `tabUji Baris` WHERE parent = 'D3'"
    ).scalar()
    assert left == 0


def test_versions_record_field_and_row_changes(ctx):
    doc = ctx.new_doc("Uji Pengajuan", judul="awal", baris=[{"item": "a"}, {"item": "b"}]).insert()
    doc.judul = "ubah"
    doc.baris[0].item = "a2"
    doc.baris.pop()
    doc.append("baris", {"item": "c"})
    doc.save()
    rows = ctx.get_all(
        "Version", filters={"ref_doctype": "Uji Pengajuan", "docname": doc.name}, fields=["data"]
    )
    assert len(rows) == 1
    data = json.loads(rows[0]["data"])
    assert ["judul", "awal", "ubah"] in data["changed"]
    assert data["row_changed"][0][0] == "baris"
    assert data["row_changed"][0][3] == [["item", "a", "a2"]]
    assert [r[1]["item"] for r in data["added"]] == ["c"]
    assert [r[1]["item"] for r in data["removed"]] == ["b"]


def test_single_doctype_stores_values(ctx):
    single = ctx.get_doc("Uji Tunggal")
    assert single.bobot == 0.8
    single.bobot = 0.75
    single.aktif = 1
    single.save()
    fresh = ctx.get_doc("Uji Tunggal")
    assert fresh.bobot == 0.75
    assert fresh.aktif == 1


def test_tree_keeps_nested_sets(ctx):
    ctx.new_doc("Uji Pohon", kode="53").insert()
    ctx.new_doc("Uji Pohon", kode="53.71", induk="53").insert()
    ctx.new_doc("Uji Pohon", kode="53.71.01", induk="53.71").insert()
    ctx.new_doc("Uji Pohon", kode="53.01", induk="53").insert()
    root = ctx.get_doc("Uji Pohon", "53")
    kota = ctx.get_doc("Uji Pohon", "53.71")
    kec = ctx.get_doc("Uji Pohon", "53.71.01")
    assert root.lft < kota.lft < kec.lft < kec.rgt < kota.rgt < root.rgt
    assert root.rgt - root.lft == 7
    with pytest.raises(ValidationError):
        kota.delete()
    kec.delete()
    assert ctx.get_doc("Uji Pohon", "53").rgt - ctx.get_doc("Uji Pohon", "53").lft == 5
    moved = ctx.get_doc("Uji Pohon", "53.01")
    moved.induk = "53.71"
    moved.save()
    kota = ctx.get_doc("Uji Pohon", "53.71")
    moved = ctx.get_doc("Uji Pohon", "53.01")
    assert kota.lft < moved.lft < moved.rgt < kota.rgt


def test_tree_refuses_a_cycle(ctx):
    ctx.new_doc("Uji Pohon", kode="A").insert()
    ctx.new_doc("Uji Pohon", kode="B", induk="A").insert()
    a = ctx.get_doc("Uji Pohon", "A")
    a.induk = "B"
    with pytest.raises(ValidationError):
        a.save()


def test_whole_context_rolls_back_on_error(site):
    name = "ROLLBACK-1"
    with pytest.raises(RuntimeError):
        with site.begin() as ctx:
            ctx.new_doc("Uji Prompt", name=name).insert()
            raise RuntimeError("boom")
    with site.begin() as ctx:
        assert not ctx.exists("Uji Prompt", name)


def test_delete_runs_on_trash_and_a_failing_hook_keeps_the_record(ctx):
    doc = ctx.new_doc("Uji Hook", judul="hapus").insert()
    doc.flags.calls = []
    doc.delete()
    assert doc.flags.calls == ["on_trash", "after_delete"]
    kept = ctx.new_doc("Uji Hook", judul="tetap").insert()
    kept.gagal_di = "on_trash"
    with pytest.raises(ValidationError):
        with ctx.savepoint():
            kept.delete()
    assert ctx.exists("Uji Hook", kept.name)
