"""Forgotten password and password change, over REST (Frappe's
`frappe.core.doctype.user.user.reset_password` / `update_password`) and the desk pages, on
both databases, with a real local SMTP server catching the emails.

The reset answer never tells whether an address has an account; the link's key works once,
expires, is replaced by a newer request; a new password obeys the policy, ends the user's
other sessions and clears a login lockout; every step leaves an Activity Log row."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import hashlib
import re
import secrets
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest
from mailkit import Received, smtp_capture
from sitekit import backends, drop_site, make_site
from starlette.applications import Starlette
from starlette.testclient import TestClient

from layanan_sosial.core.api.routes import api_routes
from layanan_sosial.core.auth.reset_keys import issue_key
from layanan_sosial.core.auth.tables import reset_keys_table, sessions_table
from layanan_sosial.core.jobs import wait_for_jobs
from layanan_sosial.core.site import Site
from layanan_sosial.core.web.app import create_app

PASSWORD = "Kupang-Lontar-2026!"
NEW_PASSWORD = "Sabu-Raijua-Tenun-77"
HOST = "https://dinsos.uji.id"
RESET = "/api/method/frappe.core.doctype.user.user.reset_password"
UPDATE = "/api/method/frappe.core.doctype.user.user.update_password"
LINK = re.compile(re.escape(HOST) + r"/update-password\?key=([A-Za-z0-9_\-]+)")


@dataclass
class Mailbox:
    """What the local SMTP server received: (recipients, parsed message)."""

    received: Received
    port: int

    def to(self, address: str) -> list[email.message.EmailMessage]:
        wait_for_jobs(30)  # the reset email is sent by an in-process job
        return [msg for rcpt, msg in self.received if address in rcpt]

    def key_for(self, address: str) -> str:
        """The key of the latest link mailed to `address`."""
        messages = self.to(address)
        assert messages, f"no email to {address}"
        found = LINK.search(messages[-1].get_content())
        assert found, messages[-1].get_content()
        return found.group(1)


@pytest.fixture(scope="module")
def mailbox() -> Iterator[Mailbox]:
    with smtp_capture() as (port, received):
        yield Mailbox(received, port)


@pytest.fixture(scope="module", params=backends())
def site(request: pytest.FixtureRequest, sites_root, mailbox) -> Iterator[Site]:
    created = make_site(
        sites_root,
        request.param,
        extra={
            "smtp_server": "127.0.0.1",
            "smtp_port": mailbox.port,
            "mail_sender": "dinsos@uji.id",
            "host_name": HOST,
        },
    )
    yield created
    drop_site(created)


@pytest.fixture
def http(site: Site, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    monkeypatch.setenv("LAYANAN_SITES_DIR", str(site.root))
    # the test client plays a trusted proxy, so each test's X-Forwarded-For is its address
    monkeypatch.setenv("LAYANAN_TRUSTED_PROXIES", "testclient")
    with TestClient(Starlette(routes=api_routes()), base_url=f"http://{site.name}") as client:
        yield client


def _user(site: Site, tag: str, **values) -> str:
    address = f"{tag}.{secrets.token_hex(3)}@dinsos.uji.id"
    with site.begin() as ctx:
        ctx.new_doc(
            "User",
            email=address,
            first_name=tag.capitalize(),
            new_password=PASSWORD,
            roles=[{"role": "System Manager"}],
            **values,
        ).insert()
    return address


def _ip() -> dict[str, str]:
    """A client address of its own per test, so the per-IP limit never spills over."""
    return {"X-Forwarded-For": f"10.{secrets.randbelow(250)}.{secrets.randbelow(250)}.7"}


def _request(http: TestClient, address: str, headers: dict | None = None) -> httpx.Response:
    response = http.post(RESET, json={"user": address}, headers=headers or _ip())
    wait_for_jobs(30)  # a pending job for the same user would absorb the next request's
    return response


def _login(http: TestClient, user: str, password: str) -> httpx.Response:
    response = http.post("/api/method/login", json={"usr": user, "pwd": password}, headers=_ip())
    http.cookies.clear()  # each session is then sent explicitly
    return response


def _sid(http: TestClient, user: str, password: str = PASSWORD) -> str:
    response = _login(http, user, password)
    assert response.status_code == 200, response.text
    return response.cookies["sid"]


def _as(sid: str) -> dict[str, str]:
    return {"Cookie": f"sid={sid}"}


def _logged_user(http: TestClient, sid: str) -> str | None:
    response = http.get("/api/method/frappe.auth.get_logged_user", headers=_as(sid))
    return response.json()["message"] if response.status_code == 200 else None


def _activity(site: Site, user: str) -> list[tuple[str, str]]:
    with site.begin() as ctx:
        rows = ctx.get_all(
            "Activity Log",
            filters={"reference_doctype": "User", "reference_name": user},
            fields=["status", "subject", "operation"],
            order_by="creation asc",
        )
    assert all(not r["operation"] for r in rows)  # not mistaken for sign-in events
    return [(r["status"], r["subject"]) for r in rows]


def _messages(response: httpx.Response) -> str:
    import json

    return " ".join(
        json.loads(m)["message"] for m in json.loads(response.json()["_server_messages"])
    )


# -- asking for a link -------------------------------------------------------------------


def test_reset_email_carries_a_working_link_and_only_the_keys_hash_is_stored(site, http, mailbox):
    user = _user(site, "lupa")
    response = _request(http, user.upper())  # the address is matched case-insensitively
    assert response.status_code == 200, response.text
    assert response.json()["message"].startswith("Jika alamat itu terdaftar")
    [mail] = mailbox.to(user)
    assert mail["Subject"] == "Atur ulang kata sandi Layanan Sosial Terpadu"
    assert mail["From"] == "dinsos@uji.id"
    body = mail.get_content()
    assert "berlaku 60 menit" in body and "Lupa" in body  # the expiry and the user's name
    key = mailbox.key_for(user)
    with site.begin() as ctx:
        stored = [tuple(r) for r in ctx.conn.execute(reset_keys_table.select())]
    mine = [r for r in stored if r[1] == user]
    assert [r[0] for r in mine] == [hashlib.sha256(key.encode()).hexdigest()]
    assert all(key not in str(r) for r in stored)  # never in clear

    updated = http.post(UPDATE, json={"key": key, "new_password": NEW_PASSWORD}, headers=_ip())
    assert updated.status_code == 200, updated.text
    assert updated.json() == {"message": "/app"}  # Frappe's answer: the user's home page
    assert _login(http, user, NEW_PASSWORD).status_code == 200
    assert _login(http, user, PASSWORD).status_code == 401
    statuses = _activity(site, user)
    assert ("Success", "atur ulang kata sandi: tautan diminta") in statuses
    assert ("Success", "kata sandi diatur ulang lewat tautan email") in statuses


def test_unknown_or_disabled_address_gets_the_identical_answer_and_no_email(site, http, mailbox):
    known = _user(site, "terdaftar")
    disabled = _user(site, "nonaktif", enabled=0)
    unknown = f"tidak.ada.{secrets.token_hex(3)}@dinsos.uji.id"
    answers = [_request(http, address) for address in (known, unknown, disabled, "Administrator")]
    assert {a.status_code for a in answers} == {200}
    assert len({a.content for a in answers}) == 1  # byte for byte the same
    assert len(mailbox.to(known)) == 1
    assert mailbox.to(unknown) == [] and mailbox.to(disabled) == []
    assert mailbox.to("admin@example.com") == []  # Administrator never resets by email
    with site.begin() as ctx:
        logged = ctx.get_all(
            "Activity Log",
            filters={"subject": ["like", f"%{unknown}%"]},
            fields=["status", "user"],
        )
    assert [(r["status"], r["user"]) for r in logged] == [("Failed", "Guest")]


def test_frappe_js_sdk_forget_password_path_and_v2(site, http, mailbox):
    """frappe-js-sdk's forgetPassword posts `cmd=` to the site root; v2 answers `data`."""
    user = _user(site, "sdk")
    legacy = http.post("/", json={"cmd": RESET.rsplit("/", 1)[1], "user": user}, headers=_ip())
    assert legacy.status_code == 200 and legacy.json()["message"].startswith("Jika alamat")
    wait_for_jobs(30)
    v2 = http.post(
        RESET.replace("/api/method", "/api/v2/method"), json={"user": user}, headers=_ip()
    )
    assert v2.status_code == 200 and v2.json()["data"].startswith("Jika alamat")
    assert len(mailbox.to(user)) == 2
    # a password never rides in a URL
    assert http.get(RESET, params={"user": user}).status_code == 403


def test_rate_limit_per_address_and_per_ip_answers_429(site, http, mailbox, monkeypatch):
    monkeypatch.setitem(site.config, "password_reset_limit", 2)
    monkeypatch.setitem(site.config, "password_reset_ip_limit", 4)
    user = _user(site, "batas")
    unknown = f"batas.tak.ada.{secrets.token_hex(3)}@dinsos.uji.id"
    for address in (user, unknown):
        assert [_request(http, address).status_code for _ in range(2)] == [200, 200]
        limited = _request(http, address)  # from yet another IP: the address is limited
        assert limited.status_code == 429, limited.text
        body = limited.json()
        assert body["exc_type"] == "TooManyRequestsError"
        assert body["message"] == _messages(limited)  # Frappe's shape, the reason readable
        assert "Terlalu banyak permintaan" in body["message"]
    assert len(mailbox.to(user)) == 2
    # one client address asking for many different addresses
    same_ip = _ip()
    codes = [
        _request(http, f"ip.{n}.{secrets.token_hex(2)}@dinsos.uji.id", same_ip).status_code
        for n in range(5)
    ]
    assert codes == [200, 200, 200, 200, 429]
    with site.begin() as ctx:  # the refusals are logged (committed with the 429 answer)
        refused = ctx.get_count(
            "Activity Log", {"subject": ["like", "%terlalu banyak permintaan dari IP%"]}
        )
    assert refused >= 1


# -- using the link ----------------------------------------------------------------------


def _update(http: TestClient, **args) -> httpx.Response:
    return http.post(UPDATE, json=args, headers=_ip())


def test_a_key_works_once(site, http, mailbox):
    user = _user(site, "sekali")
    _request(http, user)
    key = mailbox.key_for(user)
    assert _update(http, key=key, new_password=NEW_PASSWORD).status_code == 200
    again = _update(http, key=key, new_password="Rote-Ndao-Lontar-55")
    assert again.status_code == 410, again.text
    assert again.json()["exc_type"] == "LinkExpired"
    assert "sudah pernah dipakai" in again.json()["message"]
    assert _login(http, user, NEW_PASSWORD).status_code == 200  # the second try changed nothing
    unknown = _update(http, key="x" * 43, new_password=NEW_PASSWORD)
    assert unknown.status_code == 410 and "sudah pernah dipakai" in unknown.json()["message"]
    with site.begin() as ctx:  # a spent key names no user any more: logged as Guest
        refused = ctx.get_count(
            "Activity Log",
            {"user": "Guest", "subject": "atur ulang kata sandi: tautan tidak berlaku"},
        )
    assert refused >= 2


def test_an_expired_key_is_refused(site, http, monkeypatch):
    user = _user(site, "kedaluwarsa")
    with site.begin() as ctx:  # the link was asked for two hours ago
        ctx.now_override = dt.datetime.now() - dt.timedelta(hours=2)
        key = issue_key(ctx, user)
    refused = _update(http, key=key, new_password=NEW_PASSWORD)
    assert refused.status_code == 410, refused.text
    assert refused.json()["exc_type"] == "LinkExpired"
    assert "kedaluwarsa" in refused.json()["message"]
    assert ("Failed", "atur ulang kata sandi: tautan kedaluwarsa") in _activity(site, user)
    # the lifetime is site_config reset_password_link_expiry_duration (seconds)
    monkeypatch.setitem(site.config, "reset_password_link_expiry_duration", 3 * 3600)
    assert _update(http, key=key, new_password=NEW_PASSWORD).status_code == 200


def test_a_newer_request_invalidates_the_older_key(site, http, mailbox):
    user = _user(site, "baru")
    _request(http, user)
    older = mailbox.key_for(user)
    _request(http, user)
    newer = mailbox.key_for(user)
    assert older != newer and len(mailbox.to(user)) == 2
    assert _update(http, key=older, new_password=NEW_PASSWORD).status_code == 410
    assert _update(http, key=newer, new_password=NEW_PASSWORD).status_code == 200


def test_a_weak_password_is_refused_on_its_field_and_nothing_changes(site, http, mailbox):
    user = _user(site, "lemah")
    sid = _sid(http, user)
    _request(http, user)
    key = mailbox.key_for(user)
    for weak in ("pendek", "password123"):
        refused = _update(http, key=key, new_password=weak)
        assert refused.status_code == 417, refused.text
        body = refused.json()
        assert body["exc_type"] == "ValidationError"
        assert [e["field"] for e in body["_field_errors"]] == ["new_password"]
        assert "Kata sandi" in body["_field_errors"][0]["message"]
    assert _logged_user(http, sid) == user  # the session lives on
    assert _login(http, user, PASSWORD).status_code == 200  # the old password still works
    assert _update(http, key=key, new_password=NEW_PASSWORD).status_code == 200  # key unspent


def test_a_reset_ends_every_session_and_clears_a_lockout(site, http, mailbox):
    user = _user(site, "sesi")
    first, second = _sid(http, user), _sid(http, user)
    for _ in range(5):
        assert _login(http, user, "salah-sekali").status_code == 401
    assert _login(http, user, PASSWORD).status_code == 429  # locked out
    _request(http, user)
    assert _update(http, key=mailbox.key_for(user), new_password=NEW_PASSWORD).status_code == 200
    assert _logged_user(http, first) is None and _logged_user(http, second) is None
    with site.begin() as ctx:
        left = ctx.conn.execute(
            sessions_table.select().where(sessions_table.c.user == user)
        ).fetchall()
    assert left == []
    assert _login(http, user, NEW_PASSWORD).status_code == 200  # no longer locked


# -- changing one's own password -------------------------------------------------------


def test_change_with_the_old_password_keeps_this_session_and_ends_the_others(site, http, mailbox):
    user = _user(site, "ubah")
    mine, other = _sid(http, user), _sid(http, user)
    _request(http, user)
    pending = mailbox.key_for(user)

    wrong = http.post(
        UPDATE, json={"old_password": "bukan-ini", "new_password": NEW_PASSWORD}, headers=_as(mine)
    )
    assert wrong.status_code == 401, wrong.text
    assert wrong.json()["exc_type"] == "AuthenticationError"
    assert wrong.json()["message"] == "Kata sandi lama salah."
    assert [e["field"] for e in wrong.json()["_field_errors"]] == ["old_password"]
    weak = http.post(
        UPDATE, json={"old_password": PASSWORD, "new_password": "kupang"}, headers=_as(mine)
    )
    assert weak.status_code == 417 and weak.json()["_field_errors"][0]["field"] == "new_password"

    done = http.post(
        UPDATE, json={"old_password": PASSWORD, "new_password": NEW_PASSWORD}, headers=_as(mine)
    )
    assert done.status_code == 200 and done.json() == {"message": "/app"}
    assert _logged_user(http, mine) == user
    assert _logged_user(http, other) is None
    assert _login(http, user, NEW_PASSWORD).status_code == 200
    assert _login(http, user, PASSWORD).status_code == 401
    # a link asked for before the change no longer undoes it
    assert _update(http, key=pending, new_password="Alor-Pantar-Kenari-31").status_code == 410
    statuses = _activity(site, user)
    assert ("Failed", "ubah kata sandi: kata sandi lama salah") in statuses
    assert ("Success", "kata sandi diubah oleh pengguna") in statuses


def test_wrong_old_passwords_count_towards_the_lockout(site, http):
    user = _user(site, "tebak")
    sid = _sid(http, user)
    for _ in range(5):
        response = http.post(
            UPDATE, json={"old_password": "tebakan", "new_password": NEW_PASSWORD}, headers=_as(sid)
        )
        assert response.status_code == 401
    locked = http.post(
        UPDATE, json={"old_password": PASSWORD, "new_password": NEW_PASSWORD}, headers=_as(sid)
    )
    assert locked.status_code == 429 and "dikunci" in locked.json()["message"]
    assert _login(http, user, PASSWORD).status_code == 429  # the same lockout as login


def test_guest_and_token_callers(site, http):
    guest = http.post(UPDATE, json={"old_password": PASSWORD, "new_password": NEW_PASSWORD})
    assert guest.status_code == 403
    neither = http.post(UPDATE, json={"new_password": NEW_PASSWORD})
    assert neither.status_code == 417
    user = _user(site, "token")
    sid = _sid(http, user)
    with site.begin() as ctx:
        from layanan_sosial.core.users import generate_keys

        key, secret = generate_keys(ctx, user)
    v2 = http.post(
        UPDATE.replace("/api/method", "/api/v2/method"),
        json={"old_password": PASSWORD, "new_password": NEW_PASSWORD},
        headers={"Authorization": f"token {key}:{secret}"},
    )
    assert v2.status_code == 200 and v2.json() == {"data": "/app"}
    assert _logged_user(http, sid) is None  # an API key holds no session: all of them end


# -- the desk pages --------------------------------------------------------------------


@pytest.fixture
def desk(site: Site, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    monkeypatch.setenv("LAYANAN_SITES_DIR", str(site.root))
    with TestClient(create_app(), base_url=f"http://{site.name}") as client:
        yield client


def _csrf(html: str) -> str:
    found = re.search(r'<meta name="csrf-token" content="([^"]*)"', html)
    return found.group(1) if found else ""


def test_desk_forgot_password_answers_alike_for_every_address(site, desk, mailbox):
    login_page = desk.get("/login")
    assert 'href="/forgot-password"' in login_page.text and "Lupa kata sandi?" in login_page.text
    page = desk.get("/forgot-password")
    assert page.status_code == 200
    assert '<label for="forgot-email">Alamat email</label>' in page.text
    user = _user(site, "meja")
    known = desk.post("/forgot-password", data={"email": user})
    unknown = desk.post("/forgot-password", data={"email": "siapa.saja@dinsos.uji.id"})
    for answer in (known, unknown):
        assert answer.status_code == 200
        assert "Jika alamat itu terdaftar, tautan telah dikirim" in answer.text
        assert 'role="status" aria-live="polite"' in answer.text
    assert len(mailbox.to(user)) == 1
    assert desk.post("/forgot-password", data={"email": ""}).status_code == 417


def test_desk_new_password_from_the_link(site, desk, mailbox):
    user = _user(site, "tautan")
    desk.post("/forgot-password", data={"email": user})
    key = mailbox.key_for(user)
    form = desk.get(f"/update-password?key={key}")
    assert form.status_code == 200
    # the address holds the key: never cached, never sent on as a Referer
    assert form.headers["cache-control"] == "no-store"
    assert form.headers["referrer-policy"] == "no-referrer"
    assert '<label for="pw-new_password">Kata sandi baru</label>' in form.text
    assert '<label for="pw-confirm_password">Ulangi kata sandi baru</label>' in form.text
    assert user in form.text

    differ = desk.post(
        "/update-password",
        data={"key": key, "new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD + "x"},
    )
    assert differ.status_code == 417
    assert 'data-testid="error-confirm_password" role="alert">Kedua isian' in differ.text
    assert 'aria-invalid="true"' in differ.text
    weak = desk.post(
        "/update-password", data={"key": key, "new_password": "abc", "confirm_password": "abc"}
    )
    assert weak.status_code == 417
    assert 'data-testid="error-new_password" role="alert">Kata sandi minimal 8' in weak.text

    done = desk.post(
        "/update-password",
        data={"key": key, "new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD},
        follow_redirects=False,
    )
    assert done.status_code == 303 and done.headers["location"] == "/login?password_updated=1"
    assert "Kata sandi baru telah disimpan" in desk.get(done.headers["location"]).text
    used = desk.get(f"/update-password?key={key}")
    assert used.status_code == 410 and "sudah pernah dipakai" in used.text
    assert 'href="/forgot-password"' in used.text
    logged_in = desk.post(
        "/login", data={"usr": user, "pwd": NEW_PASSWORD, "next": "/app"}, follow_redirects=False
    )
    assert logged_in.status_code == 303 and logged_in.headers["location"] == "/app"


def test_desk_change_password_for_a_signed_in_user(site, desk):
    user = _user(site, "ganti", language="en")
    guest = desk.get("/update-password", follow_redirects=False)
    assert guest.status_code == 303 and guest.headers["location"].startswith("/login?next=")
    desk.post("/login", data={"usr": user, "pwd": PASSWORD, "next": "/app"})
    home = desk.get("/app")  # every desk page's header leads there
    assert 'href="/update-password"' in home.text and "Change password" in home.text
    page = desk.get("/update-password")
    assert page.status_code == 200 and "Current password" in page.text  # the user's language
    csrf = _csrf(page.text)
    fields = {"csrf_token": csrf, "new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD}
    wrong = desk.post("/update-password", data={**fields, "old_password": "salah"})
    assert wrong.status_code == 401
    assert 'data-testid="error-old_password" role="alert">The current password is wrong.' in (
        wrong.text
    )
    done = desk.post(
        "/update-password", data={**fields, "old_password": PASSWORD}, follow_redirects=False
    )
    assert done.status_code == 303 and done.headers["location"] == "/update-password?changed=1"
    after = desk.get(done.headers["location"])
    assert after.status_code == 200 and "Your password has been changed" in after.text
