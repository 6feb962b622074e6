"""The SLRT day in the browser, each step by the user whose job it is: Front Office registers
a complaint in the form and verifies it; the Pekerja Sosial turns it into a case with the
form's "Buat Kasus" button (a DocType action), fills the assessment and plan grids and moves
the case on; a Supervisor SLRT approves it (the creator never sees the button); the Pekerja
Sosial refers the case to an LKS partner from the case's "Buat Rujukan" button; the partner,
scoped by its Lembaga Mitra User Permission, sees only its own referral and accepts it."""

from __future__ import annotations

import datetime as dt
import re
import secrets

import pytest
from desk_helpers import PASSWORD, make_user

expect = pytest.importorskip("playwright.sync_api").expect

DESA = "53.71.02.1001"  # Oepura, Kota Kupang


def _as(page, email, next_url):
    """Log out whoever is in this browser and log in as `email`."""
    page.context.clear_cookies()
    page.goto(f"/login?next={next_url}")
    page.get_by_label(re.compile("Email atau nama pengguna")).fill(email)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    expect(page.get_by_test_id("current-user")).to_have_text(email)


def _user(site, tag, roles, lembaga=None):
    email = make_user(site, f"{tag}.{secrets.token_hex(3)}@alur.uji.id", roles)
    if lembaga:
        with site.begin() as ctx:
            ctx.new_doc(
                "User Permission",
                user=email,
                allow="Lembaga Mitra",
                for_value=lembaga,
                apply_to_all_doctypes=1,
            ).insert()
    return email


def _state(page, value):
    expect(page.get_by_test_id("form-state")).to_have_text(value)


def _docname(page) -> str:
    return page.url.split("?")[0].rstrip("/").split("/")[-1]


def _grid_row(page, table, values):
    grid = page.get_by_test_id(f"grid-{table}")
    grid.get_by_role("button", name="Tambah baris").click()
    row = grid.locator("tbody tr").last
    for column, value in values.items():
        cell = row.locator(f"[data-col-input={column}]")
        if cell.evaluate("el => el.tagName") == "SELECT":
            cell.select_option(value)
        else:
            cell.fill(value)


def test_complaint_to_case_to_referral_accepted_by_the_partner(page, live_site, shot):
    tag = secrets.token_hex(2)
    with live_site.begin() as ctx:
        lembaga_a = ctx.new_doc("Lembaga Mitra", nama=f"LKS Kasih {tag}", jenis="LKS").insert()
        lembaga_b = ctx.new_doc("Lembaga Mitra", nama=f"LKS Harapan {tag}", jenis="LKS").insert()
        penerima = ctx.new_doc(
            "Penerima Manfaat", nama_lengkap=f"Yosefina Bria {tag}", wilayah=DESA
        ).insert()
    fo = _user(live_site, "fo", ["Front Office"])
    ps = _user(live_site, "peksos", ["Pekerja Sosial"])
    sup = _user(live_site, "supervisor", ["Supervisor SLRT"])
    mitra = _user(live_site, "mitra", ["Mitra LKS"], lembaga=lembaga_a.name)

    # Front Office registers the complaint in the form (Link autocomplete for the recipient)
    _as(page, fo, "/app/pengaduan/new")
    page.get_by_label("Kanal").select_option("Datang Langsung")
    page.get_by_label("Kategori").select_option("JPS Kesehatan")
    page.get_by_label(re.compile("^Nama Pelapor")).fill("Yosefina Bria")
    page.get_by_label("Telepon/WhatsApp Pelapor").fill("081339000111")
    link = page.get_by_label("Penerima Manfaat (jika terdaftar)")
    link.fill(f"Yosefina Bria {tag}")
    page.get_by_role("option", name=re.compile(f"Yosefina Bria {tag}")).click()
    expect(link).to_have_value(penerima.name)
    page.get_by_label(re.compile(r"^Wilayah \(Desa")).fill(DESA)
    page.get_by_label(re.compile("^Uraian Pengaduan")).fill(
        "Ibu hamil belum punya KIS, perlu rujukan persalinan"
    )
    shot(page, "alur-01-pengaduan-baru")
    page.get_by_test_id("save").click()
    expect(page).to_have_url(re.compile(r"/app/pengaduan/ADU-[^/?]+\?saved=1"))
    aduan = _docname(page)
    _state(page, "Baru")
    expect(page.get_by_test_id("action-Buat Kasus")).to_have_count(0)  # not Front Office's
    page.get_by_test_id("wf-Verifikasi").click()
    _state(page, "Diverifikasi")

    # the Pekerja Sosial turns it into a case with the form's button
    _as(page, ps, f"/app/pengaduan/{aduan}")
    button = page.get_by_test_id("action-Buat Kasus")
    expect(button).to_be_visible()
    shot(page, "alur-02-pengaduan-terverifikasi")
    button.click()
    _state(page, "Ditindaklanjuti")
    expect(page.get_by_test_id("action-Buat Kasus")).to_be_hidden()  # depends_on: no case yet
    kasus_input = page.get_by_label("Kasus SLRT")
    expect(kasus_input).to_have_value(re.compile(r"^KSS-"))
    kasus = kasus_input.input_value()
    page.locator('[data-fieldname="kasus"] a.link-open').click()
    expect(page).to_have_url(re.compile(rf"/app/kasus/{kasus}$"))
    _state(page, "Pendaftaran")

    # assessment rows in the grid, then the plan
    page.get_by_test_id("wf-Mulai Asesmen").click()
    _state(page, "Asesmen")
    _grid_row(
        page,
        "asesmen",
        {"bidang": "Kesehatan", "temuan": "Tidak punya KIS", "tingkat_kebutuhan": "Mendesak"},
    )
    _grid_row(
        page,
        "asesmen",
        {"bidang": "Ekonomi", "temuan": "Suami buruh harian", "tingkat_kebutuhan": "Sedang"},
    )
    shot(page, "alur-03-asesmen-grid")
    page.get_by_test_id("save").click()
    expect(page).to_have_url(re.compile(r"\?saved=1"))
    page.get_by_test_id("wf-Susun Rencana").click()
    _state(page, "Rencana")
    _grid_row(
        page,
        "rencana",
        {"kebutuhan": "Persalinan", "intervensi": "Rujuk ke LKS", "bentuk": "Rujukan"},
    )
    with page.expect_navigation():  # already at ?saved=1: wait for the new load
        page.get_by_test_id("save").click()
    expect(page.get_by_test_id("grid-rencana").locator("tbody tr")).to_have_count(1)
    expect(page.get_by_test_id("wf-Setujui")).to_have_count(0)  # a Pekerja Sosial may not
    with live_site.begin() as ctx:
        doc = ctx.get_doc("Kasus", kasus)
        assert [(r.bidang, r.tingkat_kebutuhan) for r in doc.asesmen] == [
            ("Kesehatan", "Mendesak"),
            ("Ekonomi", "Sedang"),
        ]
        assert doc.pengaduan == aduan
        assert [r.kebutuhan for r in doc.rencana] == ["Persalinan"]

    # the Supervisor SLRT approves
    _as(page, sup, f"/app/kasus/{kasus}")
    page.get_by_test_id("wf-Setujui").click()
    _state(page, "Disetujui")
    shot(page, "alur-04-kasus-disetujui")
    with live_site.begin() as ctx:
        assert ctx.get_value("Kasus", kasus, "disetujui_oleh") == sup

    # the Pekerja Sosial refers the case to partner A from the case form
    _as(page, ps, f"/app/kasus/{kasus}")
    page.get_by_test_id("wf-Rujuk").click()
    _state(page, "Rujukan")
    page.get_by_test_id("action-Buat Rujukan").click()
    expect(page).to_have_url(re.compile(r"/app/rujukan/new\?kasus="))
    expect(page.get_by_label(re.compile("^Kasus"))).to_have_value(kasus)
    page.get_by_label("Jenis Tujuan").select_option("Lembaga Mitra")
    target = page.get_by_label("Lembaga Penerima Rujukan")
    target.fill(f"LKS Kasih {tag}")
    page.get_by_role("option", name=re.compile(f"LKS Kasih {tag}")).click()
    expect(target).to_have_value(lembaga_a.name)
    page.get_by_label(re.compile("^Alasan Rujukan")).fill("Pendampingan persalinan dan KIS")
    page.get_by_label("Penerima Manfaat Menyetujui Rujukan").check()
    follow_up = dt.date.today() + dt.timedelta(days=7)
    page.get_by_label("Tanggal Tindak Lanjut").fill(follow_up.isoformat())
    shot(page, "alur-05-rujukan-baru")
    page.get_by_test_id("save").click()
    expect(page).to_have_url(re.compile(r"/app/rujukan/RJK-[^/?]+\?saved=1"))
    rujukan_a = _docname(page)
    _state(page, "Dikirim")
    with live_site.begin(user=ps) as ctx:  # and one to partner B, which A must not see
        rujukan_b = (
            ctx.new_doc(
                "Rujukan",
                kasus=kasus,
                tujuan_jenis="Lembaga Mitra",
                lembaga_mitra=lembaga_b.name,
                alasan="Pendampingan psikososial",
                persetujuan_penerima=1,
            )
            .insert()
            .name
        )

    # the partner sees only its referral and accepts it with the workflow button
    _as(page, mitra, "/app/rujukan")
    expect(page.get_by_test_id("list-count")).to_have_text("1 data")
    table = page.get_by_test_id("list-table")
    expect(table.get_by_role("link", name=rujukan_a)).to_be_visible()
    expect(table.get_by_role("link", name=rujukan_b)).to_have_count(0)
    shot(page, "alur-06-daftar-rujukan-mitra")
    table.get_by_role("link", name=rujukan_a).click()
    _state(page, "Dikirim")
    page.get_by_test_id("wf-Terima").click()
    _state(page, "Diterima")
    shot(page, "alur-07-rujukan-diterima")
    page.goto(f"/app/rujukan/{rujukan_b}")
    expect(page.locator("main")).to_contain_text(re.compile("tidak|Tidak"))
    with live_site.begin() as ctx:
        assert ctx.get_value("Rujukan", rujukan_a, "workflow_state") == "Diterima"
        assert ctx.get_value("Rujukan", rujukan_b, "workflow_state") == "Dikirim"
