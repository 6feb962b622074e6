"""OpenAPI from meta (customisations included at once), link search, run_doc_method."""

from __future__ import annotations

from api_helpers import make_user
from sitekit import drop_site, make_site


def test_openapi_lists_readable_doctypes_and_their_fields(http, site, admin_auth):
    spec = http.get("/api/openapi.json", headers=admin_auth).json()
    assert spec["openapi"].startswith("3.")
    assert "/api/resource/Uji Validasi" in spec["paths"]
    props = spec["components"]["schemas"]["Uji_Validasi"]["properties"]
    assert props["jenis"]["enum"] == ["Perorangan", "Lembaga"]
    assert "nama" in spec["components"]["schemas"]["Uji_Validasi"]["required"]
    assert http.get("/api/openapi.json").status_code == 403
    petugas = make_user(site, "openapi.petugas@uji.id", roles=("Uji Petugas",))
    limited = http.get("/api/openapi.json", headers={"Authorization": petugas["token"]}).json()
    assert "/api/resource/Uji Warga" in limited["paths"]
    assert "nik" not in limited["components"]["schemas"]["Uji_Warga"]["properties"]  # permlevel 1
    assert "/api/resource/Uji Validasi" not in limited["paths"]
    page = http.get("/api/docs", headers=admin_auth)
    assert page.status_code == 200 and "Uji Validasi" in page.text


def test_openapi_shows_a_new_custom_field_without_restart(sites_root, monkeypatch):
    from starlette.applications import Starlette
    from starlette.testclient import TestClient

    from layanan_sosial.core.api.routes import api_routes
    from layanan_sosial.core.customize import add_custom_field
    from layanan_sosial.core.users import generate_keys

    fresh = make_site(sites_root, "sqlite")
    try:
        monkeypatch.setenv("LAYANAN_SITES_DIR", str(fresh.root))
        with fresh.begin() as ctx:
            key, secret = generate_keys(ctx, "Administrator")
        headers = {"Authorization": f"token {key}:{secret}"}
        with TestClient(Starlette(routes=api_routes()), base_url=f"http://{fresh.name}") as client:
            before = client.get("/api/openapi.json", headers=headers).json()
            assert "catatan_khusus" not in before["components"]["schemas"]["Uji_Kait"]["properties"]
            with fresh.begin() as ctx:
                add_custom_field(
                    ctx,
                    "Uji Kait",
                    {"fieldname": "catatan_khusus", "label": "Catatan Khusus", "fieldtype": "Data"},
                )
            after = client.get("/api/openapi.json", headers=headers).json()
            assert "catatan_khusus" in after["components"]["schemas"]["Uji_Kait"]["properties"]
    finally:
        drop_site(fresh)


def test_search_link_matches_title_and_respects_permissions(http, site, admin_auth):
    for kode, nama in (("SL1", "Lembaga Kasih"), ("SL2", "Yayasan Harapan")):
        http.post(
            "/api/resource/Uji Validasi", json={"kode": kode, "nama": nama}, headers=admin_auth
        )
    found = http.get(
        "/api/method/frappe.desk.search.search_link",
        params={"doctype": "Uji Validasi", "txt": "kasih"},
        headers=admin_auth,
    )
    assert [r["value"] for r in found.json()["message"]] == ["SL1"]
    assert "Lembaga Kasih" in found.json()["message"][0]["description"]
    petugas = make_user(site, "search.petugas@uji.id", roles=("Uji Petugas",))
    denied = http.get(
        "/api/method/frappe.desk.search.search_link",
        params={"doctype": "Uji Validasi", "txt": "kasih"},
        headers={"Authorization": petugas["token"]},
    )
    assert denied.status_code == 403


def test_document_methods_only_when_whitelisted(http, admin_auth):
    name = http.post("/api/resource/Uji Hook", json={"judul": "m"}, headers=admin_auth).json()[
        "data"
    ]["name"]
    result = http.post(
        "/api/method/run_doc_method",
        json={"dt": "Uji Hook", "dn": name, "method": "tambah", "args": {"n": 3}},
        headers=admin_auth,
    )
    assert result.status_code == 200, result.text
    assert result.json()["message"] == 3 and result.json()["docs"][0]["name"] == name
    refused = http.post(
        "/api/method/run_doc_method",
        json={"dt": "Uji Hook", "dn": name, "method": "rahasia"},
        headers=admin_auth,
    )
    assert refused.status_code == 403
    via_resource = http.post(
        f"/api/resource/Uji Hook/{name}", json={"run_method": "tambah"}, headers=admin_auth
    )
    assert via_resource.json()["data"] == 1
    via_v2 = http.post(
        f"/api/v2/document/Uji Hook/{name}/method/tambah", json={"n": 2}, headers=admin_auth
    )
    assert via_v2.json()["data"] == 2
