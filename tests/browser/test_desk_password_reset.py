"""A forgotten password in a real browser: the "Lupa kata sandi?" link on /login, the
email caught by a local SMTP server, its link opened, a new password typed twice and
submitted from the keyboard, then a login with it (the old one no longer works)."""

from __future__ import annotations

import re
import secrets

import pytest
from desk_helpers import PASSWORD, make_user
from mailkit import smtp_capture

from layanan_sosial.core.jobs import wait_for_jobs

expect = pytest.importorskip("playwright.sync_api").expect

NEW_PASSWORD = "Flores-Komodo-Sasando-48"


@pytest.fixture
def mail(live_site, live_server, monkeypatch):
    """The live site mails through a local SMTP server; links point at the live server."""
    with smtp_capture() as (port, received):
        # the server process shares this Site object, so its config is the server's
        monkeypatch.setitem(live_site.config, "smtp_server", "127.0.0.1")
        monkeypatch.setitem(live_site.config, "smtp_port", port)
        monkeypatch.setitem(live_site.config, "host_name", live_server)
        yield received


def _link_for(received, address: str, base: str) -> str:
    assert wait_for_jobs(30)  # the email is sent by an in-process job
    bodies = [msg.get_content() for rcpt, msg in received if address in rcpt]
    assert len(bodies) == 1, bodies
    found = re.search(re.escape(base) + r"/update-password\?key=[A-Za-z0-9_\-]+", bodies[0])
    assert found, bodies[0]
    return found.group(0)


def test_forgot_password_email_link_new_password_then_login(
    page, live_site, live_server, mail, shot
):
    address = make_user(live_site, f"lupa-{secrets.token_hex(4)}@uji.id", ["Front Office"])

    page.goto("/login")
    page.get_by_role("link", name="Lupa kata sandi?").click()
    expect(page.get_by_role("heading", name="Lupa kata sandi")).to_be_visible()
    field = page.get_by_label("Alamat email")
    expect(field).to_be_focused()
    field.fill(address)
    field.press("Enter")
    expect(page.get_by_role("status")).to_contain_text(
        "Jika alamat itu terdaftar, tautan telah dikirim"
    )
    shot(page, "lupa-kata-sandi-terkirim")

    page.goto(_link_for(mail, address, live_server))
    expect(page.get_by_role("heading", name="Buat kata sandi baru")).to_be_visible()
    expect(page.get_by_text(f"Akun: {address}")).to_be_visible()
    new = page.get_by_label("Kata sandi baru", exact=True)
    expect(new).to_be_focused()
    new.fill(NEW_PASSWORD)
    confirm = page.get_by_label("Ulangi kata sandi baru")
    confirm.fill(NEW_PASSWORD + "?")
    confirm.press("Enter")
    expect(page.get_by_test_id("error-confirm_password")).to_have_text(
        "Kedua isian kata sandi baru tidak sama."
    )
    shot(page, "kata-sandi-baru-tidak-sama")
    page.get_by_label("Kata sandi baru", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Ulangi kata sandi baru").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Simpan kata sandi").click()

    expect(page).to_have_url(re.compile(r"/login\?password_updated=1$"))
    expect(page.get_by_role("status")).to_contain_text("Kata sandi baru telah disimpan")
    shot(page, "kata-sandi-baru-tersimpan")
    page.get_by_label(re.compile("Email atau nama pengguna")).fill(address)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    expect(page.locator("#login-error")).to_contain_text("kata sandi salah")
    page.get_by_label(re.compile("Email atau nama pengguna")).fill(address)
    page.get_by_label("Kata sandi").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    expect(page.get_by_test_id("current-user")).to_have_text(address)
