"""Text Editor values are stored as safe HTML whichever way they come in (REST insert and
update, child rows, the engine): scripts, event handlers and javascript: links go, the
editor's formatting stays, links get rel="noopener noreferrer"; a field with
`ignore_xss_filter: 1` keeps what was sent. The desk shows the cleaned HTML."""

from __future__ import annotations

import json
import re
import secrets

import pytest
from desk_helpers import login, make_user, root_conftest
from starlette.testclient import TestClient

from layanan_sosial.core import customize as cz
from layanan_sosial.core.document.html import safe_html, sanitize
from layanan_sosial.core.web.app import create_app

shared = root_conftest()

PARENT = "Uji Catatan Html"
CHILD = "Uji Catatan Html Baris"

ATTACK = (
    '<p>Awal<script>alert("x")</script></p>'
    '<p><img src="x" onerror="alert(1)">gambar</p>'
    '<p><a href="javascript:alert(2)" onclick="alert(3)">tautan jahat</a></p>'
    '<p onmouseover="alert(4)" style="color:red">lewat</p>'
    "<iframe src='https://contoh.id'></iframe>"
)
FORMATTED = (
    "<h2>Hasil Asesmen</h2>"
    "<p><strong>Tebal</strong>, <em>miring</em>, <u>garis bawah</u>, <s>coret</s></p>"
    "<ul><li>satu</li><li>dua</li></ul><ol><li>pertama</li></ol>"
    '<p><a href="https://dinsos.kupangkota.go.id/layanan" target="_blank">situs</a> '
    '<a href="/app/penerima-manfaat">daftar</a></p>'
    "<blockquote>kutipan</blockquote><pre>kode</pre>"
)


def _ensure_doctypes(site) -> None:
    with site.begin() as ctx:
        if ctx.exists("DocType", PARENT):
            return
        cz.create_doctype(
            ctx,
            {
                "name": CHILD,
                "module": "Core",
                "istable": 1,
                "fields": [
                    {"fieldname": "judul", "fieldtype": "Data", "label": "Judul"},
                    {"fieldname": "isi", "fieldtype": "Text Editor", "label": "Isi"},
                ],
            },
        )
        cz.create_doctype(
            ctx,
            {
                "name": PARENT,
                "module": "Core",
                "autoname": "hash",
                "track_changes": 1,
                "fields": [
                    {"fieldname": "judul", "fieldtype": "Data", "label": "Judul"},
                    {"fieldname": "catatan", "fieldtype": "Text Editor", "label": "Catatan"},
                    {
                        "fieldname": "wajib",
                        "fieldtype": "Text Editor",
                        "label": "Ringkasan",
                        "reqd": 1,
                    },
                    {
                        "fieldname": "mentah",
                        "fieldtype": "Text Editor",
                        "label": "Sematan",
                        "ignore_xss_filter": 1,
                    },
                    {"fieldname": "polos", "fieldtype": "Small Text", "label": "Polos"},
                    {
                        "fieldname": "baris",
                        "fieldtype": "Table",
                        "label": "Baris",
                        "options": CHILD,
                    },
                ],
                "permissions": [
                    {"role": "System Manager", "read": 1, "write": 1, "create": 1, "delete": 1},
                    {"role": "Pimpinan", "read": 1},
                ],
            },
        )


@pytest.fixture(scope="module", params=shared.backends())
def doctypes(request, sites_root):
    """A site of its own (these requests commit), with the two test DocTypes."""
    created = shared.make_site(sites_root, request.param)
    _ensure_doctypes(created)
    yield created
    shared.drop_site(created)


@pytest.fixture
def http(doctypes, monkeypatch):
    """The whole web app (REST and desk) answering for the test site."""
    monkeypatch.setenv("LAYANAN_SITES_DIR", str(doctypes.root))
    with TestClient(create_app(), base_url=f"http://{doctypes.name}") as client:
        yield client


@pytest.fixture
def admin_auth(doctypes):
    from layanan_sosial.core.users import generate_keys

    with doctypes.begin() as ctx:
        key, secret = generate_keys(ctx, "Administrator")
    return {"Authorization": f"token {key}:{secret}"}


def _assert_clean(html: str) -> None:
    lowered = html.lower()
    for bad in ("<script", "alert(", "onerror", "onclick", "onmouseover", "javascript:"):
        assert bad not in lowered, (bad, html)
    assert "<iframe" not in lowered and "style=" not in lowered and "<img" not in lowered


def _stored(site, name: str) -> dict:
    with site.begin() as ctx:
        return ctx.get_doc(PARENT, name).as_dict()


def test_rest_insert_strips_scripts_handlers_and_javascript_links(http, doctypes, admin_auth):
    body = {
        "judul": f"serang {secrets.token_hex(3)}",
        "catatan": ATTACK,
        "wajib": "<p>ringkas</p>",
        "polos": "<b>biar</b>",  # not a Text Editor: kept as typed (shown escaped)
        "baris": [{"judul": "b1", "isi": ATTACK}, {"judul": "b2", "isi": FORMATTED}],
    }
    response = http.post(f"/api/resource/{PARENT}", json=body, headers=admin_auth)
    assert response.status_code == 200, response.text
    answered = response.json()["data"]
    _assert_clean(answered["catatan"])  # the response already shows what was stored
    stored = _stored(doctypes, answered["name"])
    for html in (stored["catatan"], stored["baris"][0]["isi"]):
        _assert_clean(html)
        assert "Awal" in html and "gambar" in html and "tautan jahat" in html and "lewat" in html
        assert '<a rel="noopener noreferrer">tautan jahat</a>' in html
    assert stored["polos"] == "<b>biar</b>"
    assert stored["baris"][1]["isi"] == sanitize(FORMATTED)
    assert "<strong>Tebal</strong>" in stored["baris"][1]["isi"]


def test_allowed_formatting_is_kept_and_links_get_rel(http, doctypes, admin_auth):
    response = http.post(
        f"/api/resource/{PARENT}",
        json={"judul": "format", "catatan": FORMATTED, "wajib": "<p>x</p>"},
        headers=admin_auth,
    )
    assert response.status_code == 200, response.text
    html = _stored(doctypes, response.json()["data"]["name"])["catatan"]
    for kept in (
        "<h2>Hasil Asesmen</h2>",
        "<strong>Tebal</strong>",
        "<em>miring</em>",
        "<u>garis bawah</u>",
        "<s>coret</s>",
        "<ul><li>satu</li><li>dua</li></ul>",
        "<ol><li>pertama</li></ol>",
        "<blockquote>kutipan</blockquote>",
        "<pre>kode</pre>",
    ):
        assert kept in html, (kept, html)
    assert (
        '<a href="https://dinsos.kupangkota.go.id/layanan" target="_blank" '
        'rel="noopener noreferrer">situs</a>' in html
    )
    assert '<a href="/app/penerima-manfaat" rel="noopener noreferrer">daftar</a>' in html


def test_rest_update_cleans_parent_and_child_rows(http, doctypes, admin_auth):
    created = http.post(
        f"/api/resource/{PARENT}",
        json={"judul": "ubah", "catatan": "<p>aman</p>", "wajib": "<p>x</p>", "baris": []},
        headers=admin_auth,
    )
    assert created.status_code == 200, created.text
    name = created.json()["data"]["name"]
    updated = http.put(
        f"/api/resource/{PARENT}/{name}",
        json={
            "catatan": '<p>ubah <a href="JaVaScRiPt:alert(1)">klik</a></p><script>x()</script>',
            "baris": [{"judul": "baru", "isi": '<p><img src=x onerror="alert(1)">baris</p>'}],
        },
        headers=admin_auth,
    )
    assert updated.status_code == 200, updated.text
    stored = _stored(doctypes, name)
    assert stored["catatan"] == '<p>ubah <a rel="noopener noreferrer">klik</a></p>'
    assert stored["baris"][0]["isi"] == "<p>baris</p>"
    # the Version of the change holds the cleaned value, not what was sent
    with doctypes.begin() as ctx:
        versions = ctx.get_all(
            "Version", filters={"ref_doctype": PARENT, "docname": name}, pluck="data"
        )
    assert versions and all("script" not in v and "onerror" not in v for v in versions)
    assert any("klik" in v for v in versions)


def test_insert_many_and_a_script_only_value_counts_as_empty(http, doctypes, admin_auth):
    tag = secrets.token_hex(3)
    response = http.post(
        "/api/method/frappe.client.insert_many",
        json={
            "docs": json.dumps(
                [
                    {
                        "doctype": PARENT,
                        "judul": f"banyak {tag}",
                        "catatan": "<p onclick='x()'>satu</p>",
                        "wajib": "<p>ok</p>",
                    }
                ]
            )
        },
        headers=admin_auth,
    )
    assert response.status_code == 200, response.text
    name = response.json()["message"][0]
    assert _stored(doctypes, name)["catatan"] == "<p>satu</p>"
    # only a script in a mandatory Text Editor: after cleaning nothing is left → required
    refused = http.post(
        f"/api/resource/{PARENT}",
        json={"judul": "kosong", "wajib": "<script>alert(1)</script>"},
        headers=admin_auth,
    )
    assert refused.status_code == 417, refused.text
    assert "Ringkasan" in refused.text


def test_ignore_xss_filter_keeps_the_value(http, doctypes, admin_auth):
    raw = '<div class="peta"><iframe src="https://peta.contoh.id/embed"></iframe></div>'
    response = http.post(
        f"/api/resource/{PARENT}",
        json={"judul": "sematan", "mentah": raw, "catatan": raw, "wajib": "<p>x</p>"},
        headers=admin_auth,
    )
    assert response.status_code == 200, response.text
    stored = _stored(doctypes, response.json()["data"]["name"])
    assert stored["mentah"] == raw
    assert stored["catatan"] == ""  # the same HTML in a filtered field: nothing allowed is left


def test_engine_save_cleans_and_resaving_writes_no_new_version(doctypes):
    with doctypes.begin() as ctx:
        doc = ctx.new_doc(
            PARENT,
            judul="mesin",
            catatan=FORMATTED + "<script>1</script>",
            wajib="<p>x</p>",
            baris=[{"judul": "r", "isi": "<p onclick='x'>r</p>"}],
        ).insert()
        name = doc.name
        assert doc.catatan == sanitize(FORMATTED) and doc.baris[0].isi == "<p>r</p>"
    with doctypes.begin() as ctx:
        again = ctx.get_doc(PARENT, name)
        again.save()  # cleaning clean HTML changes nothing: no Version row
        assert not ctx.get_all("Version", filters={"ref_doctype": PARENT, "docname": name})


def test_safe_html_marks_only_sanitised_output():
    shown = safe_html('<p>hai<script>alert(1)</script><a href="javascript:x">a</a></p>')
    assert str(shown) == '<p>hai<a rel="noopener noreferrer">a</a></p>'
    assert hasattr(shown, "__html__")  # Markup: Jinja renders it as HTML
    assert str(safe_html(None)) == ""


def test_desk_form_and_timeline_render_the_cleaned_html(doctypes, http):
    """The desk's form and the Version diff in its timeline show the stored HTML as
    formatting, never a script (the rendered page is checked, not only the stored value)."""
    with doctypes.begin() as ctx:
        doc = ctx.new_doc(PARENT, judul="tampil", catatan="<p>lama</p>", wajib="<p>x</p>")
        doc.insert()
        name = doc.name
    with doctypes.begin() as ctx:
        doc = ctx.get_doc(PARENT, name)
        doc.catatan = "<p><strong>baru</strong><img src=x onerror=alert(9)></p>"
        doc.save()
        doc.db_set("mentah", "<p>mentah<img src=x onerror=alert(8)></p>")
    email = make_user(doctypes, f"te-{secrets.token_hex(4)}@uji.id", ["System Manager"])
    assert login(http, email).status_code == 303
    page = http.get(f"/app/uji-catatan-html/{name}")
    assert page.status_code == 200
    tags = _elements(page.text)  # what a browser builds (script data and attribute text aside)
    assert not [t for t in tags if t[0] in ("img", "iframe")]
    assert not [t for t in tags if any(k.startswith("on") for k in t[1])]
    # the editor starts from the cleaned HTML and the timeline's Version diff shows the
    # change as formatting: old text struck through, the new one bold
    assert [t[0] for t in tags].count("strong") >= 2
    assert ("del", {}) in tags and ("ins", {}) in tags
    assert "<del><p>lama</p></del>" in page.text
    assert "<ins><p><strong>baru</strong></p></ins>" in page.text
    # a value kept unfiltered (ignore_xss_filter) is still cleaned for display
    assert (
        '<div class="te-body" id="te-mentah" aria-labelledby="lbl-mentah"><p>mentah</p></div>'
        in (page.text)
    )

    # a reader who may not write sees the formatting in the read-only view, no editor
    reader = make_user(doctypes, f"te-{secrets.token_hex(4)}@uji.id", ["Pimpinan"])
    http.cookies.clear()
    assert login(http, reader).status_code == 303
    view = http.get(f"/app/uji-catatan-html/{name}").text
    assert "data-text-editor" not in view
    assert re.search(
        r'<div class="te-view" id="f-catatan"[^>]*aria-labelledby="lbl-catatan"[^>]*>'
        r"<p><strong>baru</strong></p></div>",
        view,
    )
    assert not [t for t in _elements(view) if t[0] == "img"]


def _elements(html: str) -> list[tuple[str, dict]]:
    from html.parser import HTMLParser

    found: list[tuple[str, dict]] = []

    class Collect(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append((tag, dict(attrs)))

    Collect().feed(html)
    return found


def test_a_document_submitted_before_sanitising_existed_can_still_be_cancelled(doctypes):
    """Old rows may hold HTML the allow-list now removes: cancelling must not read that as
    a change of a submitted field."""
    from layanan_sosial.core.db.tables import table_for

    name = f"Uji Surat Html {secrets.token_hex(2)}"
    with doctypes.begin() as ctx:
        cz.create_doctype(
            ctx,
            {
                "name": name,
                "module": "Core",
                "autoname": "hash",
                "is_submittable": 1,
                "fields": [{"fieldname": "isi", "fieldtype": "Text Editor", "label": "Isi"}],
                "permissions": [
                    {"role": "System Manager", "read": 1, "write": 1, "create": 1}
                    | {"submit": 1, "cancel": 1}
                ],
            },
        )
    with doctypes.begin() as ctx:
        doc = ctx.new_doc(name, isi="<p>halo</p>").insert()
        doc.submit()
        table = table_for(ctx.get_meta(name))
        ctx.conn.execute(  # as stored by a version without the sanitiser
            table.update().where(table.c.name == doc.name).values(isi='<p onclick="x()">halo</p>')
        )
    with doctypes.begin() as ctx:
        old = ctx.get_doc(name, doc.name)
        old.cancel()
        assert ctx.get_value(name, doc.name, "docstatus") == 2
