"""Password login with a per-address rate limit (HTTP 429) and a per-user lockout after
repeated failures; every attempt is written to the Activity Log.

Limits come from site_config: `login_attempts` (failures before lockout, 5),
`lockout_minutes` (15), `login_rate_per_minute` (attempts per IP per minute, 30).
Counters live in the database, so all web workers share them.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import sqlalchemy as sa

from ..db.tables import table_for
from ..exceptions import AuthenticationError, TooManyRequestsError
from ..users import ADMINISTRATOR, GUEST, check_password
from .tables import login_failures_table

if TYPE_CHECKING:
    from ..context import Context


INVALID = "Invalid login credentials"


def _limits(ctx: Context) -> tuple[int, int, int]:
    config = ctx.site.config
    return (
        int(config.get("login_attempts") or 5),
        int(config.get("lockout_minutes") or 15),
        int(config.get("login_rate_per_minute") or 30),
    )


def _counter(ctx: Context, key: str) -> dict | None:
    row = (
        ctx.conn.execute(sa.select(login_failures_table).where(login_failures_table.c.key == key))
        .mappings()
        .first()
    )
    return dict(row) if row else None


def _bump(ctx: Context, key: str, window: dt.timedelta) -> int:
    now = ctx.now()
    row = _counter(ctx, key)
    if row is None or now - row["window_start"] > window:
        ctx.conn.execute(login_failures_table.delete().where(login_failures_table.c.key == key))
        ctx.conn.execute(login_failures_table.insert().values(key=key, count=1, window_start=now))
        return 1
    ctx.conn.execute(
        login_failures_table.update()
        .where(login_failures_table.c.key == key)
        .values(count=row["count"] + 1)
    )
    return row["count"] + 1


def _lock(ctx: Context, key: str, until: dt.datetime) -> None:
    ctx.conn.execute(
        login_failures_table.update()
        .where(login_failures_table.c.key == key)
        .values(locked_until=until)
    )


def _clear(ctx: Context, key: str) -> None:
    ctx.conn.execute(login_failures_table.delete().where(login_failures_table.c.key == key))


def log_activity(
    ctx: Context,
    user: str,
    operation: str,
    status: str,
    ip: str | None,
    note: str = "",
    *,
    about_user: str | None = None,
) -> None:
    """A row in Activity Log (written directly: logging must not depend on the user's
    rights); `about_user` links it to that User record."""
    values = {"user": user, "operation": operation, "status": status, "ip_address": ip}
    values["subject"] = note or f"{operation} {status}"
    if about_user is not None:
        values.update(reference_doctype="User", reference_name=about_user)
    with ctx.ignore_permissions():
        ctx.new_doc("Activity Log", values).insert()


def _find_user(ctx: Context, login: str) -> tuple[str, bool] | None:
    """(user name, enabled) for an email, user name or `Administrator`."""
    table = table_for(ctx.get_meta("User"))
    login = login.strip()
    stmt = sa.select(table.c.name, table.c.enabled).where(
        sa.or_(table.c.name == login, table.c.name == login.lower(), table.c.username == login)
    )
    row = ctx.conn.execute(stmt.limit(1)).first()
    return (row[0], bool(row[1])) if row else None


def authenticate(ctx: Context, login: str, password: str, *, ip: str | None = None) -> str:
    """The user name for valid credentials; AuthenticationError (401) or
    TooManyRequestsError (429) otherwise. Messages never say which part was wrong."""
    per_minute = _limits(ctx)[2]
    if ip and _bump(ctx, f"ip:{ip}", dt.timedelta(minutes=1)) > per_minute:
        raise TooManyRequestsError("Terlalu banyak percobaan masuk. Coba lagi sebentar lagi.")
    found = _find_user(ctx, login or "")
    user_key = f"user:{found[0] if found else (login or '').lower()}"
    locked = _locked_error(ctx, user_key)
    if locked is not None:
        log_activity(ctx, found[0] if found else GUEST, "Login", "Failed", ip, "akun terkunci")
        raise locked
    ok = (
        found is not None
        and found[1]
        and found[0] != GUEST
        and check_password(ctx, found[0], password or "")
    )
    if not ok:
        _record_failure(ctx, user_key)
        log_activity(
            ctx, found[0] if found else GUEST, "Login", "Failed", ip, f"gagal masuk: {login}"[:140]
        )
        raise AuthenticationError(INVALID)
    _clear(ctx, user_key)
    log_activity(ctx, found[0], "Login", "Success", ip)
    return found[0]


def is_system_user(ctx: Context, user: str) -> bool:
    if user == ADMINISTRATOR:
        return True
    table = table_for(ctx.get_meta("User"))
    value = ctx.conn.execute(sa.select(table.c.user_type).where(table.c.name == user)).scalar()
    return value == "System User"


# -- building blocks for other credential checks (password change and reset) ------------


def count_attempt(ctx: Context, key: str, window: dt.timedelta) -> int:
    """Count one attempt under `key` (e.g. "reset-ip:<addr>") within a sliding `window`;
    the number so far. Same shared table as the login counters."""
    return _bump(ctx, key, window)


def locked_error(ctx: Context, user: str) -> TooManyRequestsError | None:
    """The error to answer while `user` is locked out after failed logins, else None."""
    return _locked_error(ctx, f"user:{user}")


def _locked_error(ctx: Context, key: str) -> TooManyRequestsError | None:
    counter = _counter(ctx, key)
    now = ctx.now()
    if counter and counter["locked_until"] and counter["locked_until"] > now:
        minutes = int((counter["locked_until"] - now).total_seconds() // 60) + 1
        return TooManyRequestsError(
            f"Akun dikunci sementara karena terlalu banyak percobaan gagal. Coba lagi dalam {minutes} menit."
        )
    return None


def record_failure(ctx: Context, user: str) -> None:
    """A wrong password for `user` counts towards the same lockout as a failed login."""
    _record_failure(ctx, f"user:{user}")


def _record_failure(ctx: Context, key: str) -> None:
    max_failures, lockout_minutes, _ = _limits(ctx)
    if _bump(ctx, key, dt.timedelta(minutes=lockout_minutes)) >= max_failures:
        _lock(ctx, key, ctx.now() + dt.timedelta(minutes=lockout_minutes))


def clear_lockout(ctx: Context, user: str) -> None:
    """Forget failed logins and any lockout of `user` (after a password reset or change)."""
    _clear(ctx, f"user:{user}")
