"""A DocType an administrator creates while the server runs (core/customize.py, the same path
as the DocType form and the meta change API) works in the desk at once, without a restart:
home link, list, new form, a field error from the server, save, edit, Link and Dynamic Link
autocomplete, and a custom field added later."""

from __future__ import annotations

import re
import secrets

import pytest
from desk_helpers import PASSWORD, make_user

from layanan_sosial.core import customize as cz
from layanan_sosial.core.meta.model import slug

expect = pytest.importorskip("playwright.sync_api").expect


def _login(page, email, next_url):
    page.goto(f"/login?next={next_url}")
    page.get_by_label(re.compile("Email atau nama pengguna")).fill(email)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()


def _definition(name: str) -> dict:
    return {
        "name": name,
        "module": "Bencana",
        "autoname": "field:kode",
        "title_field": "nama_posko",
        "fields": [
            {"fieldname": "kode", "fieldtype": "Data", "label": "Kode Posko", "reqd": 1},
            {
                "fieldname": "nama_posko",
                "fieldtype": "Data",
                "label": "Nama Posko",
                "in_list_view": 1,
            },
            {
                "fieldname": "kapasitas",
                "fieldtype": "Int",
                "label": "Kapasitas Jiwa",
                "non_negative": 1,
                "in_list_view": 1,
            },
            {"fieldname": "cb", "fieldtype": "Column Break"},
            {
                "fieldname": "pengelola",
                "fieldtype": "Link",
                "label": "Lembaga Pengelola",
                "options": "Lembaga Mitra",
            },
            {
                "fieldname": "jenis_rujukan",
                "fieldtype": "Select",
                "label": "Jenis Acuan",
                "options": "\nLembaga Mitra\nProgram Bantuan",
            },
            {
                "fieldname": "acuan",
                "fieldtype": "Dynamic Link",
                "label": "Acuan",
                "options": "jenis_rujukan",
            },
        ],
        "permissions": [
            {"role": "System Manager", "read": 1, "write": 1, "create": 1, "delete": 1},
            {"role": "Petugas Bencana", "read": 1, "write": 1, "create": 1},
        ],
    }


def test_doctype_created_at_run_time_works_in_the_desk(page, live_site, live_server, shot):
    tag = secrets.token_hex(3)
    name = f"Posko Uji {tag}"
    route = f"/app/{slug(name)}"
    with live_site.begin() as ctx:
        lembaga = ctx.new_doc("Lembaga Mitra", nama=f"Yayasan Posko {tag}", jenis="LKS").insert()
    email = make_user(live_site, f"rt-{tag}@uji.id", ["Petugas Bencana"])
    _login(page, email, "/app")
    expect(page.get_by_test_id("current-user")).to_have_text(email)
    expect(page.get_by_role("link", name=name)).to_have_count(0)

    # the administrator creates the DocType while the server keeps running
    with live_site.begin() as ctx:
        cz.create_doctype(ctx, _definition(name))

    page.goto("/app")
    page.get_by_role("link", name=name).click()
    expect(page).to_have_url(re.compile(rf"{route}$"))
    expect(page.get_by_role("heading", name=name)).to_be_visible()
    expect(page.get_by_test_id("list-count")).to_have_text("0 data")
    page.get_by_test_id("new-doc").click()
    expect(page).to_have_url(re.compile(rf"{route}/new$"))

    # a server-side field error next to its field, values kept
    page.get_by_label(re.compile("^Kode Posko")).fill(f"PSK-{tag}")
    page.get_by_label("Nama Posko").fill("Posko Oesao")
    page.get_by_label("Kapasitas Jiwa").fill("-5")
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("error-kapasitas")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/new$"))
    expect(page.get_by_label("Nama Posko")).to_have_value("Posko Oesao")
    shot(page, "runtime-01-galat-field")

    # Link and Dynamic Link autocomplete
    page.get_by_label("Kapasitas Jiwa").fill("120")
    link = page.get_by_label("Lembaga Pengelola")
    link.fill(f"Posko {tag}")
    page.get_by_role("option", name=re.compile(lembaga.name)).click()
    expect(link).to_have_value(lembaga.name)
    page.get_by_label("Jenis Acuan").select_option("Lembaga Mitra")
    dynamic = page.get_by_label("Acuan", exact=True)
    dynamic.fill(f"Yayasan Posko {tag}")
    page.get_by_role("option", name=re.compile(lembaga.name)).click()
    expect(dynamic).to_have_value(lembaga.name)
    shot(page, "runtime-02-formulir")
    page.get_by_test_id("save").click()
    expect(page).to_have_url(re.compile(rf"{route}/PSK-{tag}\?saved=1"))
    with live_site.begin() as ctx:
        doc = ctx.get_doc(name, f"PSK-{tag}")
        assert (doc.kapasitas, doc.pengelola, doc.acuan) == (120, lembaga.name, lembaga.name)
        assert doc.owner == email

    # edit and save again; the list shows the change with Indonesian grouping
    page.get_by_label("Kapasitas Jiwa").fill("1250")
    with page.expect_navigation():  # the saved form loads again
        page.get_by_test_id("save").click()
    expect(page.get_by_role("status")).to_contain_text("Tersimpan")
    page.goto(route)
    expect(page.get_by_test_id("list-count")).to_have_text("1 data")
    row = page.get_by_test_id("list-table").locator("tbody tr").first
    expect(row).to_contain_text("Posko Oesao")
    expect(row).to_contain_text("1.250")

    # a field added later appears in the open desk on the next page load
    with live_site.begin() as ctx:
        cz.add_custom_field(
            ctx, name, {"fieldname": "telepon", "label": "Telepon Posko", "fieldtype": "Data"}
        )
    page.goto(f"{route}/PSK-{tag}")
    page.get_by_label("Telepon Posko").fill("0380-821000")
    page.keyboard.press("Control+s")
    expect(page).to_have_url(re.compile(r"\?saved=1"))
    with live_site.begin() as ctx:
        assert ctx.get_value(name, f"PSK-{tag}", "telepon") == "0380-821000"
    shot(page, "runtime-03-field-baru")
