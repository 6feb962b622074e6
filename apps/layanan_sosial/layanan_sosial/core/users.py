"""Users and roles: standard users, role lookup, password hashing (Argon2id) and API keys."""

from __future__ import annotations

from typing import TYPE_CHECKING

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from .db.internal import auth_table
from .db.tables import table_for

if TYPE_CHECKING:
    from .context import Context

ADMINISTRATOR = "Administrator"
GUEST = "Guest"
STANDARD_ROLES = ("Administrator", "System Manager", "All", "Guest", "Desk User")
AUTOMATIC_ROLES = ("All", "Guest")
_hasher = PasswordHasher()


def get_roles(ctx: Context, user: str) -> list[str]:
    """Roles of a user; Administrator has every role, Guest only 'Guest'."""
    if user == GUEST:
        return ["Guest"]
    if user == ADMINISTRATOR:
        role_table = table_for(ctx.get_meta("Role"))
        names = [r[0] for r in ctx.conn.execute(sa.select(role_table.c.name))]
        return sorted(set(names) | set(STANDARD_ROLES))
    has_role = table_for(ctx.get_meta("Has Role"))
    rows = ctx.conn.execute(
        sa.select(has_role.c.role).where(has_role.c.parent == user, has_role.c.parenttype == "User")
    )
    return sorted({r[0] for r in rows} | set(AUTOMATIC_ROLES))


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def set_password(ctx: Context, user: str, password: str) -> None:
    """Store an Argon2 hash in __Auth (never in the User table)."""
    _put_secret(ctx, "User", user, "password", hash_password(password))


def check_password(ctx: Context, user: str, password: str) -> bool:
    stored = _get_secret(ctx, "User", user, "password")
    return stored is not None and verify_password(stored, password)


def _put_secret(ctx: Context, doctype: str, name: str, fieldname: str, value: str) -> None:
    ctx.conn.execute(
        auth_table.delete().where(
            auth_table.c.doctype == doctype,
            auth_table.c.name == name,
            auth_table.c.fieldname == fieldname,
        )
    )
    ctx.conn.execute(
        auth_table.insert().values(
            doctype=doctype, name=name, fieldname=fieldname, password=value, encrypted=0
        )
    )


def _get_secret(ctx: Context, doctype: str, name: str, fieldname: str) -> str | None:
    return ctx.conn.execute(
        sa.select(auth_table.c.password).where(
            auth_table.c.doctype == doctype,
            auth_table.c.name == name,
            auth_table.c.fieldname == fieldname,
        )
    ).scalar()


def generate_keys(ctx: Context, user: str) -> tuple[str, str]:
    """New api_key/api_secret for a user (see auth/apikeys.py for how they are stored)."""
    from .auth.apikeys import generate_keys as _generate

    return _generate(ctx, user)


def ensure_standard_users(ctx: Context) -> None:
    """Standard roles, Administrator and Guest exist on every site."""
    for role in STANDARD_ROLES:
        if not ctx.exists("Role", role):
            ctx.new_doc("Role", role_name=role, desk_access=0 if role == "Guest" else 1).insert()
    for name, email, first_name in (
        (ADMINISTRATOR, "admin@example.com", "Administrator"),
        (GUEST, "guest@example.com", "Guest"),
    ):
        if not ctx.exists("User", name):
            user = ctx.new_doc(
                "User",
                email=email,
                first_name=first_name,
                user_type="System User" if name == ADMINISTRATOR else "Website User",
            )
            if name == ADMINISTRATOR:
                user.append("roles", {"role": "Administrator"})
                user.append("roles", {"role": "System Manager"})
            user.insert(set_name=name)
