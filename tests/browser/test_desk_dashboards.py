"""Dashboards and the awesome bar in a real browser: open the SPM dashboard from the home
(number cards, the SVG chart), the SPM report with its category badges, and find a complaint
by its tracking number with the keyboard only ("/" to focus, arrows, Enter, Escape)."""

from __future__ import annotations

import datetime as dt
import re
import secrets

import pytest
from desk_helpers import PASSWORD, make_user

expect = pytest.importorskip("playwright.sync_api").expect


def _login(page, email, next_url="/app"):
    page.goto(f"/login?next={next_url}")
    page.get_by_label(re.compile("Email atau nama pengguna")).fill(email)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()


def test_spm_dashboard_from_home(page, live_site, shot):
    year = dt.date.today().year
    with live_site.begin() as ctx:
        for wilayah, jumlah in (("53.71", 8), ("53.01", 12)):
            if not ctx.get_all("Target SPM", filters={"tahun": year, "wilayah": wilayah}):
                ctx.new_doc(
                    "Target SPM",
                    tahun=year,
                    wilayah=wilayah,
                    jenis_layanan_spm="P3",
                    jumlah_sasaran=jumlah,
                ).insert()
    email = make_user(live_site, f"dash-{secrets.token_hex(4)}@uji.id", ["Pimpinan"])
    _login(page, email)
    page.get_by_role("link", name=re.compile("SPM dan Mutu")).click()
    expect(page).to_have_url(re.compile(r"/app/spm-dan-mutu$"))
    expect(page.get_by_test_id("workspace-title")).to_have_text("SPM dan Mutu")
    target_card = page.get_by_test_id("number-card").filter(has_text="Target SPM tahun ini")
    expect(target_card.get_by_test_id("card-count")).to_have_text(re.compile(r"^[1-9]"))
    chart = page.locator("figure.lc-chart svg[role=img]")
    expect(chart).to_be_visible()
    expect(chart.locator("text.lc-label", has_text="Kota Kupang")).to_be_visible()
    shot(page, "20-dasbor-spm")
    # the chart's report, with each row's category as a coloured badge with its text
    page.get_by_role("link", name="Capaian SPM per Kabupaten").first.click()
    expect(page.get_by_test_id("report-table")).to_be_visible()
    badge = page.get_by_test_id("scale-badge").first
    expect(badge).to_have_text("Belum Tuntas")
    expect(badge).to_have_class(re.compile("lc-scale-0"))
    expect(page.get_by_test_id("scale-legend")).to_contain_text("Tuntas Paripurna")
    shot(page, "21-laporan-capaian-spm")
    # the numbers card opens its list with the same filter
    page.go_back()
    target_card.get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"/app/target-spm\?ff=tahun"))
    expect(page.get_by_test_id("list-count")).to_have_text(re.compile(r"^[1-9]"))


def test_awesome_bar_with_the_keyboard(page, live_site, shot):
    tag = secrets.token_hex(3)
    with live_site.begin() as ctx:
        doc = ctx.new_doc(
            "Pengaduan",
            tanggal_pengaduan=dt.datetime.now() - dt.timedelta(hours=2),
            kanal="Telepon",
            kategori="JPS Kesehatan",
            nama_pelapor=f"Agustina {tag}",
            wilayah="53.71.02.1001",
            uraian="Minta bantuan obat",
        ).insert()
    email = make_user(live_site, f"aw-{secrets.token_hex(4)}@uji.id", ["Front Office"])
    _login(page, email)
    expect(page.get_by_test_id("current-user")).to_have_text(email)
    page.keyboard.press("/")  # focus the awesome bar from anywhere
    box = page.get_by_test_id("awesome-bar")
    expect(box).to_be_focused()
    page.keyboard.type(f"agustina {tag}")
    listbox = page.get_by_role("listbox")
    option = listbox.get_by_role("option").filter(has_text=doc.name)
    expect(option).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    expect(option).to_have_attribute("aria-selected", "true")
    shot(page, "22-pencarian-global")
    page.keyboard.press("Escape")
    expect(listbox).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")
    # a DocType by name: the list first, its new form next
    box.fill("")
    page.keyboard.type("pengaduan")
    expect(listbox.get_by_role("option").first).to_have_attribute("data-href", "/app/pengaduan")
    page.keyboard.press("ArrowDown")
    expect(listbox.get_by_role("option").nth(1)).to_have_attribute("aria-selected", "true")
    page.keyboard.press("ArrowUp")
    expect(listbox.get_by_role("option").first).to_have_attribute("aria-selected", "true")
    # and the tracking number opens the complaint
    box.fill("")
    page.keyboard.type(doc.name)
    expect(listbox.get_by_role("option").first).to_have_attribute(
        "data-href", f"/app/pengaduan/{doc.name}"
    )
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"/app/pengaduan/{doc.name}$"))
