"""One-time keys of the "forgot password" links.

The key travels only in the email; the database keeps its SHA-256 (a random 256-bit key
needs no slow hash), so a copy of the table opens no account. A user has at most one live
key: issuing a new one deletes the older ones. A key lives for site_config
`reset_password_link_expiry_duration` seconds (Frappe's System Settings name; default
3600 here), measured from when it was issued against the setting in force when it is used.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import sqlalchemy as sa

from ..db.tables import table_for
from .tables import reset_keys_table

if TYPE_CHECKING:
    from ..context import Context

DEFAULT_EXPIRY_SECONDS = 3600
MAX_KEY_LENGTH = 200  # anything longer was never issued here: refuse before hashing


def expiry_seconds(ctx: Context) -> int:
    """Lifetime of a key; a missing, unreadable or non-positive setting means the default
    (Frappe reads 0 as "never expires" — a link that never expires is not offered here)."""
    value = ctx.site.config.get("reset_password_link_expiry_duration")
    try:
        seconds = int(value)
    except (TypeError, ValueError):
        return DEFAULT_EXPIRY_SECONDS
    return seconds if seconds > 0 else DEFAULT_EXPIRY_SECONDS


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def issue_key(ctx: Context, user: str) -> str:
    """A new key for `user` (returned in clear, once); the user's older keys and every
    expired key of the site are deleted in the same statement."""
    key = secrets.token_urlsafe(32)
    now = ctx.now()
    stale = now - dt.timedelta(seconds=expiry_seconds(ctx))
    ctx.conn.execute(
        reset_keys_table.delete().where(
            sa.or_(reset_keys_table.c.user == user, reset_keys_table.c.created < stale)
        )
    )
    ctx.conn.execute(
        reset_keys_table.insert().values(key_hash=_digest(key), user=user, created=now)
    )
    ctx.note_write()
    return key


@dataclass(frozen=True)
class KeyCheck:
    """What a key from a link is worth: its user when usable, else why not."""

    user: str | None
    problem: Literal["invalid", "expired"] | None = None


def check_key(ctx: Context, key: object) -> KeyCheck:
    """Look a key up without spending it (the page shows the form only for a usable key).
    "invalid" covers unknown, already used, replaced by a newer request and keys of users
    disabled since; "expired" a key past its lifetime."""
    if not isinstance(key, str) or not key or len(key) > MAX_KEY_LENGTH:
        return KeyCheck(None, "invalid")
    row = ctx.conn.execute(
        sa.select(reset_keys_table.c.user, reset_keys_table.c.created).where(
            reset_keys_table.c.key_hash == _digest(key)
        )
    ).first()
    if row is None:
        return KeyCheck(None, "invalid")
    user, created = row
    if ctx.now() - created > dt.timedelta(seconds=expiry_seconds(ctx)):
        return KeyCheck(user, "expired")
    users = table_for(ctx.get_meta("User"))
    enabled = ctx.conn.execute(sa.select(users.c.enabled).where(users.c.name == user)).scalar()
    if not enabled:
        return KeyCheck(user, "invalid")
    return KeyCheck(user)


def spend_keys(ctx: Context, user: str) -> None:
    """Delete every key of `user`: the one just used, and any other once the password has
    changed by another way (an old link must not undo a newer password)."""
    ctx.conn.execute(reset_keys_table.delete().where(reset_keys_table.c.user == user))
    ctx.note_write()
