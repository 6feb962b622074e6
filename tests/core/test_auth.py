"""Login with rate limit and lockout, sessions, API keys, password policy (no web layer)."""

from __future__ import annotations

import datetime as dt

import pytest

from layanan_sosial.core.auth.apikeys import generate_keys, user_for_keys
from layanan_sosial.core.auth.login import TooManyRequestsError, authenticate
from layanan_sosial.core.auth.passwords import check_strength
from layanan_sosial.core.auth.sessions import create_session, csrf_token, get_session
from layanan_sosial.core.exceptions import AuthenticationError, ValidationError

PASSWORD = "Kupang-Lontar-2026!"


@pytest.fixture
def user(ctx):
    email = "petugas.login@uji.id"
    ctx.new_doc("User", email=email, first_name="Petugas", new_password=PASSWORD).insert()
    return email


def test_login_with_email_or_username_and_wrong_password(ctx, user):
    assert authenticate(ctx, user, PASSWORD, ip="10.0.0.1") == user
    assert authenticate(ctx, "PETUGAS.LOGIN@uji.id", PASSWORD) == user
    with pytest.raises(AuthenticationError) as err:
        authenticate(ctx, user, "salah", ip="10.0.0.1")
    assert err.value.http_status == 401
    with pytest.raises(AuthenticationError):
        authenticate(ctx, "tidak.ada@uji.id", PASSWORD)


def test_lockout_after_repeated_failures_then_release(ctx, user):
    ctx.now_override = dt.datetime(2026, 1, 5, 8, 0)
    for _ in range(5):
        with pytest.raises(AuthenticationError):
            authenticate(ctx, user, "salah")
    with pytest.raises(TooManyRequestsError) as err:
        authenticate(ctx, user, PASSWORD)  # even the right password is refused while locked
    assert err.value.http_status == 429
    ctx.now_override = dt.datetime(2026, 1, 5, 8, 16)
    assert authenticate(ctx, user, PASSWORD) == user


def test_rate_limit_per_address(ctx, user):
    ctx.site.config["login_rate_per_minute"] = 3
    try:
        for _ in range(3):
            authenticate(ctx, user, PASSWORD, ip="10.9.9.9")
        with pytest.raises(TooManyRequestsError):
            authenticate(ctx, user, PASSWORD, ip="10.9.9.9")
        assert authenticate(ctx, user, PASSWORD, ip="10.9.9.10") == user
    finally:
        ctx.site.config.pop("login_rate_per_minute")


def test_every_attempt_is_logged(ctx, user):
    authenticate(ctx, user, PASSWORD, ip="10.1.1.1")
    with pytest.raises(AuthenticationError):
        authenticate(ctx, user, "salah", ip="10.1.1.1")
    rows = ctx.conn.exec_driver_sql(
        "SELECT status FROM `tabActivity Log` WHERE user = ? AND ip_address = '10.1.1.1' "
        "ORDER BY creation",
        (user,),
    ).all()
    assert [r[0] for r in rows] == ["Success", "Failed"]


def test_disabled_user_cannot_log_in(ctx, user):
    ctx.set_value("User", user, {"enabled": 0})
    with pytest.raises(AuthenticationError):
        authenticate(ctx, user, PASSWORD)


def test_sessions_expire_and_slide(ctx, user):
    ctx.now_override = dt.datetime(2026, 2, 1, 9, 0)
    session = create_session(ctx, user, ip="10.0.0.2")
    assert get_session(ctx, session.sid).user == user
    assert get_session(ctx, "tebakan") is None
    token = csrf_token(ctx, get_session(ctx, session.sid))
    assert get_session(ctx, session.sid).csrf_token == token
    ctx.now_override = dt.datetime(2026, 2, 8, 9, 0)  # 168 h later: still alive, and extended
    assert get_session(ctx, session.sid) is not None
    ctx.now_override = dt.datetime(2026, 2, 20, 9, 0)
    assert get_session(ctx, session.sid) is None


def test_api_keys_identify_the_user_and_only_the_hash_is_stored(ctx, user):
    key, secret = generate_keys(ctx, user)
    assert user_for_keys(ctx, key, secret) == user
    assert user_for_keys(ctx, key, secret + "x") is None
    assert user_for_keys(ctx, "nope", secret) is None
    stored = ctx.conn.exec_driver_sql(
        "SELECT password FROM `__Auth` WHERE name = ? AND fieldname = 'api_secret'", (user,)
    ).scalar()
    assert secret not in stored
    new_key, new_secret = generate_keys(ctx, user)
    assert new_key == key and user_for_keys(ctx, key, secret) is None


@pytest.mark.parametrize("weak", ["rahasia", "password123", "12345678", "qwertyui"])
def test_password_policy_refuses_weak_passwords(ctx, weak):
    with pytest.raises(ValidationError):
        check_strength(ctx, weak)
    check_strength(ctx, PASSWORD)


def test_user_with_a_weak_password_is_refused_with_a_field_error(ctx):
    with pytest.raises(ValidationError) as err:
        ctx.new_doc(
            "User", email="lemah@uji.id", first_name="Lemah", new_password="lemah123"
        ).insert()
    assert err.value.field == "new_password"
