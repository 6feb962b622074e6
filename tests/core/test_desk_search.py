"""The awesome bar (`core/desk/search.py`, `/app/search`): finds DocTypes, documents by
tracking number, by title/search fields and by NIK — the NIK only for roles that may read
it, never a document outside the user's permissions or scope, the masked NIK shown and no
audit row written (engine tests roll back; HTTP on a site of its own; both backends)."""

from __future__ import annotations

import datetime as dt
import secrets

from desk_helpers import login, make_user, root_conftest

from layanan_sosial.core.desk.search import clean, search

shared = root_conftest()
DESA_KOTA, DESA_KAB = "53.71.02.1001", "53.01.05.1001"


def unique_nik() -> str:
    return f"5301040507{90}{secrets.randbelow(9998) + 1:04d}"  # born 05-07-1990


def user(ctx, roles, wilayah=None):
    email = f"sr-{secrets.token_hex(4)}@uji.id"
    ctx.new_doc("User", email=email, first_name="Uji", roles=[{"role": r} for r in roles]).insert()
    if wilayah:
        ctx.new_doc("User Permission", user=email, allow="Wilayah", for_value=wilayah).insert()
    return email


def as_user(ctx, email, query):
    ctx.set_user(email)
    try:
        return search(ctx, query)
    finally:
        ctx.set_user("Administrator")


def urls(results):
    return [h.url for h in results.documents]


def penerima(ctx, nama, nik=None, wilayah=DESA_KOTA):
    values = {"nama_lengkap": nama, "wilayah": wilayah}
    if nik:
        values["nik"] = nik
    return ctx.new_doc("Penerima Manfaat", values).insert()


def pengaduan(ctx, wilayah, pelapor):
    return ctx.new_doc(
        "Pengaduan",
        tanggal_pengaduan=dt.datetime.now() - dt.timedelta(hours=1),
        kanal="WhatsApp",
        kategori="JPS Kesehatan",
        nama_pelapor=pelapor,
        wilayah=wilayah,
        uraian="Butuh bantuan",
    ).insert()


def test_clean_strips_wildcards_and_bounds():
    assert clean("  50%_ab\\c\n ") == "50abc"
    assert len(clean("x" * 500)) == 80


def test_doctypes_and_new_form_by_name(ctx):
    front = user(ctx, ["Front Office"])
    found = as_user(ctx, front, "penerima")
    assert [(h.kind, h.url) for h in found.doctypes] == [
        ("doctype", "/app/penerima-manfaat"),
        ("new", "/app/penerima-manfaat/new"),
    ]
    pimpinan = user(ctx, ["Pimpinan"])  # reads but may not create
    assert [h.kind for h in as_user(ctx, pimpinan, "penerima").doctypes] == ["doctype"]
    assert as_user(ctx, front, "a").empty  # too short: nothing is queried


def test_finds_by_tracking_number_and_title_within_scope(ctx):
    tag = secrets.token_hex(3)
    kota = pengaduan(ctx, DESA_KOTA, f"Yohana {tag}")
    kab = pengaduan(ctx, DESA_KAB, f"Yohana {tag}")
    scoped = user(ctx, ["Supervisor SLRT"], "53.71")
    by_number = as_user(ctx, scoped, kota.name)
    assert f"/app/pengaduan/{kota.name}" in urls(by_number)
    by_title = as_user(ctx, scoped, f"yohana {tag}")
    assert urls(by_title) == [f"/app/pengaduan/{kota.name}"]  # never the other kabupaten's
    assert f"/app/pengaduan/{kab.name}" not in urls(as_user(ctx, scoped, kab.name))
    hit = by_title.documents[0]
    assert hit.label == f"Yohana {tag}" and kota.name in hit.detail
    outsider = user(ctx, ["Petugas Bencana"])  # may not read Pengaduan at all
    assert as_user(ctx, outsider, kota.name).empty


def test_nik_only_for_roles_that_read_it_and_shown_masked(ctx):
    nik = unique_nik()
    doc = penerima(ctx, f"Rahel {secrets.token_hex(3)}", nik=nik)
    masked = ctx.get_value("Penerima Manfaat", doc.name, "nik_tersamar")
    assert masked and masked != nik
    front = user(ctx, ["Front Office"])
    logs_before = ctx.get_count("Activity Log", filters={"operation": "Access"})
    found = as_user(ctx, front, nik)
    assert urls(found) == [f"/app/penerima-manfaat/{doc.name}"]
    assert masked in found.documents[0].detail and nik not in found.documents[0].detail
    assert ctx.get_count("Activity Log", filters={"operation": "Access"}) == logs_before
    # Pimpinan reads recipients but not the NIK (permlevel 1): the NIK finds nothing, so
    # search never tells whether a NIK is registered
    pimpinan = user(ctx, ["Pimpinan"])
    assert as_user(ctx, pimpinan, nik).empty
    assert urls(as_user(ctx, pimpinan, doc.nama_lengkap)) == [f"/app/penerima-manfaat/{doc.name}"]
    partner = user(ctx, ["Mitra LKS"])  # may not read Penerima Manfaat
    assert not [h for h in as_user(ctx, partner, doc.nama_lengkap).documents]


# -- over HTTP -------------------------------------------------------------------------


def test_search_fragment_and_page_over_http(client, desk_site):
    tag = secrets.token_hex(3)
    with desk_site.begin() as ctx:
        doc = pengaduan(ctx, DESA_KOTA, f"Markus {tag}")
    email = make_user(desk_site, f"srh-{tag}@uji.id", ["Front Office"])
    assert client.get("/app/search?q=x", follow_redirects=False).status_code == 303  # login
    login(client, email)
    fragment = client.get("/app/search", params={"q": doc.name, "fragment": "1"})
    assert fragment.status_code == 200
    assert "<html" not in fragment.text
    assert f'data-href="/app/pengaduan/{doc.name}"' in fragment.text
    assert 'role="option"' in fragment.text
    page = client.get("/app/search", params={"q": f"Markus {tag}"})
    assert page.status_code == 200 and "<html" in page.text
    assert f"/app/pengaduan/{doc.name}" in page.text
    none = client.get("/app/search", params={"q": f"tidak-ada-{tag}", "fragment": "1"})
    assert 'data-testid="search-none"' in none.text
    home = client.get("/app")
    assert 'data-testid="awesome-bar"' in home.text and "/assets/desk/search.js" in home.text
