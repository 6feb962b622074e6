"""upload_file and downloads: private files only for those who may read them."""

from __future__ import annotations

from api_helpers import make_user


def test_upload_attach_and_download_with_permissions(http, site, admin_auth):
    http.post(
        "/api/resource/Uji Validasi", json={"kode": "F1", "nama": "Berkas"}, headers=admin_auth
    )
    upload = http.post(
        "/api/method/upload_file",
        files={"file": ("surat keputusan.pdf", b"%PDF-1.4 isi surat", "application/pdf")},
        data={"is_private": "1", "doctype": "Uji Validasi", "docname": "F1"},
        headers=admin_auth,
    )
    assert upload.status_code == 200, upload.text
    file = upload.json()["message"]
    assert file["file_url"].startswith("/private/files/") and file["file_size"] == 18
    assert file["attached_to_name"] == "F1"
    assert http.get(file["file_url"], headers=admin_auth).content == b"%PDF-1.4 isi surat"
    stranger = make_user(site, "asing@uji.id", roles=("Uji Petugas",))
    denied = http.get(file["file_url"], headers={"Authorization": stranger["token"]})
    assert denied.status_code == 403 and denied.json()["exc_type"] == "PermissionError"
    assert http.get(file["file_url"]).status_code == 403  # guest
    public = http.post(
        "/api/method/upload_file",
        files={"file": ("logo.png", b"\x89PNG data", "image/png")},
        data={"is_private": "0"},
        headers=admin_auth,
    ).json()["message"]
    assert public["file_url"].startswith("/files/")
    assert http.get(public["file_url"]).content == b"\x89PNG data"


def test_upload_sets_attach_field_and_refuses_guests_and_path_tricks(http, admin_auth):
    http.post("/api/resource/Uji Semua Tipe", json={"data": "lampiran"}, headers=admin_auth)
    name = http.get(
        "/api/resource/Uji Semua Tipe",
        params={"filters": '{"data": "lampiran"}'},
        headers=admin_auth,
    ).json()["data"][0]["name"]
    up = http.post(
        "/api/method/upload_file",
        files={"file": ("../../etc/passwd", b"bukan rahasia", "text/plain")},
        data={"doctype": "Uji Semua Tipe", "docname": name, "fieldname": "attach"},
        headers=admin_auth,
    ).json()["message"]
    assert up["file_name"] == "passwd" and "/" not in up["file_url"].removeprefix("/private/files/")
    doc = http.get(f"/api/resource/Uji Semua Tipe/{name}", headers=admin_auth).json()["data"]
    assert doc["attach"] == up["file_url"]
    guest = http.post("/api/method/upload_file", files={"file": ("a.txt", b"x", "text/plain")})
    assert guest.status_code == 403
    assert (
        http.get("/private/files/..%2F..%2Fsite_config.json", headers=admin_auth).status_code == 404
    )
