"""Internal tables of the auth layer (not DocTypes: never exposed through REST)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects import mysql

from ..db.internal import internal_metadata

_DATETIME = sa.DateTime().with_variant(mysql.DATETIME(fsp=6), "mysql", "mariadb")

sessions_table = sa.Table(
    "__Sessions",
    internal_metadata,
    sa.Column("sid", sa.String(64), primary_key=True),  # sha256 of the cookie value
    sa.Column("user", sa.String(140), nullable=False, index=True),
    sa.Column("created", _DATETIME, nullable=False),
    sa.Column("last_active", _DATETIME, nullable=False),
    sa.Column("expires", _DATETIME, nullable=False),
    sa.Column("csrf_token", sa.String(64)),
    sa.Column("ip", sa.String(64)),
    sa.Column("device", sa.String(32)),
)

login_failures_table = sa.Table(
    "__Login Failures",
    internal_metadata,
    sa.Column("key", sa.String(200), primary_key=True),  # "user:<id>" or "ip:<addr>"
    sa.Column("count", sa.Integer, nullable=False, server_default="0"),
    sa.Column("window_start", _DATETIME, nullable=False),
    sa.Column("locked_until", _DATETIME),
)

# Password reset keys: only the SHA-256 of the emailed key is kept, so a leaked table
# cannot be turned into working links. One live key per user (a new request replaces it).
reset_keys_table = sa.Table(
    "__Password Reset",
    internal_metadata,
    sa.Column("key_hash", sa.String(64), primary_key=True),
    sa.Column("user", sa.String(140), nullable=False, index=True),
    sa.Column("created", _DATETIME, nullable=False),
)
