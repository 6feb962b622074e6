"""Permissions inside the engine: roles, permlevels, if_owner, User Permissions, shares."""

from __future__ import annotations

import pytest

from layanan_sosial.core.db.tables import table_for
from layanan_sosial.core.exceptions import LinkValidationError, PermissionError_
from layanan_sosial.core.permissions import strip_unreadable

ROLES = ("Uji Petugas", "Uji Supervisor", "Uji Pemantau", "Uji Pemilik")


@pytest.fixture
def world(site):
    """Users per role, a small region tree and residents, committed; removed afterwards."""
    with site.begin() as ctx:
        for role in ROLES:
            if not ctx.exists("Role", role):
                ctx.new_doc("Role", role_name=role).insert()
        users = {}
        for role in ROLES + ("Tanpa Peran",):
            email = role.lower().replace(" ", ".") + "@uji.id"
            if not ctx.exists("User", email):
                roles = [{"role": role}] if role in ROLES else []
                ctx.new_doc("User", email=email, first_name=role, roles=roles).insert()
            users[role] = email
        for kode, induk in (("53", None), ("53.71", "53"), ("53.71.01", "53.71"), ("53.10", "53")):
            if not ctx.exists("Uji Wilayah", kode):
                ctx.new_doc("Uji Wilayah", kode=kode, nama=kode, induk=induk).insert()
        docs = {}
        for key, wilayah in (("kota", "53.71.01"), ("kab", "53.10"), ("kosong", None)):
            docs[key] = (
                ctx.new_doc(
                    "Uji Warga",
                    nama=f"Warga {key}",
                    nik="5371000000000001",
                    wilayah=wilayah,
                    catatan_rahasia="rahasia",
                )
                .insert()
                .name
            )
    yield {"users": users, "docs": docs}
    with site.begin() as ctx:
        for name in docs.values():
            if ctx.exists("Uji Warga", name):
                ctx.get_doc("Uji Warga", name).delete(force=True)
        for doctype in ("User Permission", "DocShare"):
            table = table_for(ctx.get_meta(doctype))
            ctx.conn.execute(table.delete().where(table.c.user.like("%@uji.id")))
        ctx.permissions_changed()  # raw deletes bypass the listeners that would bump it


def as_user(site, user):
    return site.begin(user=user)


def test_no_role_means_no_access(site, world):
    with as_user(site, world["users"]["Tanpa Peran"]) as ctx:
        with pytest.raises(PermissionError_):
            ctx.get_doc("Uji Warga", world["docs"]["kota"])
        with pytest.raises(PermissionError_):
            ctx.new_doc("Uji Warga", nama="x").insert()
        assert not ctx.has_permission("Uji Warga", "read")


def test_role_rights_decide_each_action(site, world):
    with as_user(site, world["users"]["Uji Pemantau"]) as ctx:
        doc = ctx.get_doc("Uji Warga", world["docs"]["kota"])
        doc.nama = "ubah"
        with pytest.raises(PermissionError_):
            doc.save()
        with pytest.raises(PermissionError_):
            ctx.get_doc("Uji Warga", world["docs"]["kota"]).delete()
    with as_user(site, world["users"]["Uji Petugas"]) as ctx:
        doc = ctx.new_doc("Uji Warga", nama="baru")
        doc.insert()
        doc.submit()
        with pytest.raises(PermissionError_):
            doc.cancel()  # only Supervisor may cancel
        ctx.rollback()


def test_permlevel_fields_are_hidden_and_unwritable(site, world):
    name = world["docs"]["kota"]
    with as_user(site, world["users"]["Uji Petugas"]) as ctx:
        doc = ctx.get_doc("Uji Warga", name)
        visible = strip_unreadable(ctx, doc.meta, doc.as_dict())
        assert "nik" not in visible and "catatan_rahasia" not in visible
        assert "baris_rahasia" not in visible
        assert visible["nama"] == "Warga kota"
        doc.nik = "9999999999999999"  # ignored: level 1 is not writable for Petugas
        doc.nama = "Warga kota baru"
        doc.save()
    with as_user(site, world["users"]["Uji Supervisor"]) as ctx:
        doc = ctx.get_doc("Uji Warga", name)
        assert doc.nik == "5371000000000001"
        assert doc.nama == "Warga kota baru"
        assert "nik" in strip_unreadable(ctx, doc.meta, doc.as_dict())
        doc.nik = "5371000000000002"
        doc.catatan_rahasia = "diubah"  # level 2 readable but not writable for Supervisor
        doc.save()
    with site.begin() as ctx:
        doc = ctx.get_doc("Uji Warga", name)
        assert doc.nik == "5371000000000002"
        assert doc.catatan_rahasia == "rahasia"


def test_new_document_gets_defaults_for_unwritable_fields(site, world):
    with as_user(site, world["users"]["Uji Petugas"]) as ctx:
        doc = ctx.new_doc("Uji Warga", nama="n", nik="123", catatan_rahasia="x").insert()
        assert doc.nik is None and doc.catatan_rahasia is None
        ctx.rollback()


def test_if_owner_limits_to_own_documents(site, world):
    user = world["users"]["Uji Pemilik"]
    with as_user(site, user) as ctx:
        own = ctx.new_doc("Uji Warga", nama="milik sendiri").insert()
        assert ctx.get_doc("Uji Warga", own.name).nama == "milik sendiri"
        with pytest.raises(PermissionError_):
            ctx.get_doc("Uji Warga", world["docs"]["kota"])
        ctx.rollback()


def _restrict(site, user, value, **extra):
    with site.begin() as ctx:
        ctx.new_doc(
            "User Permission", user=user, allow="Uji Wilayah", for_value=value, **extra
        ).insert()


def test_user_permission_limits_records_by_region_subtree(site, world):
    user = world["users"]["Uji Petugas"]
    _restrict(site, user, "53.71")
    with as_user(site, user) as ctx:
        assert ctx.get_doc("Uji Warga", world["docs"]["kota"]).wilayah == "53.71.01"
        assert ctx.get_doc("Uji Warga", world["docs"]["kosong"]).wilayah is None
        with pytest.raises(PermissionError_):
            ctx.get_doc("Uji Warga", world["docs"]["kab"])
        with pytest.raises(LinkValidationError):  # the value does not exist for this user
            ctx.new_doc("Uji Warga", nama="x", wilayah="53.10").insert()
        doc = ctx.get_doc("Uji Warga", world["docs"]["kota"])
        doc.wilayah = "53.10"
        with pytest.raises(LinkValidationError):
            doc.save()
        ctx.rollback()
        ctx.new_doc("Uji Warga", nama="boleh", wilayah="53.71.01").insert()
        ctx.rollback()


def test_hide_descendants_and_applicable_for(site, world):
    user = world["users"]["Uji Pemantau"]
    _restrict(site, user, "53.71", hide_descendants=1)
    with as_user(site, user) as ctx:
        with pytest.raises(PermissionError_):
            ctx.get_doc("Uji Warga", world["docs"]["kota"])  # 53.71.01 is a descendant
    with site.begin() as ctx:
        table = table_for(ctx.get_meta("User Permission"))
        ctx.conn.execute(table.delete().where(table.c.user == user))
        ctx.permissions_changed()
    _restrict(site, user, "53.10", apply_to_all_doctypes=0, applicable_for="Uji Kait")
    with as_user(site, user) as ctx:  # the rule is only for Uji Kait: Uji Warga unaffected
        assert ctx.get_doc("Uji Warga", world["docs"]["kota"]).nama == "Warga kota"


def test_share_gives_read_of_one_document(site, world):
    user = world["users"]["Tanpa Peran"]
    with site.begin() as ctx:
        ctx.new_doc(
            "DocShare",
            user=user,
            share_doctype="Uji Warga",
            share_name=world["docs"]["kab"],
            read=1,
        ).insert()
    with as_user(site, user) as ctx:
        assert ctx.get_doc("Uji Warga", world["docs"]["kab"]).nama == "Warga kab"
        with pytest.raises(PermissionError_):
            ctx.get_doc("Uji Warga", world["docs"]["kota"])
        doc = ctx.get_doc("Uji Warga", world["docs"]["kab"])
        doc.nama = "tidak boleh"
        with pytest.raises(PermissionError_):
            doc.save()


def test_ignore_permissions_scope_for_engine_work(site, world):
    with as_user(site, world["users"]["Tanpa Peran"]) as ctx:
        with ctx.ignore_permissions():
            assert ctx.get_doc("Uji Warga", world["docs"]["kota"]).nama
        with pytest.raises(PermissionError_):
            ctx.get_doc("Uji Warga", world["docs"]["kota"])


def test_custom_docperm_replaces_the_doctype_rows_at_run_time(site, world):
    user = world["users"]["Uji Pemantau"]
    with as_user(site, user) as ctx:
        doc = ctx.get_doc("Uji Warga", world["docs"]["kota"])
        doc.nama = "x"
        with pytest.raises(PermissionError_):
            doc.save()
    with site.begin() as ctx:
        perm = ctx.new_doc(
            "Custom DocPerm", parent="Uji Warga", role="Uji Pemantau", read=1, write=1
        ).insert()
    try:
        with as_user(site, user) as ctx:
            doc = ctx.get_doc("Uji Warga", world["docs"]["kota"])
            doc.nama = "diubah pemantau"
            doc.save()
        with as_user(site, world["users"]["Uji Petugas"]) as ctx:
            # Custom rows replace ALL of the JSON rows: Petugas lost access
            with pytest.raises(PermissionError_):
                ctx.get_doc("Uji Warga", world["docs"]["kota"])
    finally:
        with site.begin() as ctx:
            ctx.delete_doc("Custom DocPerm", perm.name)
    with as_user(site, world["users"]["Uji Petugas"]) as ctx:
        assert ctx.get_doc("Uji Warga", world["docs"]["kota"]).nama == "diubah pemantau"


def test_lists_and_counts_apply_every_rule(site, world):
    docs = world["docs"]
    petugas = world["users"]["Uji Petugas"]
    _restrict(site, petugas, "53.71")
    with as_user(site, petugas) as ctx:
        names = set(ctx.get_all("Uji Warga", pluck="name"))
        assert names == {docs["kota"], docs["kosong"]}  # subtree of 53.71, plus empty region
        assert ctx.get_count("Uji Warga") == 2
        rows = ctx.get_all("Uji Warga", fields=["name", "nik", "nama"])
        assert all("nik" not in r for r in rows)  # unreadable columns are dropped
        with pytest.raises(PermissionError_):  # and cannot be probed through filters
            ctx.get_all("Uji Warga", filters={"nik": "5371000000000001"})
        star = ctx.get_all("Uji Warga", fields=["*"], limit_page_length=1)
        assert "catatan_rahasia" not in star[0] and "nama" in star[0]
    with as_user(site, world["users"]["Uji Pemilik"]) as ctx:
        assert ctx.get_all("Uji Warga") == []
    with as_user(site, world["users"]["Tanpa Peran"]) as ctx:
        assert ctx.get_count("Uji Warga") == 0
    with site.begin() as ctx:
        ctx.new_doc(
            "DocShare",
            user=world["users"]["Tanpa Peran"],
            share_doctype="Uji Warga",
            share_name=docs["kab"],
            read=1,
        ).insert()
    with as_user(site, world["users"]["Tanpa Peran"]) as ctx:
        assert ctx.get_all("Uji Warga", pluck="name") == [docs["kab"]]


def test_linked_fields_of_unreadable_records_come_back_empty(site, world):
    user = world["users"]["Uji Petugas"]
    _restrict(site, user, "53.71")
    with as_user(site, user) as ctx:
        rows = ctx.get_all(
            "Uji Warga", fields=["name", "wilayah.nama"], filters={"name": world["docs"]["kota"]}
        )
        assert rows[0]["wilayah.nama"] == "53.71.01"
