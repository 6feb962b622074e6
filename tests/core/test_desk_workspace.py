"""Desk workspaces (Workspace records shipped as module fixtures): number cards count through
the reader's permission-scoped `get_count` (one count per card) with dynamic filter values,
cards over DocTypes the reader cannot read are hidden, "awaiting my approval" cards only for
who may approve; the pages over real HTTP (home lists them, /app/<slug> renders counts and the
SPM chart). Engine tests roll back; HTTP tests use a site of their own (both backends)."""

from __future__ import annotations

import datetime as dt
import re
import secrets

from desk_helpers import login, make_user, root_conftest

from layanan_sosial.core.desk.workspace import (
    build_workspace,
    resolve_filters,
    resolve_value,
    visible_workspaces,
)

shared = root_conftest()
KOTA_KUPANG, KAB_KUPANG = "53.71", "53.01"
DESA_KOTA, DESA_KAB = "53.71.02.1001", "53.01.05.1001"
OVERDUE = "Pengaduan lewat batas waktu"
APPROVAL = "Kasus menunggu persetujuan saya"


def user(ctx, roles, wilayah=None):
    email = f"ws-{secrets.token_hex(4)}@uji.id"
    ctx.new_doc("User", email=email, first_name="Uji", roles=[{"role": r} for r in roles]).insert()
    if wilayah:
        ctx.new_doc("User Permission", user=email, allow="Wilayah", for_value=wilayah).insert()
    return email


def pengaduan(ctx, wilayah, when):
    ctx.now_override = when
    doc = ctx.new_doc(
        "Pengaduan",
        tanggal_pengaduan=when,
        kanal="WhatsApp",
        kategori="JPS Kesehatan",
        nama_pelapor=f"Yohana {secrets.token_hex(2)}",
        wilayah=wilayah,
        uraian="Anak sakit, tidak punya KIS",
    ).insert()
    ctx.now_override = None
    return doc


def cards_as(ctx, email, workspace="SLRT"):
    admin = ctx.user
    ctx.set_user(email)
    try:
        page = build_workspace(ctx, workspace)
        return {c.label: c for c in page.cards}
    finally:
        ctx.set_user(admin)


def test_dynamic_values(ctx):
    ctx.now_override = dt.datetime(2026, 3, 10, 9, 30, 15, 123)
    try:
        assert resolve_value(ctx, "@now") == dt.datetime(2026, 3, 10, 9, 30, 15)
        assert resolve_value(ctx, "@now-24h") == dt.datetime(2026, 3, 9, 9, 30, 15)
        assert resolve_value(ctx, "@today") == dt.date(2026, 3, 10)
        assert resolve_value(ctx, "@today-7d") == dt.date(2026, 3, 3)
        assert resolve_value(ctx, "@today+2w") == dt.date(2026, 3, 24)
        assert resolve_value(ctx, "@year") == 2026
        assert resolve_value(ctx, "@user") == "Administrator"
        assert resolve_value(ctx, "@tomorrow") == "@tomorrow"  # unknown: a plain value
        assert resolve_filters(ctx, '{"status": "Aktif", "tahun": [">=", "@year"]}') == [
            ["status", "=", "Aktif"],
            ["tahun", ">=", 2026],
        ]
        assert resolve_filters(ctx, '[["Pengaduan", "batas_waktu", "<", "@now"]]') == [
            ["batas_waktu", "<", dt.datetime(2026, 3, 10, 9, 30, 15)]
        ]
    finally:
        ctx.now_override = None


def test_overdue_card_counts_only_the_users_region(ctx):
    kota = user(ctx, ["Supervisor SLRT"], KOTA_KUPANG)
    everyone = user(ctx, ["Admin Dinsos"])
    before_kota = cards_as(ctx, kota)[OVERDUE].count
    before_all = cards_as(ctx, everyone)[OVERDUE].count
    old = dt.datetime.now() - dt.timedelta(days=3)
    for _ in range(2):
        pengaduan(ctx, DESA_KOTA, old)
    for _ in range(3):
        pengaduan(ctx, DESA_KAB, old)
    pengaduan(ctx, DESA_KOTA, dt.datetime.now() - dt.timedelta(hours=1))  # not overdue yet
    after_kota = cards_as(ctx, kota)[OVERDUE]
    assert after_kota.count == before_kota + 2
    assert cards_as(ctx, everyone)[OVERDUE].count == before_all + 5
    # the card opens the list with the same filters (the list's ?ff/fo/fv syntax)
    assert after_kota.url.startswith(
        "/app/pengaduan?ff=workflow_state&fo=in&fv=Baru%2CDiverifikasi"
    )
    assert "ff=batas_waktu&fo=%3C" in after_kota.url


def test_approval_card_only_for_approvers_and_unreadable_cards_hidden(ctx):
    supervisor = user(ctx, ["Supervisor SLRT"])
    front = user(ctx, ["Front Office"])  # reads Kasus but may not approve
    partner = user(ctx, ["Mitra LKS"])  # reads Rujukan only
    bencana = user(ctx, ["Petugas Bencana"])  # reads nothing of SLRT
    assert APPROVAL in cards_as(ctx, supervisor)
    front_cards = cards_as(ctx, front)
    assert APPROVAL not in front_cards and OVERDUE in front_cards
    partner_cards = cards_as(ctx, partner)
    assert partner_cards and {c.doctype for c in partner_cards.values()} == {"Rujukan"}
    ctx.set_user(bencana)
    try:
        titles = [w["title"] for w in visible_workspaces(ctx)]
        assert "Bencana" in titles and "SLRT" not in titles and "Registri" not in titles
    finally:
        ctx.set_user("Administrator")


def test_approval_card_counts_cases_in_rencana(ctx):
    supervisor = user(ctx, ["Supervisor SLRT"])
    before = cards_as(ctx, supervisor)[APPROVAL].count
    from layanan_sosial.core.workflow.engine import apply_workflow

    penerima = ctx.new_doc("Penerima Manfaat", nama_lengkap=f"Maria {secrets.token_hex(3)}")
    penerima.wilayah = DESA_KOTA
    penerima.insert()
    kasus = ctx.new_doc("Kasus", penerima_manfaat=penerima.name).insert()
    apply_workflow(ctx, {"doctype": "Kasus", "name": kasus.name}, "Mulai Asesmen")
    doc = ctx.get_doc("Kasus", kasus.name)
    doc.update({"asesmen": [{"bidang": "Kesehatan", "temuan": "Tanpa KIS"}]})
    doc.save()
    apply_workflow(ctx, {"doctype": "Kasus", "name": kasus.name}, "Susun Rencana")
    assert cards_as(ctx, supervisor)[APPROVAL].count == before + 1


def test_a_card_with_a_bad_filter_shows_its_error_not_a_crash(ctx):
    ws = ctx.new_doc(
        "Workspace",
        title=f"Uji {secrets.token_hex(3)}",
        number_cards=[
            {"label": "Rusak", "document_type": "Pengaduan", "filters": '[["tidak_ada", "=", 1]]'},
            {"label": "Baik", "document_type": "Pengaduan", "filters": "[]"},
        ],
    ).insert()
    cards = {c.label: c for c in build_workspace(ctx, ws.name).cards}
    assert cards["Rusak"].count is None and cards["Rusak"].error
    assert cards["Baik"].count == ctx.get_count("Pengaduan")


# -- over HTTP -------------------------------------------------------------------------


def _count(html: str, label: str) -> int:
    found = re.search(
        r'data-testid="card-count">([\d.]+)</span>\s*<span class="ws-label">' + re.escape(label),
        html,
    )
    assert found, f"no card {label!r}"
    return int(found.group(1).replace(".", ""))


def test_home_lists_workspaces_and_the_slrt_page_counts(client, desk_site):
    email = make_user(desk_site, f"wsh-{secrets.token_hex(3)}@uji.id", ["Supervisor SLRT"])
    with desk_site.begin() as ctx:
        ctx.new_doc("User Permission", user=email, allow="Wilayah", for_value=KOTA_KUPANG).insert()
        old = dt.datetime.now() - dt.timedelta(days=2)
        pengaduan(ctx, DESA_KOTA, old)
        pengaduan(ctx, DESA_KAB, old)
    login(client, email)
    home = client.get("/app")
    assert home.status_code == 200
    assert 'href="/app/slrt"' in home.text and 'href="/app/spm-dan-mutu"' not in home.text
    page = client.get("/app/slrt")
    assert page.status_code == 200
    assert _count(page.text, OVERDUE) == 1  # only Kota Kupang's
    assert APPROVAL in page.text
    assert 'href="/app/pengaduan/new"' not in page.text  # Supervisor may not create Pengaduan
    # the card's link opens the list with exactly that count
    link = re.search(r'<a href="([^"]+)">\s*<span class="ws-count"', page.text).group(1)
    listing = client.get(link.replace("&amp;", "&"))
    assert listing.status_code == 200
    assert 'data-testid="list-count">1 data' in listing.text


def test_spm_dashboard_shows_cards_and_the_chart(client, desk_site):
    email = make_user(desk_site, f"wsp-{secrets.token_hex(3)}@uji.id", ["Pimpinan"])
    year = dt.date.today().year
    with desk_site.begin() as ctx:
        if not ctx.get_all("Target SPM", filters={"tahun": year, "wilayah": KOTA_KUPANG}):
            ctx.new_doc(
                "Target SPM",
                tahun=year,
                wilayah=KOTA_KUPANG,
                jenis_layanan_spm="P3",
                jumlah_sasaran=8,
            ).insert()
    login(client, email)
    assert 'href="/app/spm-dan-mutu"' in client.get("/app").text
    page = client.get("/app/spm-dan-mutu")
    assert page.status_code == 200
    assert _count(page.text, "Target SPM tahun ini") >= 1
    assert 'role="img"' in page.text and "lc-chart" in page.text
    assert "Kota Kupang" in page.text  # a bar label of the chart
    assert "Laporan capaian menunggu persetujuan saya" in page.text  # Pimpinan approves


def test_unknown_slug_is_still_not_found(client, desk_site):
    email = make_user(desk_site, f"wsn-{secrets.token_hex(3)}@uji.id", ["Petugas Bencana"])
    login(client, email)
    assert client.get("/app/tidak-ada-apa-apa").status_code == 404
    assert client.get("/app/slrt").status_code == 403  # nothing of SLRT is theirs
    assert client.get("/app/bencana").status_code == 200
