"""Cookie sessions. The browser holds a random `sid`; the database keeps only its SHA-256,
so a leaked table cannot be replayed. Sessions slide: activity extends them (written at
most once a minute to keep reads cheap)."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING

import sqlalchemy as sa

from .tables import sessions_table

if TYPE_CHECKING:
    from ..context import Context

DEFAULT_SESSION_HOURS = 170  # Frappe's default "170:00"


@dataclass(frozen=True)
class Session:
    sid: str  # the cookie value (only known right after login)
    user: str
    csrf_token: str | None
    expires: dt.datetime


def _digest(sid: str) -> str:
    return hashlib.sha256(sid.encode()).hexdigest()


def session_hours(ctx: Context) -> float:
    return float(ctx.site.config.get("session_expiry_hours") or DEFAULT_SESSION_HOURS)


def create_session(
    ctx: Context, user: str, *, ip: str | None = None, device: str = "desktop"
) -> Session:
    sid = secrets.token_urlsafe(32)
    now = ctx.now()
    expires = now + dt.timedelta(hours=session_hours(ctx))
    ctx.conn.execute(
        sessions_table.insert().values(
            sid=_digest(sid),
            user=user,
            created=now,
            last_active=now,
            expires=expires,
            csrf_token=None,
            ip=ip,
            device=device[:32],
        )
    )
    ctx.note_write()
    return Session(sid, user, None, expires)


def get_session(ctx: Context, sid: str | None) -> Session | None:
    """The live session of a cookie value, or None (unknown or expired)."""
    if not sid or len(sid) > 200:
        return None
    digest = _digest(sid)
    row = (
        ctx.conn.execute(sa.select(sessions_table).where(sessions_table.c.sid == digest))
        .mappings()
        .first()
    )
    now = ctx.now()
    if row is None or row["expires"] <= now:
        return None
    if now - row["last_active"] > dt.timedelta(minutes=1):
        ctx.conn.execute(
            sessions_table.update()
            .where(sessions_table.c.sid == digest)
            .values(last_active=now, expires=now + dt.timedelta(hours=session_hours(ctx)))
        )
    return Session(sid, row["user"], row["csrf_token"], row["expires"])


def csrf_token(ctx: Context, session: Session) -> str:
    """The session's CSRF token, created on first request by a page that needs it (desk)."""
    if session.csrf_token:
        return session.csrf_token
    token = secrets.token_urlsafe(24)
    ctx.conn.execute(
        sessions_table.update()
        .where(sessions_table.c.sid == _digest(session.sid))
        .values(csrf_token=token)
    )
    return token


def delete_session(ctx: Context, sid: str) -> None:
    ctx.conn.execute(sessions_table.delete().where(sessions_table.c.sid == _digest(sid)))


def delete_user_sessions(ctx: Context, user: str) -> int:
    """End every session of a user (password change, disabling)."""
    return (
        ctx.conn.execute(sessions_table.delete().where(sessions_table.c.user == user)).rowcount or 0
    )


def delete_other_sessions(ctx: Context, user: str, keep_sid: str | None) -> int:
    """End every session of a user but the one holding `keep_sid` (the browser or client
    that just changed the password stays signed in, as in Frappe); all when None."""
    if keep_sid is None:
        return delete_user_sessions(ctx, user)
    stmt = sessions_table.delete().where(
        sessions_table.c.user == user, sessions_table.c.sid != _digest(keep_sid)
    )
    return ctx.conn.execute(stmt).rowcount or 0
