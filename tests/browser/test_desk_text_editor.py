"""The Text Editor field in a real browser: Quill's toolbar and keyboard (Ctrl+B), the HTML it
writes saved through the REST API and shown again after a reload, Tab leaving the editor,
a tablet screen (800×1280), and read_only_depends_on disabling the editor."""

from __future__ import annotations

import re
import secrets

import pytest
from desk_helpers import PASSWORD, make_user

from layanan_sosial.core import customize as cz

expect = pytest.importorskip("playwright.sync_api").expect


def _login(page, email, next_url):
    page.goto(f"/login?next={next_url}")
    page.get_by_label(re.compile("Email atau nama pengguna")).fill(email)
    page.locator("#login-pwd").fill(PASSWORD)
    page.locator("#login-pwd").press("Enter")
    expect(page.get_by_test_id("current-user")).to_have_text(email)


def _user(site, roles):
    return make_user(site, f"te-{secrets.token_hex(4)}@uji.id", roles)


def _editor(page, label):
    """The editable area: a textbox named by the field's label (aria-labelledby)."""
    editor = page.locator(".ql-editor").and_(page.get_by_role("textbox", name=label, exact=True))
    expect(editor).to_have_count(1)
    return editor


def test_bold_by_keyboard_and_list_by_toolbar_survive_save_and_reload(page, live_site, shot):
    _login(page, _user(live_site, ["System Manager"]), "/app/uji-semua-tipe/new")
    title = f"Catatan {secrets.token_hex(3)}"
    page.get_by_label("Data", exact=True).fill(title)
    editor = _editor(page, "Text Editor")
    toolbar = page.get_by_role("toolbar", name="Format teks")
    expect(toolbar).to_be_visible()
    editor.click()
    page.keyboard.type("Hasil kunjungan ")
    page.keyboard.press("Control+b")
    page.keyboard.type("sangat penting")
    page.keyboard.press("Control+b")
    page.keyboard.type(" untuk ditindaklanjuti")
    page.keyboard.press("Enter")
    toolbar.get_by_role("button", name="Daftar berbutir").click()
    page.keyboard.type("butir satu")
    page.keyboard.press("Enter")
    page.keyboard.type("butir dua")
    expect(editor.locator("strong")).to_have_text("sangat penting")
    # Tab leaves the editor (no tab character typed into the text)
    page.keyboard.press("Tab")
    assert page.evaluate("() => !document.activeElement.closest('.ql-editor')")
    shot(page, "te-01-diketik")
    page.get_by_test_id("save").click()
    expect(page).to_have_url(re.compile(r"/app/uji-semua-tipe/[^/?]+\?saved=1"))
    name = page.url.split("/")[-1].split("?")[0]
    with live_site.begin() as ctx:
        stored = ctx.get_doc("Uji Semua Tipe", name).text_editor
    assert "<strong>sangat penting</strong>" in stored
    assert "<ul><li>butir satu</li><li>butir dua</li></ul>" in stored
    assert "Hasil kunjungan <strong>" in stored and "&nbsp;" not in stored
    assert "\t" not in stored

    page.reload()
    editor = _editor(page, "Text Editor")
    expect(editor.locator("strong")).to_have_text("sangat penting")
    expect(editor.locator("li")).to_have_text(["butir satu", "butir dua"])
    shot(page, "te-02-dimuat-ulang")

    # edit again: an untouched editor sends the stored value, an edit the new HTML
    editor.locator("strong").click()
    page.keyboard.press("End")
    page.keyboard.type(" sekali")
    with page.expect_navigation():
        page.get_by_test_id("save").click()
    with live_site.begin() as ctx:
        saved = ctx.get_doc("Uji Semua Tipe", name).text_editor
    assert "<strong>sangat penting</strong> untuk ditindaklanjuti sekali</p>" in saved


def test_toolbar_buttons_are_named_and_the_editor_fits_a_tablet(page, live_site, shot):
    page.set_viewport_size({"width": 800, "height": 1280})
    _login(page, _user(live_site, ["System Manager"]), "/app/uji-semua-tipe/new")
    editor = _editor(page, "Text Editor")
    toolbar = page.get_by_role("toolbar", name="Format teks")
    for name in (
        "Tebal (Ctrl+B)",
        "Miring (Ctrl+I)",
        "Garis bawah (Ctrl+U)",
        "Daftar bernomor",
        "Daftar berbutir",
        "Tautan (Ctrl+K)",
        "Judul 2",
        "Hapus format",
    ):
        expect(toolbar.get_by_role("button", name=name)).to_be_visible()
    # a heading and a link by keyboard: Ctrl+K on selected text opens the address box
    editor.click()
    page.keyboard.type("Judul laporan")
    toolbar.get_by_role("button", name="Judul 2").click()
    expect(editor.locator("h2")).to_have_text("Judul laporan")
    page.keyboard.press("End")
    page.keyboard.press("Enter")
    page.keyboard.type("situs dinas")
    page.keyboard.press("Shift+Home")
    page.keyboard.press("Control+k")
    address = page.get_by_label("Alamat tautan")
    expect(address).to_be_visible()
    address.fill("https://dinsos.kupangkota.go.id")
    address.press("Enter")
    expect(editor.locator("a")).to_have_attribute("href", "https://dinsos.kupangkota.go.id")
    # Alt+F10 reaches the toolbar, Escape comes back to the text
    page.keyboard.press("Alt+F10")
    expect(toolbar.get_by_role("button", name="Tebal (Ctrl+B)")).to_be_focused()
    page.keyboard.press("Escape")
    expect(editor).to_be_focused()
    box = editor.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= 800
    width = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"the page scrolls sideways: {width[0]} > {width[1]}"
    shot(page, "te-03-tablet")


def test_read_only_depends_on_disables_the_editor(page, live_site, shot):
    name = f"Uji Kunci Teks {secrets.token_hex(3)}"
    with live_site.begin() as ctx:
        cz.create_doctype(
            ctx,
            {
                "name": name,
                "module": "Core",
                "autoname": "hash",
                "fields": [
                    {"fieldname": "judul", "fieldtype": "Data", "label": "Judul"},
                    {"fieldname": "kunci", "fieldtype": "Check", "label": "Kunci isi"},
                    {
                        "fieldname": "isi",
                        "fieldtype": "Text Editor",
                        "label": "Isi laporan",
                        "read_only_depends_on": "eval:doc.kunci",
                    },
                ],
                "permissions": [
                    {"role": "System Manager", "read": 1, "write": 1, "create": 1, "delete": 1}
                ],
            },
        )
        doc = ctx.new_doc(name, judul="a", isi="<p><em>awal</em></p>").insert()
    route = "/app/" + re.sub(r"[^a-z0-9]+", "-", name.lower())
    _login(page, _user(live_site, ["System Manager"]), f"{route}/{doc.name}")
    editor = _editor(page, "Isi laporan")
    expect(editor.locator("em")).to_have_text("awal")
    expect(editor).to_have_attribute("contenteditable", "true")
    page.get_by_label("Kunci isi").check()
    expect(editor).to_have_attribute("contenteditable", "false")
    expect(editor).to_have_attribute("aria-readonly", "true")
    expect(page.get_by_role("toolbar", name="Format teks")).to_be_hidden()
    shot(page, "te-04-terkunci")
    page.get_by_label("Kunci isi").uncheck()
    expect(editor).to_have_attribute("contenteditable", "true")
    expect(page.get_by_role("toolbar", name="Format teks")).to_be_visible()
