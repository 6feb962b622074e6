"""DocType actions as form buttons (core/desk/formview.form_actions), on both backends: the
shipped Pengaduan declares "Buat Kasus" in its JSON (only for the roles it names, with a
live depends_on); any DocType — one created at run time too — gets buttons from a
DocType-level Property Setter `actions`; hidden rows, unknown action types and new documents
show none. The button's method call itself is covered by tests/browser/test_desk_flows.py."""

from __future__ import annotations

import html
import re
import secrets

import pytest
from desk_helpers import login, make_user, root_conftest
from starlette.testclient import TestClient

from layanan_sosial.core import customize as cz
from layanan_sosial.core.meta.model import slug
from layanan_sosial.core.web.app import create_app

shared = root_conftest()
BUTTON = re.compile(r"<button[^>]*data-form-action=[^>]*>[^<]*</button>", re.S)


@pytest.fixture(scope="module", params=shared.backends())
def actions_site(request, sites_root):
    created = shared.make_site(sites_root, request.param)
    yield created
    shared.drop_site(created)


@pytest.fixture
def client(actions_site, monkeypatch):
    monkeypatch.setenv("LAYANAN_SITES_DIR", str(actions_site.root))
    with TestClient(create_app(), base_url=f"http://{actions_site.name}") as test_client:
        yield test_client


def _buttons(page: str) -> list[str]:
    return [html.unescape(b) for b in BUTTON.findall(page)]


def _as(client, site, roles):
    client.cookies.clear()
    email = make_user(site, f"aksi-{secrets.token_hex(4)}@uji.id", roles)
    assert login(client, email).status_code == 303
    return email


def test_pengaduan_offers_buat_kasus_to_case_workers_only(client, actions_site):
    with actions_site.begin() as ctx:
        aduan = ctx.new_doc(
            "Pengaduan",
            kanal="Telepon",
            kategori="JPS Kesehatan",
            nama_pelapor="Yosefina",
            wilayah="53.71.02.1001",
            uraian="Butuh KIS",
        ).insert()
    _as(client, actions_site, ["Pekerja Sosial"])
    page = client.get(f"/app/pengaduan/{aduan.name}").text
    [button] = _buttons(page)
    assert 'data-form-action="layanan_sosial.slrt.api.buat_kasus"' in button
    assert 'data-action-arg="pengaduan"' in button and ">Buat Kasus<" in button
    assert "data-depends-on=\"eval:doc.workflow_state == 'Diverifikasi' && !doc.kasus\"" in button
    assert _buttons(client.get("/app/pengaduan/new").text) == []  # nothing to act on yet
    _as(client, actions_site, ["Front Office"])
    assert _buttons(client.get(f"/app/pengaduan/{aduan.name}").text) == []  # not its role


def test_property_setter_gives_a_run_time_doctype_its_buttons(client, actions_site):
    name = f"Aksi Uji {secrets.token_hex(3)}"
    with actions_site.begin() as ctx:
        cz.create_doctype(
            ctx,
            {
                "name": name,
                "module": "Bencana",
                "autoname": "hash",
                "fields": [{"fieldname": "judul", "fieldtype": "Data", "label": "Judul"}],
                "permissions": [{"role": "System Manager", "read": 1, "write": 1, "create": 1}],
            },
        )
    with actions_site.begin() as ctx:
        cz.set_property(
            ctx,
            name,
            "actions",
            [
                {"label": "Cetak Ulang", "action_type": "Route", "action": "/app/x/{name}"},
                {"label": "Hitung", "action": "layanan_sosial.modul.hitung", "arg": "nama"},
                {"label": "Tersembunyi", "action": "a.b", "hidden": 1},
                {"label": "Aneh", "action": "a.b", "action_type": "Shell"},
                {"label": "Khusus", "action": "a.b", "roles": "Pimpinan\nManajer SLRT"},
            ],
            property_type="JSON",
        )
        doc = ctx.new_doc(name, judul="satu").insert()
    _as(client, actions_site, ["System Manager"])
    page = client.get(f"/app/{slug(name)}/{doc.name}")
    assert page.status_code == 200
    labels = [re.search(r">([^<]*)</button>", b).group(1) for b in _buttons(page.text)]
    assert labels == ["Cetak Ulang", "Hitung"]
    route, method = _buttons(page.text)
    assert 'data-action-type="Route"' in route and 'data-form-action="/app/x/{name}"' in route
    assert 'data-action-type="Server Action"' in method and 'data-action-arg="nama"' in method
