"""The desk in a real browser: log in, filter and export a list, create a record with a
Link autocomplete and a child-table row, see a field-level error next to its field, run a
workflow action, and resolve a "changed since you opened it" conflict."""

from __future__ import annotations

import csv
import io
import re
import secrets

import pytest
from desk_helpers import PASSWORD, make_user

expect = pytest.importorskip("playwright.sync_api").expect


def _login(page, email, password=PASSWORD, next_url="/app"):
    page.goto(f"/login?next={next_url}")
    page.get_by_label(re.compile("Email atau nama pengguna")).fill(email)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk").click()


def _user(site, roles):
    return make_user(site, f"br-{secrets.token_hex(4)}@uji.id", roles)


def test_login_wrong_password_then_right(page, live_site, shot):
    email = _user(live_site, ["Front Office"])
    _login(page, email, "salah-kata-sandi")
    expect(page.locator("#login-error")).to_contain_text("kata sandi salah")
    shot(page, "01-login-salah")
    _login(page, email)
    expect(page).to_have_url(re.compile(r"/app$"))
    expect(page.get_by_test_id("current-user")).to_have_text(email)
    expect(page.get_by_role("link", name="Penerima Manfaat", exact=True)).to_be_visible()
    shot(page, "02-beranda")


def test_list_filter_and_export_csv(page, live_site, shot):
    prefix = f"Saring{secrets.token_hex(3)}"
    with live_site.begin() as ctx:
        for i in range(3):
            ctx.new_doc("Penerima Manfaat", nama_lengkap=f"{prefix} {i}").insert()
        ctx.new_doc("Penerima Manfaat", nama_lengkap=f"Lain {prefix}").insert()
    _login(page, _user(live_site, ["Admin Dinsos"]), next_url="/app/penerima-manfaat")
    expect(page.get_by_role("heading", name="Penerima Manfaat")).to_be_visible()
    page.locator("#ff-0").select_option("nama_lengkap")
    page.locator("#fo-0").select_option("like")
    page.locator("#fv-0").fill(f"{prefix} ")
    page.locator("#fv-0").press("Enter")
    expect(page.get_by_test_id("list-count")).to_have_text("3 data")
    expect(page).to_have_url(re.compile(r"ff=nama_lengkap"))  # the filter is in the address
    shot(page, "03-daftar-tersaring")
    with page.expect_download() as info:
        page.get_by_test_id("export-csv").click()
    text = open(info.value.path(), encoding="utf-8-sig").read()
    rows = list(csv.reader(io.StringIO(text)))
    names = sorted(r[rows[0].index("Nama Lengkap")] for r in rows[1:])
    assert names == [f"{prefix} 0", f"{prefix} 1", f"{prefix} 2"]


def test_create_with_link_autocomplete_and_child_row(page, live_site, shot):
    _login(page, _user(live_site, ["System Manager"]), next_url="/app/uji-semua-tipe/new")
    title = f"Rekam {secrets.token_hex(3)}"
    page.get_by_label("Data", exact=True).fill(title)
    link = page.get_by_label("Link Role")
    link.fill("Front Off")
    option = page.get_by_role("option", name=re.compile("Front Office"))
    expect(option).to_be_visible()
    option.click()
    expect(link).to_have_value("Front Office")
    page.get_by_role("tab", name="Tab1").click()
    grid = page.get_by_test_id("grid-baris")
    grid.get_by_role("button", name="Tambah baris").click()
    grid.locator("[data-col-input=item]").last.fill("Beras 10 kg")
    grid.locator("[data-col-input=jumlah]").last.fill("4")
    shot(page, "04-formulir-baru")
    page.get_by_test_id("save").click()
    expect(page).to_have_url(re.compile(r"/app/uji-semua-tipe/[^/?]+\?saved=1"))
    name = page.url.split("/")[-1].split("?")[0]
    with live_site.begin() as ctx:
        doc = ctx.get_doc("Uji Semua Tipe", name)
        assert doc.data == title and doc.link_role == "Front Office"
        assert [(r.item, r.jumlah) for r in doc.baris] == [("Beras 10 kg", 4)]
    page.get_by_role("tab", name="Tab1").click()
    expect(page.get_by_test_id("grid-baris").locator("[data-col-input=item]")).to_have_value(
        "Beras 10 kg"
    )


def _nik(serial: int) -> str:
    return f"53710105079{serial:05d}"


def test_duplicate_nik_error_next_to_the_field(page, live_site, shot):
    nik = _nik(secrets.randbelow(9999) + 1)
    with live_site.begin() as ctx:
        ctx.new_doc(
            "Penerima Manfaat",
            nama_lengkap="Pemilik NIK",
            nik=nik,
            jenis_kelamin="Laki-laki",
            tanggal_lahir="1990-07-05",
        ).insert()
    _login(page, _user(live_site, ["Front Office"]), next_url="/app/penerima-manfaat/new")
    page.get_by_label(re.compile("^Nama Lengkap")).fill("Pendaftar Kedua")
    page.get_by_label("NIK", exact=True).fill(nik)
    page.get_by_label("Jenis Kelamin").select_option("Laki-laki")
    page.get_by_label("Tanggal Lahir").fill("1990-07-05")
    page.get_by_test_id("save").click()
    error = page.get_by_test_id("error-nik")
    expect(error).to_be_visible()
    expect(error).to_contain_text(re.compile("NIK", re.I))
    expect(page).to_have_url(re.compile(r"/new$"))  # nothing saved, the form kept its values
    expect(page.get_by_label(re.compile("^Nama Lengkap"))).to_have_value("Pendaftar Kedua")
    shot(page, "05-nik-ganda")


def _desk_workflow(site) -> str:
    """A small active Workflow on the test DocType Uji Alur (states and actions created when
    missing: a site may already ship states such as "Baru"); returns a user who may verify."""
    email = "petugas.desk@uji.id"
    with site.begin() as ctx:
        if ctx.exists("User", email):
            return email
        for role in ("Uji Petugas", "Uji Supervisor"):
            if not ctx.exists("Role", role):
                ctx.new_doc("Role", role_name=role).insert()
        for state in ("Baru", "Diverifikasi", "Disetujui"):
            if not ctx.exists("Workflow State", state):
                ctx.new_doc("Workflow State", workflow_state_name=state).insert()
        for action in ("Verifikasi", "Setujui"):
            if not ctx.exists("Workflow Action Master", action):
                ctx.new_doc("Workflow Action Master", workflow_action_name=action).insert()
        ctx.new_doc(
            "Workflow",
            workflow_name="Alur Desk",
            document_type="Uji Alur",
            is_active=1,
            states=[
                {"state": "Baru", "doc_status": "0", "allow_edit": "Uji Petugas"},
                {"state": "Diverifikasi", "doc_status": "0", "allow_edit": "Uji Supervisor"},
                {"state": "Disetujui", "doc_status": "1", "allow_edit": "Uji Supervisor"},
            ],
            transitions=[
                {
                    "state": "Baru",
                    "action": "Verifikasi",
                    "next_state": "Diverifikasi",
                    "allowed": "Uji Petugas",
                },
                {
                    "state": "Diverifikasi",
                    "action": "Setujui",
                    "next_state": "Disetujui",
                    "allowed": "Uji Supervisor",
                },
            ],
        ).insert()
    make_user(site, email, ["Uji Petugas"])
    return email


def test_workflow_action_button(page, live_site, shot):
    email = _desk_workflow(live_site)
    with live_site.begin(user=email) as ctx:
        name = ctx.new_doc("Uji Alur", judul="Pengajuan bantuan", nilai=12).insert().name
    _login(page, email, next_url=f"/app/uji-alur/{name}")
    expect(page.get_by_test_id("form-state")).to_have_text("Baru")
    expect(page.get_by_test_id("wf-Setujui")).to_have_count(0)  # not from this state
    page.get_by_test_id("wf-Verifikasi").click()
    expect(page.get_by_test_id("form-state")).to_have_text("Diverifikasi")
    shot(page, "06-alur-kerja")
    with live_site.begin() as ctx:
        assert ctx.get_value("Uji Alur", name, "workflow_state") == "Diverifikasi"


def test_conflict_offers_overwrite_without_losing_changes(page, live_site, shot):
    with live_site.begin() as ctx:
        name = ctx.new_doc("Uji Pengajuan", judul="Versi awal").insert().name
    _login(page, _user(live_site, ["System Manager"]), next_url=f"/app/uji-pengajuan/{name}")
    page.get_by_label("Judul").fill("Perubahan saya")
    with live_site.begin() as ctx:  # someone else saves meanwhile
        ctx.set_value("Uji Pengajuan", name, {"catatan": "diubah orang lain"})
    page.get_by_test_id("save").click()
    conflict = page.get_by_test_id("conflict")
    expect(conflict).to_be_visible()
    expect(page.get_by_label("Judul")).to_have_value("Perubahan saya")
    shot(page, "07-konflik")
    conflict.get_by_role("button", name="Timpa dengan perubahan saya").click()
    expect(page).to_have_url(re.compile(r"\?saved=1"))
    with live_site.begin() as ctx:
        doc = ctx.get_doc("Uji Pengajuan", name)
        assert doc.judul == "Perubahan saya"


def test_mandatory_depends_on_live_and_checked_on_save(page, live_site, shot):
    _login(page, _user(live_site, ["System Manager"]), next_url="/app/uji-validasi/new")
    field = page.locator('[data-fieldname="nama_lembaga"]')
    expect(field).not_to_have_class(re.compile("is-reqd"))
    page.locator("#f-kode").fill(f"K{secrets.token_hex(3)}")
    page.locator("#f-nama").fill("Yayasan Lontar")
    page.get_by_label("Jenis").select_option("Lembaga")
    expect(field).to_have_class(re.compile("is-reqd"))  # evaluated in the browser
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("error-nama_lembaga")).to_be_visible()  # and on the server
    shot(page, "08-wajib-bersyarat")
    page.get_by_label("Jenis").select_option("Perorangan")
    expect(field).not_to_have_class(re.compile("is-reqd"))


def test_submit_cancel_and_amend(page, live_site, shot):
    with live_site.begin() as ctx:
        name = ctx.new_doc("Uji Pengajuan", judul="Untuk diajukan").insert().name
    _login(page, _user(live_site, ["System Manager"]), next_url=f"/app/uji-pengajuan/{name}")
    expect(page.get_by_test_id("form-state")).to_have_text("Draf")
    page.get_by_role("button", name="Ajukan").click()
    expect(page.get_by_test_id("form-state")).to_have_text("Diajukan")
    expect(page.get_by_label("Judul")).to_have_attribute("readonly", "")  # not allow_on_submit
    page.get_by_role("button", name="Batalkan").click()
    expect(page.get_by_test_id("form-state")).to_have_text("Dibatalkan")
    page.get_by_role("link", name="Ubah (amend)").click()
    expect(page.get_by_label(re.compile("^Judul"))).to_have_value("Untuk diajukan")
    page.get_by_test_id("save").click()
    expect(page).to_have_url(re.compile(r"\?saved=1"))
    amended = page.url.split("/")[-1].split("?")[0]
    assert amended != name
    with live_site.begin() as ctx:
        assert ctx.get_value("Uji Pengajuan", amended, "amended_from") == name
