"""Encrypted secrets of Password fields, kept in `__Auth` and never in DocType tables.

The site's `encryption_key` (a Fernet key in site_config.json) is created on first use, so
every site has one; losing it makes stored Password values unreadable (back it up).
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from cryptography.fernet import Fernet, InvalidToken

from .db.internal import auth_table
from .exceptions import ValidationError
from .site import read_json, write_json

if TYPE_CHECKING:
    from .context import Context
    from .site import Site

_key_lock = threading.Lock()


def encryption_key(site: Site) -> bytes:
    key = site.config.get("encryption_key")
    if key:
        return key.encode()
    with _key_lock:
        path = site.path / "site_config.json"
        config = read_json(path)
        if not config.get("encryption_key"):
            config["encryption_key"] = Fernet.generate_key().decode()
            write_json(path, config)
        site.config["encryption_key"] = config["encryption_key"]
    return site.config["encryption_key"].encode()


def encrypt(site: Site, plain: str) -> str:
    return Fernet(encryption_key(site)).encrypt(plain.encode()).decode()


def decrypt(site: Site, token: str) -> str:
    try:
        return Fernet(encryption_key(site)).decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise ValidationError(
            "nilai rahasia tidak dapat dibuka: encryption_key situs tidak cocok"
        ) from exc


def is_mask(value: Any) -> bool:
    return isinstance(value, str) and value != "" and set(value) == {"*"}


def store_secret(ctx: Context, doctype: str, name: Any, fieldname: str, plain: str) -> None:
    ctx.note_write()
    key = (auth_table.c.doctype == doctype) & (auth_table.c.name == str(name))
    ctx.conn.execute(auth_table.delete().where(key & (auth_table.c.fieldname == fieldname)))
    ctx.conn.execute(
        auth_table.insert().values(
            doctype=doctype,
            name=str(name),
            fieldname=fieldname,
            password=encrypt(ctx.site, plain),
            encrypted=1,
        )
    )


def read_secret(ctx: Context, doctype: str, name: Any, fieldname: str) -> str | None:
    row = ctx.conn.execute(
        sa.select(auth_table.c.password, auth_table.c.encrypted).where(
            auth_table.c.doctype == doctype,
            auth_table.c.name == str(name),
            auth_table.c.fieldname == fieldname,
        )
    ).first()
    if row is None:
        return None
    return decrypt(ctx.site, row[0]) if row[1] else None


def delete_secrets(ctx: Context, doctype: str, name: Any) -> None:
    ctx.note_write()
    ctx.conn.execute(
        auth_table.delete().where(auth_table.c.doctype == doctype, auth_table.c.name == str(name))
    )
