"""Forgotten password and password change, shared by the REST methods
(`frappe.core.doctype.user.user.reset_password` / `update_password`) and the desk pages.

- `request_reset`: the answer is the same whether or not the address has an account (no
  enumeration, unlike Frappe's 404 "not found"); rate-limited per client address and per
  email address, the same limits for unknown addresses; the link is mailed by a job
  (`reset_mail.py`).
- `reset_with_key`: a usable key from the email sets the password.
- `change_password`: a signed-in user proves the current password first; a wrong one
  counts towards the login lockout.

A success spends the user's reset keys, ends their other sessions, clears a lockout from
failed logins and writes an Activity Log row; every refusal is logged as well. Refusals
that must leave a trace (counters, log rows) are raised after those writes: callers answer
them without raising further (as `/api/method/login` does), so the request's transaction
keeps the trace; a password-policy error is raised before anything is written.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import TYPE_CHECKING

import sqlalchemy as sa

from ..db.tables import table_for
from ..exceptions import (
    AuthenticationError,
    PermissionError_,
    TooManyRequestsError,
    ValidationError,
)
from ..jobs import enqueue
from ..users import ADMINISTRATOR, GUEST, check_password, set_password
from .login import (
    clear_lockout,
    count_attempt,
    is_system_user,
    locked_error,
    log_activity,
    record_failure,
)
from .passwords import check_strength
from .reset_keys import check_key, spend_keys
from .reset_mail import JOB
from .sessions import delete_other_sessions

if TYPE_CHECKING:
    from ..context import Context

SENT = (
    "Jika alamat itu terdaftar, tautan untuk mengatur ulang kata sandi telah dikirim ke "
    "alamat tersebut."
)
TOO_MANY = "Terlalu banyak permintaan atur ulang kata sandi. Coba lagi nanti."
LINK_INVALID = (
    "Tautan atur ulang kata sandi ini sudah pernah dipakai atau tidak berlaku. "
    "Minta tautan baru dari halaman masuk."
)
LINK_EXPIRED = (
    "Tautan atur ulang kata sandi ini sudah kedaluwarsa. Minta tautan baru dari halaman masuk."
)
WRONG_OLD_PASSWORD = "Kata sandi lama salah."
PER_ADDRESS_PER_HOUR = 3  # Frappe's `password_reset_limit` default
PER_IP_PER_HOUR = 20


class LinkExpiredError(ValidationError):
    """A reset key that is unknown, used, replaced or past its lifetime: HTTP 410 with
    Frappe's `LinkExpired`; `reason` is "invalid" or "expired"."""

    http_status = 410
    exc_type = "LinkExpired"

    def __init__(self, reason: str):
        super().__init__(LINK_EXPIRED if reason == "expired" else LINK_INVALID, field="key")
        self.reason = reason


def _log(ctx: Context, user: str, status: str, ip: str | None, note: str) -> None:
    """An Activity Log row about `user`'s password. `operation` is left empty on purpose:
    its options name sign-in events only, and a missing value would default to "Login"."""
    about = user if user != GUEST else None
    log_activity(ctx, user, "", status, ip, note[:200], about_user=about)


def _limits(ctx: Context) -> tuple[int, int]:
    config = ctx.site.config
    return (
        int(config.get("password_reset_limit") or PER_ADDRESS_PER_HOUR),
        int(config.get("password_reset_ip_limit") or PER_IP_PER_HOUR),
    )


def _account(ctx: Context, address: str) -> tuple[str, bool] | None:
    """(user, enabled) of the account with this email; Administrator and Guest never
    reset by email (as in Frappe)."""
    users = table_for(ctx.get_meta("User"))
    row = ctx.conn.execute(
        sa.select(users.c.name, users.c.enabled)
        .where(sa.or_(users.c.name == address, users.c.email == address))
        .where(users.c.name.not_in((ADMINISTRATOR, GUEST)))
        .limit(1)
    ).first()
    return (row[0], bool(row[1])) if row else None


def request_reset(ctx: Context, address: str, *, ip: str | None = None) -> str:
    """Queue the reset email for the account of `address`, if any; the answer (`SENT`)
    is always the same. TooManyRequestsError (429) past the hourly limits."""
    address = str(address or "").strip().lower()[:254]
    per_address, per_ip = _limits(ctx)
    hour = dt.timedelta(hours=1)
    if ip and count_attempt(ctx, f"reset-ip:{ip}", hour) > per_ip:
        _log(
            ctx, GUEST, "Failed", ip, "atur ulang kata sandi: terlalu banyak permintaan dari IP ini"
        )
        raise TooManyRequestsError(TOO_MANY)
    # the counter's key is a digest: addresses are long and chosen by whoever asks
    digest = hashlib.sha256(address.encode()).hexdigest()
    if count_attempt(ctx, f"reset:{digest}", hour) > per_address:
        _log(
            ctx,
            GUEST,
            "Failed",
            ip,
            f"atur ulang kata sandi: terlalu banyak permintaan untuk {address}",
        )
        raise TooManyRequestsError(TOO_MANY)
    account = _account(ctx, address) if address else None
    if account is None:
        _log(ctx, GUEST, "Failed", ip, f"atur ulang kata sandi: alamat tidak terdaftar {address}")
    elif not account[1]:
        _log(ctx, account[0], "Failed", ip, "atur ulang kata sandi: pengguna nonaktif")
    else:
        user = account[0]
        enqueue(ctx, JOB, queue="short", job_id=f"password-reset:{user}", user=user)
        _log(ctx, user, "Success", ip, "atur ulang kata sandi: tautan diminta")
    return SENT


def _require_strong(ctx: Context, user: str, password: object) -> str:
    """The new password, or ValidationError on field `new_password` (the User form's
    policy: site_config `enable_password_policy`, on unless 0)."""
    if not isinstance(password, str) or not password:
        raise ValidationError("Kata sandi baru wajib diisi", field="new_password")
    if ctx.site.config.get("enable_password_policy", True):
        users = table_for(ctx.get_meta("User"))
        row = ctx.conn.execute(
            sa.select(users.c.email, users.c.first_name).where(users.c.name == user)
        ).first()
        check_strength(ctx, password, [user, *(row or ())])
    return password


def _store(
    ctx: Context, user: str, password: str, *, keep_sid: str | None, ip: str | None, note: str
) -> None:
    set_password(ctx, user, password)
    ctx.note_write()
    spend_keys(ctx, user)
    delete_other_sessions(ctx, user, keep_sid)
    clear_lockout(ctx, user)
    _log(ctx, user, "Success", ip, note)


def reset_with_key(
    ctx: Context, key: object, new_password: object, *, ip: str | None = None
) -> str:
    """Set the password of the key's user; the user's name. LinkExpiredError (410) for a
    key that cannot be used, ValidationError (417, nothing changed) for a weak password.
    Every session of the user ends (whoever asks holds only the emailed link)."""
    found = check_key(ctx, key)
    if found.problem is not None or found.user is None:
        reason = found.problem or "invalid"
        what = "kedaluwarsa" if reason == "expired" else "tidak berlaku"
        _log(ctx, found.user or GUEST, "Failed", ip, f"atur ulang kata sandi: tautan {what}")
        raise LinkExpiredError(reason)
    password = _require_strong(ctx, found.user, new_password)
    _store(
        ctx,
        found.user,
        password,
        keep_sid=None,
        ip=ip,
        note="kata sandi diatur ulang lewat tautan email",
    )
    return found.user


def change_password(
    ctx: Context,
    old_password: object,
    new_password: object,
    *,
    ip: str | None = None,
    keep_sid: str | None = None,
) -> str:
    """The signed-in user (`ctx.user`) changes their own password; their other sessions
    end, the one holding `keep_sid` stays. AuthenticationError (401) on a wrong current
    password (counted towards the login lockout), TooManyRequestsError (429) while locked
    out, ValidationError (417) for a weak new password."""
    user = ctx.user
    if user == GUEST:
        raise PermissionError_("Masuk terlebih dahulu untuk mengubah kata sandi")
    locked = locked_error(ctx, user)
    if locked is not None:
        _log(ctx, user, "Failed", ip, "ubah kata sandi: akun terkunci")
        raise locked
    if not isinstance(old_password, str) or not check_password(ctx, user, old_password):
        record_failure(ctx, user)
        _log(ctx, user, "Failed", ip, "ubah kata sandi: kata sandi lama salah")
        raise AuthenticationError(WRONG_OLD_PASSWORD, field="old_password")
    password = _require_strong(ctx, user, new_password)
    _store(ctx, user, password, keep_sid=keep_sid, ip=ip, note="kata sandi diubah oleh pengguna")
    return user


def home_page(ctx: Context, user: str) -> str:
    """Where the user goes after a password update (Frappe's answer): the desk for system
    users, the portal page otherwise — the same as login's `home_page`."""
    return "/app" if is_system_user(ctx, user) else "/me"
