"""Desk quality in a real browser: laptop (1280×800) and tablet (800×1280) layouts without
sideways page scrolling, keyboard-only work, a label on every input, attachments in the
timeline, the "reload" and "copy my changes" conflict choices, Dynamic Link autocomplete,
Indonesian formats and the English UI for a user whose language is en."""

from __future__ import annotations

import datetime as dt
import json
import re
import secrets

import pytest
from desk_helpers import PASSWORD, make_user

from layanan_sosial.core import customize as cz
from layanan_sosial.core.meta.model import slug

expect = pytest.importorskip("playwright.sync_api").expect

DESA = "53.71.02.1001"
CONTROLS = "input:not([type=hidden]), select, textarea, [role=radiogroup]"


def _login(page, email, next_url="/app", label="Email atau nama pengguna"):
    page.goto(f"/login?next={next_url}")
    page.get_by_label(re.compile(label)).fill(email)
    page.locator("#login-pwd").fill(PASSWORD)
    page.locator("#login-pwd").press("Enter")
    expect(page.get_by_test_id("current-user")).to_have_text(email)


def _user(site, roles, language=None):
    return make_user(site, f"mutu-{secrets.token_hex(4)}@uji.id", roles, language=language)


def _no_sideways_scroll(page):
    width = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"the page scrolls sideways: {width[0]} > {width[1]}"


def _case_with_rows(site) -> str:
    with site.begin() as ctx:
        penerima = ctx.new_doc("Penerima Manfaat", nama_lengkap="Maria Ndun", wilayah=DESA).insert()
        kasus = ctx.new_doc("Kasus", penerima_manfaat=penerima.name, wilayah=DESA).insert()
        kasus.workflow_state = "Asesmen"
        kasus.db_set("workflow_state", "Asesmen")
        kasus = ctx.get_doc("Kasus", kasus.name)
        kasus.set(
            "asesmen",
            [
                {
                    "bidang": "Kesehatan",
                    "temuan": "Belum punya KIS, hamil 7 bulan, perlu pendampingan persalinan",
                    "tingkat_kebutuhan": "Mendesak",
                    "tanggal": "2026-07-05",
                },
                {
                    "bidang": "Ekonomi",
                    "temuan": "Suami buruh harian",
                    "tingkat_kebutuhan": "Sedang",
                },
            ],
        )
        kasus.save()
        return kasus.name


@pytest.mark.parametrize(
    ("device", "viewport"),
    [("laptop", {"width": 1280, "height": 800}), ("tablet", {"width": 800, "height": 1280})],
)
def test_form_and_list_fit_laptop_and_tablet(page, live_site, shot, device, viewport):
    kasus = _case_with_rows(live_site)
    page.set_viewport_size(viewport)
    _login(page, _user(live_site, ["Pekerja Sosial"]), next_url=f"/app/kasus/{kasus}")
    grid = page.get_by_test_id("grid-asesmen")
    expect(grid.locator("tbody tr")).to_have_count(2)
    _no_sideways_scroll(page)
    assert grid.evaluate("el => getComputedStyle(el).overflowX") == "auto"
    inside = grid.evaluate("el => [el.scrollWidth, el.clientWidth]")
    assert inside[1] <= viewport["width"]  # the grid fits the page; wider content scrolls in it
    box = page.get_by_test_id("save").bounding_box()
    assert box and box["x"] + box["width"] <= viewport["width"]  # the save button is reachable
    shot(page, f"mutu-{device}-formulir")
    page.goto("/app/penerima-manfaat")
    expect(page.get_by_test_id("list-table")).to_be_visible()
    _no_sideways_scroll(page)
    table = page.get_by_test_id("list-table")
    assert table.bounding_box()["x"] >= 0
    shot(page, f"mutu-{device}-daftar")


def _tab_to(page, predicate_js: str, limit: int = 120) -> None:
    """Press Tab until the focused element satisfies `predicate_js` (el => bool)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"() => ({predicate_js})(document.activeElement)"):
            return
    raise AssertionError(f"Tab never reached {predicate_js}")


def test_keyboard_only_login_list_open_edit_save(page, live_site):
    with live_site.begin() as ctx:
        name = (
            ctx.new_doc("Uji Pengajuan", judul=f"Papan ketik {secrets.token_hex(2)}").insert().name
        )
    email = _user(live_site, ["System Manager"])
    page.goto("/login?next=/app")
    expect(page.locator("#login-usr")).to_be_focused()  # autofocus
    page.keyboard.type(email)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("current-user")).to_have_text(email)
    _tab_to(page, "el => el.tagName === 'A' && el.textContent.trim() === 'Uji Pengajuan'")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/app/uji-pengajuan"))
    _tab_to(page, f"el => el.tagName === 'A' && el.textContent.trim() === '{name}'")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"/app/uji-pengajuan/{name}$"))
    _tab_to(page, "el => el.id === 'f-judul'")
    page.keyboard.press("Control+a")
    page.keyboard.type("Diubah dengan papan ketik")
    page.keyboard.press("Control+s")
    expect(page).to_have_url(re.compile(r"\?saved=1"))
    # and once more with Tab/Enter on the Save button (Shift+Tab back up the page)
    page.locator("#f-catatan").focus()
    page.keyboard.type("catatan")
    for _ in range(40):
        page.keyboard.press("Shift+Tab")
        if page.evaluate("() => document.activeElement.dataset.docAction === 'save'"):
            break
    with page.expect_navigation():  # the saved form loads again
        page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Tersimpan")
    with live_site.begin() as ctx:
        doc = ctx.get_doc("Uji Pengajuan", name)
        assert (doc.judul, doc.catatan) == ("Diubah dengan papan ketik", "catatan")


def test_every_input_of_a_complex_form_has_a_label(page, live_site):
    _login(page, _user(live_site, ["System Manager"]), next_url="/app/uji-semua-tipe/new")
    tabs = page.get_by_role("tab")
    assert tabs.count() >= 2
    unlabelled = []
    checked = 0
    for t in range(tabs.count()):
        tabs.nth(t).click()
        add = page.locator(".tab-panel:not([hidden]) [data-add-row]")
        if add.count():
            add.first.click()  # a grid row's inputs too
        controls = page.locator(f".tab-panel:not([hidden]) :is({CONTROLS})")
        for i in range(controls.count()):
            control = controls.nth(i)
            if not control.is_visible():
                continue
            checked += 1
            try:
                expect(control).to_have_accessible_name(re.compile(r"\S"), timeout=500)
            except AssertionError:
                unlabelled.append(control.evaluate("el => el.outerHTML.slice(0, 120)"))
    assert checked >= 30
    assert not unlabelled, unlabelled
    # the named ones are what a screen reader announces: a few by role and name
    tabs.first.click()
    expect(page.get_by_role("textbox", name="Data", exact=True)).to_have_count(1)
    expect(page.get_by_role("combobox", name="Link Role")).to_have_count(1)
    expect(page.get_by_role("radiogroup", name="Rating")).to_have_count(1)


def test_attachment_upload_shows_in_the_timeline(page, live_site, shot):
    with live_site.begin() as ctx:
        name = ctx.new_doc("Uji Pengajuan", judul="Dengan lampiran").insert().name
    _login(page, _user(live_site, ["System Manager"]), next_url=f"/app/uji-pengajuan/{name}")
    file_name = f"surat-keterangan-{secrets.token_hex(2)}.txt"
    page.get_by_label("Unggah").set_input_files(
        files=[{"name": file_name, "mimeType": "text/plain", "buffer": b"Surat keterangan"}]
    )
    timeline = page.get_by_test_id("timeline")
    expect(timeline.get_by_role("link", name=file_name)).to_be_visible()
    expect(timeline).to_contain_text("melampirkan")
    expect(page.get_by_test_id("attachments").get_by_role("link", name=file_name)).to_be_visible()
    shot(page, "mutu-lampiran-linimasa")
    with live_site.begin() as ctx:
        assert ctx.get_all(
            "File",
            filters={"attached_to_doctype": "Uji Pengajuan", "attached_to_name": name},
            pluck="file_name",
        ) == [file_name]


def _conflict(page, live_site):
    with live_site.begin() as ctx:
        name = ctx.new_doc("Uji Pengajuan", judul="Versi awal").insert().name
    _login(page, _user(live_site, ["System Manager"]), next_url=f"/app/uji-pengajuan/{name}")
    page.get_by_label("Judul").fill("Perubahan saya")
    with live_site.begin() as ctx:
        ctx.set_value("Uji Pengajuan", name, {"catatan": "diubah orang lain"})
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("conflict")).to_be_visible()
    return name


def test_conflict_reload_shows_the_other_version(page, live_site):
    name = _conflict(page, live_site)
    page.get_by_role("button", name="Muat ulang (buang perubahan saya)").click()
    expect(page.get_by_test_id("conflict")).to_be_hidden()
    expect(page.get_by_label("Catatan")).to_have_value("diubah orang lain")
    expect(page.get_by_label("Judul")).to_have_value("Versi awal")
    with live_site.begin() as ctx:
        assert ctx.get_value("Uji Pengajuan", name, "judul") == "Versi awal"


def test_conflict_copy_keeps_my_changes_readable(page, live_site, shot):
    name = _conflict(page, live_site)
    page.get_by_role("button", name="Salin perubahan saya").click()
    copied = page.get_by_role("textbox", name="Salin perubahan saya")
    expect(copied).to_be_visible()
    mine = json.loads(copied.input_value())
    assert mine == {"judul": "Perubahan saya"}  # only what I changed
    expect(page.get_by_label("Judul")).to_have_value("Perubahan saya")  # still in the form
    shot(page, "mutu-konflik-salin")
    with live_site.begin() as ctx:
        assert ctx.get_value("Uji Pengajuan", name, "judul") == "Versi awal"


def test_dynamic_link_searches_the_doctype_chosen_in_its_options_field(page, live_site):
    _login(page, _user(live_site, ["System Manager"]), next_url="/app/uji-semua-tipe/new")
    page.get_by_label("Data", exact=True).fill(f"Dinamis {secrets.token_hex(2)}")
    page.get_by_label("Dyn Type").fill("Role")
    dynamic = page.get_by_label("Dyn Link")
    dynamic.fill("Supervisor")
    page.get_by_role("option", name=re.compile("Supervisor SLRT")).click()
    expect(dynamic).to_have_value("Supervisor SLRT")
    page.get_by_label("Dyn Type").fill("Workflow State")
    dynamic.fill("Diverif")
    expect(page.get_by_role("option", name=re.compile("Diverifikasi"))).to_be_visible()
    expect(page.get_by_role("option", name=re.compile("Supervisor"))).to_have_count(0)


def _format_doctype(site) -> str:
    name = f"Bantuan Format {secrets.token_hex(3)}"
    with site.begin() as ctx:
        cz.create_doctype(
            ctx,
            {
                "name": name,
                "module": "Bencana",
                "autoname": "hash",
                "title_field": "uraian",
                "fields": [
                    {"fieldname": "uraian", "fieldtype": "Data", "label": "Uraian"},
                    {
                        "fieldname": "tanggal",
                        "fieldtype": "Date",
                        "label": "Tanggal Salur",
                        "in_list_view": 1,
                    },
                    {
                        "fieldname": "nilai",
                        "fieldtype": "Currency",
                        "label": "Nilai Bantuan",
                        "in_list_view": 1,
                    },
                    {
                        "fieldname": "berat",
                        "fieldtype": "Float",
                        "label": "Berat (kg)",
                        "in_list_view": 1,
                    },
                ],
                "permissions": [
                    {"role": "System Manager", "read": 1, "write": 1, "create": 1, "delete": 1}
                ],
            },
        )
        doc = ctx.new_doc(
            name, uraian="Beras", tanggal="2026-07-05", nilai=1234567.89, berat=1234567.891
        ).insert()
    return name, doc.name


def test_indonesian_dates_rupiah_and_grouping(page, live_site, shot):
    doctype, name = _format_doctype(live_site)
    route = f"/app/{slug(doctype)}"
    _login(page, _user(live_site, ["System Manager"]), next_url=route)
    row = page.get_by_test_id("list-table").locator("tbody tr").first
    expect(row).to_contain_text("05-07-2026")
    expect(row).to_contain_text("Rp 1.234.567,89")
    expect(row).to_contain_text("1.234.567,89")
    shot(page, "mutu-format-daftar")
    row.get_by_role("link", name=name).click()
    date = page.get_by_label("Tanggal Salur")
    expect(date).to_have_value("05-07-2026")
    expect(page.locator('[data-fieldname="nilai"] .hint')).to_have_text("Rp 1.234.567,89")
    date.fill("17-08-2026")
    page.get_by_test_id("save").click()
    expect(page).to_have_url(re.compile(r"\?saved=1"))
    expect(page.get_by_label("Tanggal Salur")).to_have_value("17-08-2026")
    with live_site.begin() as ctx:
        assert ctx.get_value(doctype, name, "tanggal") in (dt.date(2026, 8, 17), "2026-08-17")
    # a date that is no date: the server's error next to the field, nothing saved
    page.get_by_label("Tanggal Salur").fill("31-02-2026")
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("error-tanggal")).to_be_visible()
    shot(page, "mutu-format-formulir")


def test_english_ui_for_a_user_with_language_en(page, live_site):
    with live_site.begin() as ctx:
        name = ctx.new_doc("Uji Pengajuan", judul="In English").insert().name
    email = _user(live_site, ["System Manager"], language="en")
    _login(page, email, next_url="/app/uji-pengajuan")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="Filters", exact=True)).to_be_visible()
    expect(page.get_by_test_id("list-count")).to_contain_text("rows")
    expect(page.get_by_role("link", name="Home")).to_be_visible()
    page.goto(f"/app/uji-pengajuan/{name}")
    expect(page.get_by_test_id("form-state")).to_have_text("Draft")
    page.get_by_label("Judul").fill("In English, saved")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("Saved")
    expect(page.get_by_role("button", name="Submit")).to_be_visible()
