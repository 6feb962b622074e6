"""REST v1 basics: envelopes, status codes, CRUD, errors as Frappe's clients expect them."""

from __future__ import annotations

import json

from api_helpers import make_user


def test_ping_and_unknown_route(http):
    assert http.get("/api/method/ping").json() == {"message": "pong"}
    response = http.get("/api/nothing/here")
    assert response.status_code == 404
    assert response.json()["exc_type"] == "DoesNotExistError"


def test_crud_round_trip(http, admin_auth):
    created = http.post(
        "/api/resource/Uji Validasi",
        json={"kode": "R1", "nama": "Rest", "baris": [{"item": "a", "jumlah": 2}]},
        headers=admin_auth,
    )
    assert created.status_code == 200, created.text
    doc = created.json()["data"]
    assert doc["name"] == "R1" and doc["baris"][0]["item"] == "a"
    assert "nama_lembaga" not in doc  # v1 omits nulls
    got = http.get("/api/resource/Uji Validasi/R1", headers=admin_auth).json()["data"]
    assert got["nama"] == "Rest"
    updated = http.put(
        "/api/resource/Uji Validasi/R1",
        json={"nama": "Baru", "baris": [{"item": "b"}]},
        headers=admin_auth,
    )
    assert updated.json()["data"]["nama"] == "Baru"
    assert [r["item"] for r in updated.json()["data"]["baris"]] == ["b"]
    listed = http.get(
        "/api/resource/Uji Validasi",
        params={
            "fields": json.dumps(["name", "nama"]),
            "filters": json.dumps([["name", "=", "R1"]]),
        },
        headers=admin_auth,
    )
    assert listed.json() == {"data": [{"name": "R1", "nama": "Baru"}]}
    deleted = http.delete("/api/resource/Uji Validasi/R1", headers=admin_auth)
    assert deleted.status_code == 202 and deleted.json() == {"data": "ok"}
    assert http.get("/api/resource/Uji Validasi/R1", headers=admin_auth).status_code == 404


def test_validation_error_body(http, admin_auth):
    response = http.post("/api/resource/Uji Validasi", json={"kode": "R2"}, headers=admin_auth)
    assert response.status_code == 417
    body = response.json()
    assert body["exc_type"] == "MandatoryError"
    messages = [json.loads(m) for m in json.loads(body["_server_messages"])]
    assert "Nama" in messages[0]["message"]
    assert body["_field_errors"][0]["field"] == "nama"


def test_bad_input_gets_4xx_and_changes_nothing(http, admin_auth):
    headers = {**admin_auth, "Content-Type": "application/json"}
    assert (
        http.post("/api/resource/Uji Validasi", content=b"{bad json", headers=headers).status_code
        == 400
    )
    unknown = http.post(
        "/api/resource/Uji Validasi",
        json={"kode": "R3", "nama": "x", "tidak_ada": 1},
        headers=admin_auth,
    )
    assert unknown.status_code == 417 and "tidak_ada" in unknown.json()["_error_message"]
    wrong = http.post(
        "/api/resource/Uji Validasi",
        json={"kode": "R3", "nama": "x", "jumlah": "banyak"},
        headers=admin_auth,
    )
    assert wrong.status_code == 417
    sql = http.get(
        "/api/resource/Uji Validasi",
        params={"fields": '["name; drop table x"]'},
        headers=admin_auth,
    )
    assert sql.status_code == 417 and sql.json()["exc_type"] == "FilterError"
    op = http.get(
        "/api/resource/Uji Validasi",
        params={"filters": '[["name", "regexp", "x"]]'},
        headers=admin_auth,
    )
    assert op.status_code == 417
    big = http.post(
        "/api/resource/Uji Validasi",
        content=b"{" + b" " * (11 * 1024 * 1024) + b"}",
        headers=headers,
    )
    assert big.status_code == 413
    assert http.get("/api/resource/Uji Validasi/R3", headers=admin_auth).status_code == 404


def test_auth_token_basic_and_guest(http, site):
    keys = make_user(site, "api.user@uji.id", roles=("System Manager",))
    assert http.get(
        "/api/method/frappe.auth.get_logged_user", headers={"Authorization": keys["token"]}
    ).json() == {"message": "api.user@uji.id"}
    assert (
        http.get(
            "/api/method/frappe.auth.get_logged_user", headers={"Authorization": keys["basic"]}
        ).json()["message"]
        == "api.user@uji.id"
    )
    assert http.get("/api/method/frappe.auth.get_logged_user").status_code == 403
    bad = http.get(
        "/api/method/frappe.auth.get_logged_user", headers={"Authorization": "token x:y"}
    )
    assert bad.status_code == 401 and bad.json()["exc_type"] == "AuthenticationError"
    assert http.get("/api/resource/Uji Validasi").status_code in (401, 403)


def test_login_session_cookie_and_csrf(http, site):
    make_user(site, "sesi@uji.id", roles=("System Manager",))
    bad = http.post("/api/method/login", json={"usr": "sesi@uji.id", "pwd": "salah"})
    assert bad.status_code == 401 and bad.json()["exc_type"] == "AuthenticationError"
    ok = http.post("/api/method/login", json={"usr": "sesi@uji.id", "pwd": "Kupang-Lontar-2026!"})
    assert ok.status_code == 200
    assert ok.json()["message"] == "Logged In" and ok.json()["full_name"] == "sesi"
    assert "httponly" in ok.headers["set-cookie"].lower()
    assert http.get("/api/method/frappe.auth.get_logged_user").json()["message"] == "sesi@uji.id"
    http.post("/api/method/logout")
    assert http.get("/api/method/frappe.auth.get_logged_user").status_code == 403


def test_frappe_client_methods(http, admin_auth):
    insert = http.post(
        "/api/method/frappe.client.insert",
        json={"doc": {"doctype": "Uji Validasi", "kode": "C1", "nama": "Klien"}},
        headers=admin_auth,
    )
    assert insert.json()["message"]["name"] == "C1"
    value = http.get(
        "/api/method/frappe.client.get_value",
        params={
            "doctype": "Uji Validasi",
            "fieldname": "nama",
            "filters": json.dumps({"name": "C1"}),
        },
        headers=admin_auth,
    )
    assert value.json() == {"message": {"nama": "Klien"}}
    count = http.get(
        "/api/method/frappe.client.get_count",
        params={"doctype": "Uji Validasi", "filters": json.dumps({"name": "C1"})},
        headers=admin_auth,
    )
    assert count.json() == {"message": 1}
    setv = http.post(
        "/api/method/frappe.client.set_value",
        json={"doctype": "Uji Validasi", "name": "C1", "fieldname": "nama", "value": "Ubah"},
        headers=admin_auth,
    )
    assert setv.json()["message"]["nama"] == "Ubah"
    stale = http.post(
        "/api/method/frappe.client.save",
        json={
            "doc": {
                "doctype": "Uji Validasi",
                "name": "C1",
                "nama": "x",
                "modified": "2000-01-01 00:00:00",
            }
        },
        headers=admin_auth,
    )
    assert stale.status_code == 417 and stale.json()["exc_type"] == "TimestampMismatchError"
    assert (
        http.post(
            "/api/method/frappe.client.delete",
            json={"doctype": "Uji Validasi", "name": "C1"},
            headers=admin_auth,
        ).status_code
        == 200
    )
    assert http.post("/api/method/not.a.method", headers=admin_auth).status_code == 403


def test_v2_envelopes(http, admin_auth):
    http.post(
        "/api/v2/document/Uji Validasi", json={"kode": "V2X", "nama": "Dua"}, headers=admin_auth
    )
    got = http.get("/api/v2/document/Uji Validasi/V2X", headers=admin_auth).json()["data"]
    assert got["nama_lembaga"] is None  # v2 keeps nulls
    page = http.get("/api/v2/document/Uji Validasi", params={"limit": 1}, headers=admin_auth).json()
    assert "has_next_page" in page
    patched = http.patch(
        "/api/v2/document/Uji Validasi/V2X", json={"nama": "Dua!"}, headers=admin_auth
    )
    assert patched.json()["data"]["nama"] == "Dua!"
    assert http.get("/api/v2/doctype/Uji Validasi/count", headers=admin_auth).json()["data"] >= 1
    assert (
        http.get("/api/v2/doctype/Uji Validasi/meta", headers=admin_auth).json()["data"]["name"]
        == "Uji Validasi"
    )
    err = http.post("/api/v2/document/Uji Validasi", json={"kode": "V2Y"}, headers=admin_auth)
    assert err.status_code == 417 and err.json()["errors"][0]["type"] == "MandatoryError"
    assert http.delete("/api/v2/document/Uji Validasi/V2X", headers=admin_auth).status_code == 202


def test_csrf_is_checked_for_cookie_sessions_that_hold_a_token(http, site):
    from layanan_sosial.core.auth.sessions import csrf_token, get_session

    make_user(site, "csrf@uji.id", roles=("System Manager",))
    http.post("/api/method/login", json={"usr": "csrf@uji.id", "pwd": "Kupang-Lontar-2026!"})
    sid = http.cookies.get("sid")
    with site.begin() as ctx:  # what the desk does when it renders a page for the session
        token = csrf_token(ctx, get_session(ctx, sid))
    body = {"kode": "CS1", "nama": "csrf"}
    refused = http.post("/api/resource/Uji Validasi", json=body)
    assert refused.status_code == 400 and refused.json()["exc_type"] == "CSRFTokenError"
    accepted = http.post(
        "/api/resource/Uji Validasi", json=body, headers={"X-Frappe-CSRF-Token": token}
    )
    assert accepted.status_code == 200
    assert http.get("/api/resource/Uji Validasi/CS1").status_code == 200  # GET needs no token
    http.post("/api/method/logout", headers={"X-Frappe-CSRF-Token": token})


def test_list_with_count_and_child_rows(http, admin_auth):
    for kode in ("WC1", "WC2"):
        http.post(
            "/api/resource/Uji Validasi",
            json={"kode": kode, "nama": "hitung", "baris": [{"item": kode}]},
            headers=admin_auth,
        )
    response = http.get(
        "/api/resource/Uji Validasi",
        params={
            "filters": '{"nama": "hitung"}',
            "limit_page_length": 1,
            "with_count": 1,
            "with_child_rows": 1,
            "order_by": "name asc",
        },
        headers=admin_auth,
    ).json()
    assert response["count"] == 2 and len(response["data"]) == 1
    assert response["data"][0]["baris"][0]["item"] == "WC1"
