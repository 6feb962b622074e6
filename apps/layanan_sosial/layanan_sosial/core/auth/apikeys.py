"""API keys for `Authorization: token key:secret` and `Basic base64(key:secret)`.

The secret is random (128 bits), so a keyed SHA-256 (HMAC with the site's encryption key)
is as safe as a slow hash for it and costs microseconds per request instead of the ~50 ms
of Argon2 — API calls are authenticated on every request.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import TYPE_CHECKING

import sqlalchemy as sa

from ..db.internal import auth_table
from ..db.tables import table_for
from ..secrets_store import encryption_key

if TYPE_CHECKING:
    from ..context import Context


def _digest(ctx: Context, secret: str) -> str:
    return hmac.new(encryption_key(ctx.site), secret.encode(), hashlib.sha256).hexdigest()


def generate_keys(ctx: Context, user: str) -> tuple[str, str]:
    """A new secret (and a key if the user had none); only the secret's HMAC is stored."""
    with ctx.ignore_permissions():
        doc = ctx.get_doc("User", user, for_update=True)
        api_key = doc.get("api_key") or secrets.token_hex(8)
        api_secret = secrets.token_hex(16)
        doc.db_set("api_key", api_key)
    key = (
        (auth_table.c.doctype == "User")
        & (auth_table.c.name == user)
        & (auth_table.c.fieldname == "api_secret")
    )
    ctx.conn.execute(auth_table.delete().where(key))
    ctx.conn.execute(
        auth_table.insert().values(
            doctype="User",
            name=user,
            fieldname="api_secret",
            password=_digest(ctx, api_secret),
            encrypted=0,
        )
    )
    ctx.note_write()
    ctx.permissions_changed()  # cached key pairs are dropped in every process
    return api_key, api_secret


def user_for_keys(ctx: Context, api_key: str, api_secret: str) -> str | None:
    """The enabled user owning this key pair, else None (memoised per permission version)."""
    if not api_key or not api_secret or len(api_key) > 64 or len(api_secret) > 128:
        return None
    from ..permissions.cache import remember

    digest = _digest(ctx, api_secret)
    return remember(ctx, ("api_key", api_key, digest), lambda: _lookup(ctx, api_key, digest))


def _lookup(ctx: Context, api_key: str, digest: str) -> str | None:
    users = table_for(ctx.get_meta("User"))
    row = ctx.conn.execute(
        sa.select(users.c.name, users.c.enabled, auth_table.c.password)
        .select_from(
            users.join(
                auth_table,
                (auth_table.c.doctype == "User")
                & (auth_table.c.name == users.c.name)
                & (auth_table.c.fieldname == "api_secret"),
            )
        )
        .where(users.c.api_key == api_key)
    ).first()
    if row is None or not row[1]:
        return None
    return row[0] if hmac.compare_digest(row[2], digest) else None
